// issue #11: ad-hoc sub-processes (Camunda 8): elements activated on entry or later, completed by a condition
import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../engine/compile/index.js';
import { chain, definitions, end, flow, start, userTask } from '../helpers/bpmn-builder.js';
import { complete, compileXml, problemsOf, run } from '../helpers/compile.js';

interface AdHocOptions {
  collection?: string;
  condition?: string;
  cancelRemaining?: boolean;
  inner?: string[];
  attrs?: string;
}

/** S → ad-hoc `Adhoc` (user tasks A, B, C unless told) → After → E. */
function adHocProcess(opts: AdHocOptions = {}): string {
  const ext = opts.collection
    ? `<bpmn:extensionElements><zeebe:adHoc activeElementsCollection="${opts.collection}" /></bpmn:extensionElements>`
    : '';
  const condition = opts.condition
    ? `<bpmn:completionCondition xsi:type="bpmn:tFormalExpression" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">${opts.condition}</bpmn:completionCondition>`
    : '';
  const cancel = opts.cancelRemaining === false ? ' cancelRemainingInstances="false"' : '';
  const inner = opts.inner ?? [userTask('A'), userTask('B'), userTask('C')];
  return definitions('P', [
    start('S'),
    `<bpmn:adHocSubProcess id="Adhoc"${cancel}${opts.attrs ?? ''}>${ext}${inner.join('')}${condition}</bpmn:adHocSubProcess>`,
    userTask('After'),
    end('E'),
    ...chain('S', 'Adhoc', 'After', 'E'),
  ]);
}

const activate = (...elements: string[]): EngineEvent => ({ type: 'adhoc.activate', elementId: 'Adhoc', elements });
const tasksOf = (sim: ReturnType<typeof run>) =>
  sim.effects.flatMap((e) => (e.type === 'task.create' ? [e.task.elementId] : []));
const cancelledOf = (sim: ReturnType<typeof run>) =>
  sim.effects.filter((e) => e.type === 'task.cancel').map((e) => (e as { elementId: string }).elementId);

describe('compile/ad-hoc sub-processes', () => {
  it('activates the elements of its collection on entry and completes once they all ended', async () => {
    const compiled = await compileXml(adHocProcess({ collection: '=chosen' }));
    const sim = run(compiled, [complete('C'), complete('A')], { chosen: ['A', 'C'] });
    expect(tasksOf(sim)).toEqual(['A', 'C', 'After']);
    expect(sim.activeElements).toEqual(['After']);
  });

  it('waits, activated by nothing, until elements are activated; one may run twice', async () => {
    const compiled = await compileXml(adHocProcess());
    const idle = run(compiled);
    expect(idle.activeElements).toEqual(['Adhoc']);
    const sim = run(compiled, [activate('B'), activate('B'), complete('B'), complete('B')]);
    expect(tasksOf(sim)).toEqual(['B', 'B', 'After']);
    expect(sim.activeElements).toEqual(['After']);
  });

  it('runs the path behind an activated element before it counts as ended', async () => {
    const compiled = await compileXml(
      adHocProcess({ inner: [userTask('A'), userTask('B'), userTask('Check'), flow('A', 'Check')] }),
    );
    const halfway = run(compiled, [activate('A'), complete('A')]);
    expect(halfway.activeElements).toEqual(['Adhoc', 'Check']);
    const sim = run(compiled, [activate('A'), complete('A'), complete('Check')]);
    expect(sim.activeElements).toEqual(['After']);
  });

  it('completes when the completion condition holds after an element ended, cancelling what still runs', async () => {
    const compiled = await compileXml(
      adHocProcess({ collection: '=[&quot;A&quot;, &quot;B&quot;]', condition: '=resolved = true' }),
    );
    const notYet = run(compiled, [complete('A', { resolved: false })]);
    expect(notYet.activeElements.sort()).toEqual(['Adhoc', 'B']);
    const sim = run(compiled, [complete('A', { resolved: true })]);
    expect(cancelledOf(sim)).toContain('B');
    expect(sim.activeElements).toEqual(['After']);
  });

  it('with cancelRemainingInstances="false", waits for what still runs once the condition holds', async () => {
    const compiled = await compileXml(
      adHocProcess({ collection: '=[&quot;A&quot;, &quot;B&quot;]', condition: '=resolved', cancelRemaining: false }),
    );
    const waiting = run(compiled, [complete('A', { resolved: true })]);
    expect(waiting.activeElements.sort()).toEqual(['Adhoc', 'B']);
    const sim = run(compiled, [complete('A', { resolved: true }), complete('B')]);
    expect(sim.activeElements).toEqual(['After']);
  });

  it('does not complete on a condition that already held before anything ended', async () => {
    const compiled = await compileXml(adHocProcess({ collection: '=[&quot;A&quot;]', condition: '=true' }));
    expect(run(compiled).activeElements.sort()).toEqual(['A', 'Adhoc']);
  });

  it('raises an incident at the sub-process when the collection names no inner element', async () => {
    const compiled = await compileXml(adHocProcess({ collection: '=chosen' }));
    const sim = run(compiled, [{ type: 'incident.retry', elementId: 'Adhoc', variables: { chosen: ['B'] } }], {
      chosen: ['Nope'],
    });
    expect(sim.effects).toContainEqual(
      expect.objectContaining({ type: 'incident.raise', elementId: 'Adhoc', code: 'EXPRESSION_FAILED' }),
    );
    expect(tasksOf(sim)).toEqual(['B']);
  });

  describe('refuses at deploy', () => {
    it('start and end events inside, as invalid', async () => {
      const problems = await problemsOf(adHocProcess({ inner: [start('Inner'), userTask('A'), end('Out')] }));
      expect(problems).toContainEqual(expect.objectContaining({ code: 'START_EVENT_INVALID', elementId: 'Inner' }));
      expect(problems).toContainEqual(expect.objectContaining({ code: 'FLOW_INVALID', elementId: 'Out' }));
    });

    it('sequential ordering, and one handled by a job worker, as not run yet', async () => {
      expect(await problemsOf(adHocProcess({ attrs: ' ordering="Sequential"' }))).toContainEqual(
        expect.objectContaining({
          code: 'UNSUPPORTED_ELEMENT',
          elementId: 'Adhoc',
          message: expect.stringContaining('yet'),
        }),
      );
      const worker = adHocProcess().replace(
        '<bpmn:adHocSubProcess id="Adhoc">',
        '<bpmn:adHocSubProcess id="Adhoc"><bpmn:extensionElements><zeebe:taskDefinition type="agent" /></bpmn:extensionElements>',
      );
      expect(await problemsOf(worker)).toContainEqual(
        expect.objectContaining({
          code: 'UNSUPPORTED_ELEMENT',
          elementId: 'Adhoc',
          message: expect.stringContaining('yet'),
        }),
      );
    });

    it('a collection that is not FEEL', async () => {
      expect(await problemsOf(adHocProcess({ collection: '=[&quot;A&quot;' }))).toContainEqual(
        expect.objectContaining({ code: 'FEEL_SYNTAX', elementId: 'Adhoc' }),
      );
    });
  });
});
