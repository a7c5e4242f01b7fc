// issue #10: eventDefinitionRef (a top-level event definition) means the same as a nested one
import { describe, expect, it } from 'vitest';
import { readBpmn } from '../../engine/bpmn/index.js';
import {
  definitions,
  end,
  escalation,
  error,
  flow,
  message,
  start,
  subProcess,
  userTask,
} from '../helpers/bpmn-builder.js';
import { compileXml, effectsOf, run } from '../helpers/compile.js';

const refEvent = (tag: string, id: string, defId: string, attrs = '') =>
  `<bpmn:${tag} id="${id}"${attrs}><bpmn:eventDefinitionRef>${defId}</bpmn:eventDefinitionRef></bpmn:${tag}>`;
const ROOTS = [
  error('Error_x', 'X'),
  escalation('Esc_y', 'Y'),
  message('Msg_z', 'zed'),
  '<bpmn:errorEventDefinition id="Def_error" errorRef="Error_x" />',
  '<bpmn:escalationEventDefinition id="Def_esc" escalationRef="Esc_y" />',
  '<bpmn:messageEventDefinition id="Def_msg" messageRef="Msg_z" />',
  '<bpmn:timerEventDefinition id="Def_timer"><bpmn:timeDuration>PT1H</bpmn:timeDuration></bpmn:timerEventDefinition>',
  '<bpmn:terminateEventDefinition id="Def_term" />',
];

describe('bpmn/eventDefinitionRef', () => {
  it('reads the referenced definition on start, end, intermediate and boundary events', async () => {
    // given
    const xml = definitions(
      'P',
      [
        refEvent('startEvent', 'S', 'Def_timer'),
        refEvent('intermediateCatchEvent', 'Wait', 'Def_timer'),
        refEvent('intermediateCatchEvent', 'Hear', 'Def_msg'),
        refEvent('intermediateThrowEvent', 'Raise', 'Def_esc'),
        userTask('A'),
        refEvent('boundaryEvent', 'B_err', 'Def_error', ' attachedToRef="A"'),
        refEvent('boundaryEvent', 'B_esc', 'Def_esc', ' attachedToRef="A" cancelActivity="false"'),
        refEvent('endEvent', 'E_err', 'Def_error'),
        refEvent('endEvent', 'E_term', 'Def_term'),
        end('E1'),
        end('E2'),
        flow('S', 'Wait'),
        flow('Wait', 'Hear'),
        flow('Hear', 'Raise'),
        flow('Raise', 'A'),
        flow('A', 'E_err'),
        flow('B_err', 'E_term'),
        flow('B_esc', 'E1'),
      ],
      ROOTS,
    );
    // when
    const { document, problems } = await readBpmn(xml);
    // then
    expect(problems).toEqual([]);
    const kinds = Object.fromEntries(Object.values(document!.processes[0].nodes).map((n) => [n.id, n.event]));
    expect(kinds.S).toMatchObject({ kind: 'timer', timer: { type: 'duration', value: 'PT1H' } });
    expect(kinds.Wait).toMatchObject({ kind: 'timer' });
    expect(kinds.Hear).toMatchObject({ kind: 'message', messageName: 'zed' });
    expect(kinds.Raise).toMatchObject({ kind: 'escalation', escalationCode: 'Y' });
    expect(kinds.B_err).toMatchObject({ kind: 'error', errorCode: 'X' });
    expect(kinds.B_esc).toMatchObject({ kind: 'escalation', escalationCode: 'Y' });
    expect(kinds.E_err).toMatchObject({ kind: 'error', errorCode: 'X' });
    expect(kinds.E_term).toMatchObject({ kind: 'terminate' });
  });

  it('runs an error end event given by reference as an error, caught by a boundary given by reference', async () => {
    const compiled = await compileXml(
      definitions(
        'P',
        [
          start('S'),
          subProcess('Case', [start('CS'), refEvent('endEvent', 'Fail', 'Def_error'), flow('CS', 'Fail')]),
          refEvent('boundaryEvent', 'Caught', 'Def_error', ' attachedToRef="Case"'),
          userTask('Handle'),
          end('E'),
          end('E2'),
          flow('S', 'Case'),
          flow('Case', 'E'),
          flow('Caught', 'Handle'),
          flow('Handle', 'E2'),
        ],
        ROOTS,
      ),
    );
    const sim = run(compiled);
    expect(sim.activeElements).toEqual(['Handle']);
    expect(sim.visited).not.toContain('E');
  });

  it('waits on a timer and a message boundary given by reference', async () => {
    const compiled = await compileXml(
      definitions(
        'P',
        [
          start('S'),
          userTask('A'),
          refEvent('boundaryEvent', 'Late', 'Def_timer', ' attachedToRef="A"'),
          refEvent('boundaryEvent', 'Told', 'Def_msg', ' attachedToRef="A"'),
          end('E'),
          end('E2'),
          end('E3'),
          flow('S', 'A'),
          flow('A', 'E'),
          flow('Late', 'E2'),
          flow('Told', 'E3'),
        ],
        ROOTS,
      ),
    );
    const sim = run(compiled);
    expect(effectsOf(sim, 'timer.schedule')).toEqual([expect.objectContaining({ elementId: 'Late' })]);
    expect(effectsOf(sim, 'message.subscribe')).toEqual([
      expect.objectContaining({ elementId: 'Told', messageName: 'zed' }),
    ]);
  });
});
