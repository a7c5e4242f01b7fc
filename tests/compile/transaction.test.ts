// issue #12: transaction sub-processes — cancel compensates, then leaves through the cancel boundary
import { describe, expect, it } from 'vitest';
import {
  boundary,
  chain,
  definitions,
  end,
  error,
  errorEnd,
  flow,
  gateway,
  start,
  task,
  userTask,
} from '../helpers/bpmn-builder.js';
import { complete, compileXml, problemsOf, run } from '../helpers/compile.js';
import { cancelBoundary, cancelEnd, compensated, transaction } from '../helpers/compensation-builder.js';

const undone = (visited: string[]) => visited.filter((id) => id.startsWith('Undo_'));

function booking(inside: string[], outside: string[] = [], roots: string[] = []) {
  return definitions(
    'P',
    [
      start('S'),
      transaction('Tx', [
        start('TS'),
        task('Book'),
        task('Charge'),
        ...compensated('Book'),
        ...compensated('Charge'),
        ...inside,
      ]),
      cancelBoundary('Cancelled', 'Tx'),
      task('Notify'),
      end('E'),
      end('ECancelled'),
      ...chain('S', 'Tx', 'E'),
      ...chain('Cancelled', 'Notify', 'ECancelled'),
      ...outside,
    ],
    roots,
  );
}

describe('compile/transaction', () => {
  it('completes like a sub-process when it ends normally, compensating nothing', async () => {
    const compiled = await compileXml(booking([end('TE'), ...chain('TS', 'Book', 'Charge', 'TE')]));
    const sim = run(compiled);
    expect(sim.visited).toEqual(['S', 'Tx', 'TS', 'Book', 'Charge', 'TE', 'E']);
    expect(sim.status).toBe('done');
  });

  it('on a cancel end event compensates its completed activities newest first, then leaves through the cancel boundary', async () => {
    const compiled = await compileXml(booking([cancelEnd('TCancel'), ...chain('TS', 'Book', 'Charge', 'TCancel')]));
    const sim = run(compiled);
    expect(sim.visited).toEqual([
      'S',
      'Tx',
      'TS',
      'Book',
      'Charge',
      'TCancel',
      'Cancelled',
      'Undo_Charge',
      'Undo_Book',
      'Notify',
      'ECancelled',
    ]);
    expect(sim.left).toContain('Tx');
    expect(sim.status).toBe('done');
  });

  it('cancels what still runs in the transaction before compensating, and compensates only what completed', async () => {
    const compiled = await compileXml(
      booking([
        gateway('parallel', 'Split'),
        userTask('Confirm'),
        cancelEnd('TCancel'),
        end('TE'),
        ...compensated('Confirm'),
        ...chain('TS', 'Split'),
        flow('Split', 'Book'),
        flow('Split', 'Confirm'),
        ...chain('Book', 'Charge', 'TCancel'),
        flow('Confirm', 'TE'),
      ]),
    );
    const sim = run(compiled);
    expect(undone(sim.visited)).toEqual(['Undo_Charge', 'Undo_Book']);
    expect(sim.effects).toContainEqual(expect.objectContaining({ type: 'task.cancel', elementId: 'Confirm' }));
    expect(sim.activeElements).toEqual([]);
    expect(sim.visited.at(-1)).toBe('ECancelled');
  });

  it('waits at the cancel boundary while a handler waits for a person', async () => {
    const xml = booking([cancelEnd('TCancel'), ...chain('TS', 'Book', 'Charge', 'TCancel')]).replace(
      '<bpmn:task id="Undo_Charge" isForCompensation="true" />',
      '<bpmn:userTask id="Undo_Charge" isForCompensation="true" />',
    );
    const compiled = await compileXml(xml);
    expect(run(compiled).activeElements.sort()).toEqual(['Cancelled', 'Undo_Charge']);
    const sim = run(compiled, [complete('Undo_Charge')]);
    expect(undone(sim.visited)).toEqual(['Undo_Charge', 'Undo_Book']);
    expect(sim.status).toBe('done');
  });

  it('leaves through the error boundary on an error inside, without compensation', async () => {
    const compiled = await compileXml(
      booking(
        [errorEnd('TError', 'Err'), ...chain('TS', 'Book', 'Charge', 'TError')],
        [boundary('Failed', 'Tx', { error: 'Err' }), end('EFailed'), ...chain('Failed', 'EFailed')],
        [error('Err', 'PAYMENT_FAILED')],
      ),
    );
    const sim = run(compiled);
    expect(undone(sim.visited)).toEqual([]);
    expect(sim.visited.slice(-2)).toEqual(['Failed', 'EFailed']);
    expect(sim.status).toBe('done');
  });

  describe('refuses at deploy', () => {
    it('a cancel end event outside a transaction', async () => {
      const problems = await problemsOf(definitions('P', [start('S'), cancelEnd('C'), ...chain('S', 'C')]));
      expect(problems).toContainEqual(expect.objectContaining({ code: 'EVENT_DEFINITION_INVALID', elementId: 'C' }));
    });

    it('a cancel end event whose transaction has no cancel boundary event', async () => {
      const problems = await problemsOf(
        definitions('P', [
          start('S'),
          transaction('Tx', [start('TS'), cancelEnd('C'), ...chain('TS', 'C')]),
          end('E'),
          ...chain('S', 'Tx', 'E'),
        ]),
      );
      expect(problems).toContainEqual(expect.objectContaining({ code: 'EVENT_DEFINITION_INVALID', elementId: 'C' }));
    });

    it('a cancel boundary event on a plain sub-process', async () => {
      const problems = await problemsOf(
        definitions('P', [
          start('S'),
          `<bpmn:subProcess id="Sub"><bpmn:startEvent id="SS" /><bpmn:endEvent id="SE" />${chain('SS', 'SE').join('')}</bpmn:subProcess>`,
          cancelBoundary('B', 'Sub'),
          end('E'),
          end('EB'),
          ...chain('S', 'Sub', 'E'),
          ...chain('B', 'EB'),
        ]),
      );
      expect(problems).toContainEqual(expect.objectContaining({ code: 'EVENT_DEFINITION_INVALID', elementId: 'B' }));
    });
  });
});
