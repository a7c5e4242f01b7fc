// issue #10: BPMN 2.0 rules the XML schema cannot express are checked at deploy, naming the element
import { describe, expect, it } from 'vitest';
import {
  boundary,
  chain,
  definitions,
  end,
  error,
  escalation,
  flow,
  gateway,
  message,
  messageCatch,
  start,
  timerCatch,
  userTask,
} from '../helpers/bpmn-builder.js';
import { problemsOf } from '../helpers/compile.js';

const NS = 'xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"';
const refused = (code: string, elementId: string) =>
  expect.arrayContaining([expect.objectContaining({ code, elementId })]);
const invalidBecause = (code: string, elementId: string) =>
  expect.arrayContaining([
    expect.objectContaining({ code, elementId, message: expect.stringContaining('the model is invalid because') }),
  ]);
const tail = [userTask('A'), userTask('B'), end('E'), end('E2')];

describe('bpmn/spec rules: gateways', () => {
  it('refuses a gateway with one incoming and one outgoing flow', async () => {
    const problems = await problemsOf(
      definitions('P', [start('S'), gateway('exclusive', 'G'), end('E'), ...chain('S', 'G', 'E')]),
    );
    expect(problems).toEqual(invalidBecause('GATEWAY_INVALID', 'G'));
  });

  it('refuses a converging gateway that splits and a diverging gateway that merges', async () => {
    const problems = await problemsOf(
      definitions('P', [
        start('S'),
        '<bpmn:parallelGateway id="Split" gatewayDirection="Converging" />',
        ...tail,
        '<bpmn:parallelGateway id="Join" gatewayDirection="Diverging" />',
        flow('S', 'Split'),
        flow('Split', 'A'),
        flow('Split', 'B'),
        flow('A', 'Join'),
        flow('B', 'Join'),
        flow('Join', 'E'),
      ]),
    );
    expect(problems).toEqual(invalidBecause('GATEWAY_INVALID', 'Split'));
    expect(problems).toEqual(invalidBecause('GATEWAY_INVALID', 'Join'));
  });

  it('refuses an event-based gateway leading to a task, and a condition on its flows', async () => {
    const problems = await problemsOf(
      definitions(
        'P',
        [
          start('S'),
          gateway('eventBased', 'Race'),
          messageCatch('Reply', 'M'),
          timerCatch('Late', 'duration', 'PT1H'),
          userTask('A'),
          end('E'),
          end('E2'),
          end('E3'),
          flow('S', 'Race'),
          flow('Race', 'Reply', 'true'),
          flow('Race', 'Late'),
          flow('Race', 'A'),
          flow('Reply', 'E'),
          flow('Late', 'E2'),
          flow('A', 'E3'),
        ],
        [message('M', 'reply')],
      ),
    );
    expect(problems).toEqual(refused('EVENT_GATEWAY_TARGET', 'Race'));
    expect(problems).toEqual(invalidBecause('FLOW_INVALID', 'Flow_Race_Reply'));
  });
});

describe('bpmn/spec rules: start, end and boundary flows', () => {
  it('refuses a flow into a start event and a flow out of an end event', async () => {
    const problems = await problemsOf(
      definitions('P', [start('S'), userTask('A'), end('E'), ...chain('S', 'A', 'E'), flow('E', 'S')]),
    );
    expect(problems).toEqual(invalidBecause('FLOW_INVALID', 'S'));
    expect(problems).toEqual(invalidBecause('FLOW_INVALID', 'E'));
  });

  it('refuses a boundary event with an incoming flow or without an outgoing one', async () => {
    const problems = await problemsOf(
      definitions('P', [
        start('S'),
        userTask('A'),
        boundary('Late', 'A', { timer: ['duration', 'PT1H'] }),
        boundary('Silent', 'A', { timer: ['duration', 'PT2H'] }),
        end('E'),
        ...chain('S', 'A', 'E'),
        flow('S', 'Late'),
      ]),
    );
    expect(problems).toEqual(invalidBecause('FLOW_INVALID', 'Late'));
    expect(problems).toEqual(invalidBecause('FLOW_INVALID', 'Silent'));
  });

  it('refuses a compensation boundary event connected by a sequence flow', async () => {
    const problems = await problemsOf(
      definitions('P', [
        start('S'),
        userTask('A'),
        '<bpmn:boundaryEvent id="Undo" attachedToRef="A"><bpmn:compensateEventDefinition /></bpmn:boundaryEvent>',
        userTask('Refund'),
        end('E'),
        ...chain('S', 'A', 'E'),
        flow('Undo', 'Refund'),
      ]),
    );
    expect(problems).toEqual(invalidBecause('FLOW_INVALID', 'Undo'));
  });
});

describe('bpmn/spec rules: event definitions', () => {
  it('refuses a definition an event of that position cannot have', async () => {
    const problems = await problemsOf(
      definitions('P', [
        start('S'),
        userTask('A'),
        '<bpmn:endEvent id="E"><bpmn:timerEventDefinition><bpmn:timeDuration>PT1H</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:endEvent>',
        '<bpmn:boundaryEvent id="B" attachedToRef="A"><bpmn:terminateEventDefinition /></bpmn:boundaryEvent>',
        end('E2'),
        ...chain('S', 'A', 'E'),
        flow('B', 'E2'),
      ]),
    );
    expect(problems).toEqual(invalidBecause('EVENT_DEFINITION_INVALID', 'E'));
    expect(problems).toEqual(invalidBecause('EVENT_DEFINITION_INVALID', 'B'));
  });

  it.each([
    ['errorRef', '<bpmn:endEvent id="X"><bpmn:errorEventDefinition errorRef="Msg" /></bpmn:endEvent>'],
    ['escalationRef', '<bpmn:endEvent id="X"><bpmn:escalationEventDefinition escalationRef="Err" /></bpmn:endEvent>'],
    [
      'messageRef',
      '<bpmn:intermediateCatchEvent id="X"><bpmn:messageEventDefinition messageRef="Esc" /></bpmn:intermediateCatchEvent>',
    ],
    ['signalRef', '<bpmn:startEvent id="X"><bpmn:signalEventDefinition signalRef="Msg" /></bpmn:startEvent>'],
  ])('refuses a %s naming an element of the wrong kind', async (property, event) => {
    const problems = await problemsOf(
      definitions(
        'P',
        [start('S'), event, end('E'), flow('S', 'X'), flow('X', 'E')],
        [message('Msg', 'm'), error('Err', 'e'), escalation('Esc', 'x')],
      ),
    );
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          code: 'REFERENCE_INVALID',
          message: expect.stringContaining(`refers with ${property}`),
        }),
      ]),
    );
  });
});

describe('bpmn/spec rules: message flows', () => {
  const collaboration = (flows: string) => `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions ${NS} id="D" targetNamespace="https://svcflow.dev/test">
  <bpmn:collaboration id="C"><bpmn:participant id="Pool_a" processRef="P" /><bpmn:participant id="Pool_b" processRef="Q" />${flows}</bpmn:collaboration>
  <bpmn:process id="P" isExecutable="true">${[start('S'), userTask('A'), gateway('parallel', 'G'), userTask('B'), userTask('C2'), end('E'), end('E2'), flow('S', 'A'), flow('A', 'G'), flow('G', 'B'), flow('G', 'C2'), flow('B', 'E'), flow('C2', 'E2')].join('')}</bpmn:process>
  <bpmn:process id="Q" isExecutable="false">${[start('QS'), userTask('QA'), end('QE'), ...chain('QS', 'QA', 'QE')].join('')}</bpmn:process>
</bpmn:definitions>`;

  it('accepts a message flow from a task of one pool to a task of another', async () => {
    expect(await problemsOf(collaboration('<bpmn:messageFlow id="MF" sourceRef="A" targetRef="QA" />'))).toEqual([]);
  });

  it('refuses a message flow inside one pool, naming it', async () => {
    expect(await problemsOf(collaboration('<bpmn:messageFlow id="MF" sourceRef="A" targetRef="B" />'))).toEqual(
      invalidBecause('MESSAGE_FLOW_INVALID', 'MF'),
    );
  });

  it('refuses a message flow from a gateway', async () => {
    expect(await problemsOf(collaboration('<bpmn:messageFlow id="MF" sourceRef="G" targetRef="QA" />'))).toEqual(
      invalidBecause('MESSAGE_FLOW_INVALID', 'MF'),
    );
  });
});

describe('bpmn/spec rules: attribute values', () => {
  it('refuses a condition on a flow out of a parallel gateway', async () => {
    const problems = await problemsOf(
      definitions('P', [
        start('S'),
        gateway('parallel', 'Split'),
        ...tail,
        flow('S', 'Split'),
        flow('Split', 'A', 'x > 1'),
        flow('Split', 'B'),
        flow('A', 'E'),
        flow('B', 'E2'),
      ]),
    );
    expect(problems).toEqual(invalidBecause('FLOW_INVALID', 'Flow_Split_A'));
  });

  it('refuses a default flow with a condition', async () => {
    const problems = await problemsOf(
      definitions('P', [
        start('S'),
        gateway('exclusive', 'Route', 'Flow_Route_B'),
        ...tail,
        flow('S', 'Route'),
        flow('Route', 'A', 'x > 1'),
        flow('Route', 'B', 'x <= 1'),
        flow('A', 'E'),
        flow('B', 'E2'),
      ]),
    );
    expect(problems).toEqual(invalidBecause('FLOW_INVALID', 'Flow_Route_B'));
  });
});

describe('bpmn/spec rules: references resolve', () => {
  it('refuses flows, boundaries and defaults that name nothing', async () => {
    const problems = await problemsOf(
      definitions('P', [
        start('S'),
        gateway('exclusive', 'Route', 'Flow_nowhere'),
        ...tail,
        '<bpmn:boundaryEvent id="Lost" attachedToRef="Task_gone"><bpmn:timerEventDefinition><bpmn:timeDuration>PT1H</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:boundaryEvent>',
        flow('S', 'Route'),
        flow('Route', 'A', 'x > 1'),
        flow('Route', 'B', 'x <= 1'),
        flow('A', 'E'),
        flow('B', 'Missing'),
        flow('Lost', 'E2'),
      ]),
    );
    expect(problems).toEqual(refused('FLOW_TARGET_MISSING', 'Flow_B_Missing'));
    expect(problems).toEqual(refused('BOUNDARY_INVALID', 'Lost'));
    expect(problems).toEqual(refused('GATEWAY_NO_DEFAULT', 'Route'));
  });

  it('refuses data associations, data object references and item definitions that name nothing', async () => {
    const problems = await problemsOf(
      definitions('P', [
        start('S'),
        `<bpmn:userTask id="A"><bpmn:dataInputAssociation id="In"><bpmn:sourceRef>Data_gone</bpmn:sourceRef></bpmn:dataInputAssociation></bpmn:userTask>`,
        '<bpmn:dataObjectReference id="Ref" dataObjectRef="Object_gone" />',
        '<bpmn:dataObject id="Obj" itemSubjectRef="Item_gone" />',
        end('E'),
        ...chain('S', 'A', 'E'),
      ]),
    );
    expect(problems).toEqual(refused('REFERENCE_MISSING', 'In'));
    expect(problems).toEqual(refused('REFERENCE_MISSING', 'Ref'));
    expect(problems).toEqual(refused('REFERENCE_MISSING', 'Obj'));
  });
});
