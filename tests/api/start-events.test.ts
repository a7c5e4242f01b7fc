// issue #12: a process with several start events starts at each one's own place, by every entry point
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { chain, definitions, end, message, start, subProcess, userTask } from '../helpers/bpmn-builder.js';
import { testApp, type TestApp } from '../helpers/app.js';
import { messageStart, signal, signalStart, timerStart } from '../helpers/event-builder.js';

// five start events, each leading to its own user task
const COMPLAINT = definitions(
  'Complaint',
  [
    start('ByHand'),
    messageStart('FromWeb', 'Web'),
    messageStart('FromPhone', 'Phone'),
    signalStart('OnOutage', 'Outage'),
    timerStart('Nightly', 'duration', 'PT1H'),
    userTask('Desk'),
    userTask('WebTriage'),
    userTask('PhoneTriage'),
    userTask('OutageCheck'),
    userTask('NightlyReview'),
    subProcess('Inner', [start('InnerStart'), end('InnerEnd'), ...chain('InnerStart', 'InnerEnd')]),
    end('E1'),
    end('E2'),
    end('E3'),
    end('E4'),
    end('E5'),
    ...chain('ByHand', 'Inner', 'Desk', 'E1'),
    ...chain('FromWeb', 'WebTriage', 'E2'),
    ...chain('FromPhone', 'PhoneTriage', 'E3'),
    ...chain('OnOutage', 'OutageCheck', 'E4'),
    ...chain('Nightly', 'NightlyReview', 'E5'),
  ],
  [message('Web', 'complaint.web'), message('Phone', 'complaint.phone'), signal('Outage', 'outage')],
);

describe('api/several start events in one process', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await testApp();
    await t.deploy(COMPLAINT);
  });
  afterEach(() => t.close());

  const instances = async () =>
    (await t.call('GET', '/api/instances?definitionKey=Complaint')).json().items as Array<{
      id: string;
      activeElements: string[];
    }>;
  const startedAt = async (id: string) =>
    (await t.engine.history(id)).find((h) => h.event === 'instance.started')?.elementId ?? null;

  it('POST /api/instances starts at the none start event, or at the start event it names', async () => {
    const plain = await t.call('POST', '/api/instances', { definitionKey: 'Complaint' });
    expect(plain.statusCode).toBe(201);
    expect(plain.json().activeElements).toEqual(['Desk']);
    for (const [startEventId, task] of [
      ['FromWeb', 'WebTriage'],
      ['FromPhone', 'PhoneTriage'],
      ['OnOutage', 'OutageCheck'],
      ['Nightly', 'NightlyReview'],
      ['ByHand', 'Desk'],
    ]) {
      const res = await t.call('POST', '/api/instances', { definitionKey: 'Complaint', startEventId });
      expect(res.statusCode, startEventId).toBe(201);
      expect(res.json().activeElements).toEqual([task]);
      expect(await startedAt(res.json().id)).toBe(startEventId);
    }
  });

  it('refuses a startEventId that is not a top-level start event, naming it, and starts nothing', async () => {
    for (const startEventId of ['Nope', 'InnerStart', 'Desk']) {
      const res = await t.call('POST', '/api/instances', { definitionKey: 'Complaint', startEventId });
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({
        code: 'START_EVENT_UNKNOWN',
        elementId: startEventId,
        startEvents: ['ByHand', 'FromWeb', 'FromPhone', 'OnOutage', 'Nightly'],
      });
    }
    expect(await instances()).toHaveLength(0);
  });

  it('each message, the signal and the timer start the process at their own start event', async () => {
    const web = await t.call('POST', '/api/messages', { name: 'complaint.web' });
    expect(web.json().instances[0].activeElements).toEqual(['WebTriage']);
    const phone = await t.call('POST', '/api/messages', { name: 'complaint.phone' });
    expect(phone.json().instances[0].activeElements).toEqual(['PhoneTriage']);
    const outage = (await t.call('POST', '/api/signals', { name: 'outage' })).json();
    expect(outage.startedInstanceIds).toHaveLength(1);
    expect((await t.call('GET', `/api/instances/${outage.startedInstanceIds[0]}`)).json().activeElements).toEqual([
      'OutageCheck',
    ]);
    await t.engine.tick();
    expect(await instances()).toHaveLength(3);
    t.clock.advance(3_600_000);
    await t.engine.tick();
    const all = await instances();
    expect(all.map((i) => i.activeElements[0]).sort()).toEqual([
      'NightlyReview',
      'OutageCheck',
      'PhoneTriage',
      'WebTriage',
    ]);
    const nightly = all.find((i) => i.activeElements[0] === 'NightlyReview');
    expect(await startedAt(nightly?.id ?? '')).toBe('Nightly');
  });

  it('Camunda 7 start uses the none start event, or the start event of a startBeforeActivity instruction', async () => {
    const plain = await t.call('POST', '/engine-rest/process-definition/key/Complaint/start', {});
    expect(plain.statusCode).toBe(200);
    const at = await t.call('POST', '/engine-rest/process-definition/key/Complaint/start', {
      startInstructions: [{ type: 'startBeforeActivity', activityId: 'OnOutage' }],
    });
    expect(at.statusCode).toBe(200);
    const active = async (id: string) => (await t.call('GET', `/api/instances/${id}`)).json().activeElements;
    expect(await active(plain.json().id)).toEqual(['Desk']);
    expect(await active(at.json().id)).toEqual(['OutageCheck']);
    const unknown = await t.call('POST', '/engine-rest/process-definition/key/Complaint/start', {
      startInstructions: [{ type: 'startBeforeActivity', activityId: 'Desk' }],
    });
    expect(unknown.statusCode).toBe(400);
    // instructions svcflow cannot honour are refused, not ignored
    const two = await t.call('POST', '/engine-rest/process-definition/key/Complaint/start', {
      startInstructions: [
        { type: 'startBeforeActivity', activityId: 'FromWeb' },
        { type: 'startBeforeActivity', activityId: 'FromPhone' },
      ],
    });
    expect(two.statusCode).toBe(400);
    const after = await t.call('POST', '/engine-rest/process-definition/key/Complaint/start', {
      startInstructions: [{ type: 'startAfterActivity', activityId: 'FromWeb' }],
    });
    expect(after.statusCode).toBe(400);
    expect(await instances()).toHaveLength(2);
  });

  it('Camunda 8 create starts at the none start event, or at the start event of its one start instruction', async () => {
    const plain = await t.call('POST', '/v2/process-instances', { processDefinitionId: 'Complaint' });
    expect(plain.statusCode).toBe(200);
    const at = await t.call('POST', '/v2/process-instances', {
      processDefinitionId: 'Complaint',
      startInstructions: [{ elementId: 'FromPhone' }],
    });
    expect(at.statusCode).toBe(200);
    expect((await instances()).map((i) => i.activeElements[0]).sort()).toEqual(['Desk', 'PhoneTriage']);
    const unknown = await t.call('POST', '/v2/process-instances', {
      processDefinitionId: 'Complaint',
      startInstructions: [{ elementId: 'Desk' }],
    });
    expect(unknown.statusCode).toBe(400);
    expect(await instances()).toHaveLength(2);
  });
});

// one multiple start event: any one of its triggers starts the process there
const INTAKE = definitions(
  'Intake',
  [
    `<bpmn:startEvent id="Any"><bpmn:messageEventDefinition messageRef="Web" /><bpmn:signalEventDefinition signalRef="Outage" /><bpmn:timerEventDefinition><bpmn:timeDuration>PT1H</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:startEvent>`,
    userTask('Triage'),
    end('E'),
    ...chain('Any', 'Triage', 'E'),
  ],
  [message('Web', 'intake.web'), signal('Outage', 'outage')],
);

describe('api/a multiple start event', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await testApp();
    await t.deploy(INTAKE);
  });
  afterEach(() => t.close());

  const instances = async () =>
    (await t.call('GET', '/api/instances?definitionKey=Intake')).json().items as Array<{
      id: string;
      activeElements: string[];
    }>;

  it('starts an instance at the event for its message, its signal and its timer, recorded as the start event', async () => {
    const web = await t.call('POST', '/api/messages', { name: 'intake.web', variables: { channel: 'web' } });
    expect(web.statusCode).toBe(201);
    expect(web.json().instances[0]).toMatchObject({ activeElements: ['Triage'], variables: { channel: 'web' } });
    expect((await t.call('POST', '/api/signals', { name: 'outage' })).json().startedInstanceIds).toHaveLength(1);
    await t.engine.tick();
    expect(await instances()).toHaveLength(2);
    t.clock.advance(3_600_000);
    await t.engine.tick();
    const all = await instances();
    expect(all).toHaveLength(3);
    expect(all.every((i) => i.activeElements[0] === 'Triage')).toBe(true);
    for (const { id } of all) {
      const history = await t.engine.history(id);
      expect(history.find((h) => h.event === 'instance.started')?.elementId).toBe('Any');
      expect(history.filter((h) => h.event === 'element.entered').map((h) => [h.elementId, h.elementType])).toEqual([
        ['Any', 'startEvent'],
        ['Triage', 'userTask'],
      ]);
    }
  });

  it('POST /api/instances starts at it by its BPMN id, and knows no internal ids', async () => {
    expect((await t.call('POST', '/api/instances', { definitionKey: 'Intake' })).json().code).toBe(
      'NO_NONE_START_EVENT',
    );
    const at = await t.call('POST', '/api/instances', { definitionKey: 'Intake', startEventId: 'Any' });
    expect(at.statusCode).toBe(201);
    expect(at.json().activeElements).toEqual(['Triage']);
    const internal = await t.call('POST', '/api/instances', { definitionKey: 'Intake', startEventId: 'Any__1' });
    expect(internal.statusCode).toBe(400);
    expect(internal.json()).toMatchObject({ code: 'START_EVENT_UNKNOWN', startEvents: ['Any'] });
  });
});
