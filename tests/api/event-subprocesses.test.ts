// issue #11/#12: message, signal and error event sub-processes reached through every door
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { chain, definitions, end, error, message, serviceTask, start, userTask } from '../helpers/bpmn-builder.js';
import { testApp, type TestApp } from '../helpers/app.js';
import { eventSubProcess } from '../helpers/esp-builder.js';
import { signal } from '../helpers/event-builder.js';

// a case waits for its work; a customer's withdrawal (message, by caseId) ends it, an outage (signal) adds a notice
const CASE = definitions(
  'Case',
  [
    start('S'),
    userTask('Work'),
    end('E'),
    ...chain('S', 'Work', 'E'),
    eventSubProcess('Withdrawn', 'WithdrawnStart', { message: 'Withdraw' }, [
      userTask('Close'),
      end('Closed'),
      ...chain('WithdrawnStart', 'Close', 'Closed'),
    ]),
    eventSubProcess(
      'Outage',
      'OutageStart',
      { signal: 'Sig' },
      [userTask('Notice'), end('Noticed'), ...chain('OutageStart', 'Notice', 'Noticed')],
      false,
    ),
  ],
  [message('Withdraw', 'case.withdrawn', '=caseId'), signal('Sig', 'outage')],
);

// a charge job whose BPMN error the process's error event sub-process catches
const CHARGE = definitions(
  'Charge',
  [
    start('S'),
    serviceTask('Pay', 'charge'),
    end('E'),
    ...chain('S', 'Pay', 'E'),
    eventSubProcess('Declined', 'DeclinedStart', { error: 'Err' }, [
      userTask('CallCustomer'),
      end('Called'),
      ...chain('DeclinedStart', 'CallCustomer', 'Called'),
    ]),
  ],
  [error('Err', 'CARD_DECLINED')],
);

describe('api/event sub-processes', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await testApp();
    await t.deploy(CASE);
    await t.deploy(CHARGE);
  });
  afterEach(() => t.close());

  const startCase = async (caseId: string) =>
    (await t.call('POST', '/api/instances', { definitionKey: 'Case', variables: { caseId } })).json().id as string;
  const instance = async (id: string) => (await t.call('GET', `/api/instances/${id}`)).json();
  const tasks = async (id: string) =>
    (await t.call('GET', `/api/tasks?instanceId=${id}&status=all`))
      .json()
      .items.map((x: { elementId: string; status: string }) => [x.elementId, x.status]);

  it('a message through /api/messages starts the interrupting one of the case with that key only', async () => {
    const mine = await startCase('C-1');
    const other = await startCase('C-2');
    const res = await t.call('POST', '/api/messages', { name: 'case.withdrawn', correlationKey: 'C-1' });
    expect(res.statusCode).toBeLessThan(300);
    expect((await instance(mine)).activeElements).toEqual(['Close']);
    expect(await tasks(mine)).toEqual(expect.arrayContaining([['Work', 'cancelled']]));
    expect((await instance(other)).activeElements).toEqual(['Work']);
  });

  it('a message through /engine-rest/message correlates by the process variable', async () => {
    const mine = await startCase('C-3');
    const res = await t.call('POST', '/engine-rest/message', {
      messageName: 'case.withdrawn',
      correlationKeys: { caseId: { value: 'C-3', type: 'String' } },
    });
    expect(res.statusCode).toBeLessThan(300);
    expect((await instance(mine)).activeElements).toEqual(['Close']);
  });

  it('a message through /v2/messages/publication reaches it by correlation key', async () => {
    const mine = await startCase('C-4');
    const res = await t.call('POST', '/v2/messages/publication', { name: 'case.withdrawn', correlationKey: 'C-4' });
    expect(res.statusCode).toBe(200);
    expect((await instance(mine)).activeElements).toEqual(['Close']);
  });

  it('a signal through /api/signals runs the non-interrupting one beside the work, and its subscription ends with the case', async () => {
    const kase = await startCase('C-5');
    const res = await t.call('POST', '/api/signals', { name: 'outage' });
    expect(res.statusCode).toBeLessThan(300);
    expect((await instance(kase)).activeElements.sort()).toEqual(['Notice', 'Work']);
    await t.call('POST', '/api/messages', { name: 'case.withdrawn', correlationKey: 'C-5' });
    expect((await instance(kase)).activeElements).toEqual(['Close']);
    expect(await tasks(kase)).toEqual(expect.arrayContaining([['Notice', 'cancelled']]));
    const again = (await t.call('POST', '/api/signals', { name: 'outage' })).json();
    expect(again.deliveredInstanceIds).toEqual([]);
    expect((await instance(kase)).activeElements).toEqual(['Close']);
  });

  it('catches a bpmnError of an external task through /engine-rest', async () => {
    const id = (await t.call('POST', '/api/instances', { definitionKey: 'Charge' })).json().id;
    const [task] = (
      await t.call('POST', '/engine-rest/external-task/fetchAndLock', {
        workerId: 'w',
        maxTasks: 1,
        topics: [{ topicName: 'charge', lockDuration: 1000 }],
      })
    ).json();
    const thrown = await t.call('POST', `/engine-rest/external-task/${task.id}/bpmnError`, {
      workerId: 'w',
      errorCode: 'CARD_DECLINED',
    });
    expect(thrown.statusCode).toBe(204);
    expect(await instance(id)).toMatchObject({ status: 'active', activeElements: ['CallCustomer'] });
  });

  it('catches a job error thrown through /v2/jobs/{key}/error', async () => {
    const id = (await t.call('POST', '/api/instances', { definitionKey: 'Charge' })).json().id;
    const { jobs } = (
      await t.call('POST', '/v2/jobs/activation', { type: 'charge', maxJobsToActivate: 1, timeout: 1000, worker: 'w' })
    ).json();
    const thrown = await t.call('POST', `/v2/jobs/${jobs[0].jobKey}/error`, { errorCode: 'CARD_DECLINED' });
    expect(thrown.statusCode).toBe(204);
    expect(await instance(id)).toMatchObject({ status: 'active', activeElements: ['CallCustomer'] });
  });
});
