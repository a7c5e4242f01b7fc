/**
 * Issue #11, ad-hoc sub-processes over HTTP: a complaint's "work the case" step is an ad-hoc sub-process whose
 * first step is chosen by the model and the next ones by the agent (POST /api/instances/{id}/activate); it ends
 * when the agent records the case as resolved, cancelling what was still open.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testApp, type Caller, type TestApp } from '../helpers/app.js';
import { chain, definitions, end, start, userTask } from '../helpers/bpmn-builder.js';

const WORK_THE_CASE = definitions('Complaint_adhoc', [
  start('S'),
  `<bpmn:adHocSubProcess id="Work" name="Work the case">
    <bpmn:extensionElements><zeebe:adHoc activeElementsCollection="=[&quot;Review&quot;]" /></bpmn:extensionElements>
    ${userTask('Review', { groups: 'complaints' })}
    ${userTask('CallCustomer', { groups: 'complaints' })}
    ${userTask('SendLetter', { groups: 'complaints' })}
    <bpmn:completionCondition xsi:type="bpmn:tFormalExpression" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">=resolved = true</bpmn:completionCondition>
  </bpmn:adHocSubProcess>`,
  userTask('Close', { groups: 'complaints' }),
  end('E'),
  ...chain('S', 'Work', 'Close', 'E'),
]);

describe('api/ad-hoc sub-processes', () => {
  let t: TestApp;
  let agent: Caller;
  beforeEach(async () => {
    t = await testApp();
    await t.deploy(WORK_THE_CASE);
    agent = await t.as({ username: 'agent1', roles: ['staff'], groups: ['complaints'] });
  });
  afterEach(() => t.close());

  const openTasks = async (instanceId: string) =>
    (
      (await agent.call('GET', `/api/tasks?instanceId=${instanceId}&status=open`)).json().items as Array<{
        id: string;
        elementId: string;
      }>
    )
      .map((task) => task.elementId)
      .sort();
  const completeAt = async (instanceId: string, elementId: string, variables: Record<string, unknown> = {}) => {
    const tasks = (await agent.call('GET', `/api/tasks?instanceId=${instanceId}&status=open`)).json().items as Array<{
      id: string;
      elementId: string;
    }>;
    const task = tasks.find((x) => x.elementId === elementId)!;
    expect((await agent.call('POST', `/api/tasks/${task.id}/complete`, { variables })).statusCode).toBe(200);
  };

  it('lets the agent pick the next steps until the case is resolved, then closes what is left', async () => {
    const { id } = (await agent.call('POST', '/api/instances', { definitionKey: 'Complaint_adhoc' })).json();
    expect(await openTasks(id)).toEqual(['Review']);
    await completeAt(id, 'Review', { resolved: false });
    // nothing left to do, but not resolved: the case waits for the agent's next choice
    expect((await agent.call('GET', `/api/instances/${id}`)).json().activeElements).toEqual(['Work']);

    const chosen = await agent.call('POST', `/api/instances/${id}/activate`, {
      elementIds: ['CallCustomer', 'SendLetter'],
    });
    expect(chosen.statusCode).toBe(200);
    expect(chosen.json().activeElements.sort()).toEqual(['CallCustomer', 'SendLetter', 'Work']);
    expect(await openTasks(id)).toEqual(['CallCustomer', 'SendLetter']);

    await completeAt(id, 'CallCustomer', { resolved: true });
    expect(await openTasks(id)).toEqual(['Close']);
    const history = (await agent.call('GET', `/api/instances/${id}/history`)).json().items as Array<{
      event: string;
      elementId: string | null;
      by: string | null;
    }>;
    expect(history.filter((h) => h.elementId === 'SendLetter').map((h) => h.event)).toContain('task.cancelled');
    const late = await agent.call('POST', `/api/instances/${id}/activate`, { elementIds: ['SendLetter'] });
    expect(late.statusCode).toBe(409);
    expect(late.json()).toMatchObject({ code: 'ELEMENT_NOT_ACTIVATABLE', elementIds: ['SendLetter'] });
  });

  it('refuses elements outside the ad-hoc sub-process, unknown ones and an empty list, and changes nothing', async () => {
    const { id } = (await agent.call('POST', '/api/instances', { definitionKey: 'Complaint_adhoc' })).json();
    for (const elementIds of [['Close'], ['Nope'], ['CallCustomer', 'Close']]) {
      const res = await agent.call('POST', `/api/instances/${id}/activate`, { elementIds });
      expect(res.statusCode, elementIds.join()).toBe(409);
      expect(res.json().code).toBe('ELEMENT_NOT_ACTIVATABLE');
    }
    expect((await agent.call('POST', `/api/instances/${id}/activate`, { elementIds: [] })).statusCode).toBe(400);
    expect((await agent.call('POST', '/api/instances/nope/activate', { elementIds: ['Review'] })).statusCode).toBe(404);
    expect(await openTasks(id)).toEqual(['Review']);
  });

  it('refuses a caller who may not see the case, and a worker, who does not work cases', async () => {
    const { id } = (await agent.call('POST', '/api/instances', { definitionKey: 'Complaint_adhoc' })).json();
    const outsider = await t.as({ username: 'outsider', roles: ['staff'], groups: ['billing'] });
    const refused = await outsider.call('POST', `/api/instances/${id}/activate`, { elementIds: ['CallCustomer'] });
    expect([403, 404]).toContain(refused.statusCode);
    const worker = await t.as({ username: 'w1', roles: ['worker'] });
    expect(
      (await worker.call('POST', `/api/instances/${id}/activate`, { elementIds: ['CallCustomer'] })).statusCode,
    ).toBe(403);
    expect(await openTasks(id)).toEqual(['Review']);
  });
});
