// issue 11 "How we will know": a complaint variant that calls the shared customer-notification process and sends
// a multi-instance review to three supervisors, end to end over HTTP (deploy, start, tasks, the job, the call chain)
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testApp, type Caller, type TestApp } from '../helpers/app.js';
import { MULTIPART_TYPE, multipartBody } from '../helpers/multipart.js';

const NS = 'xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0"';

/** The shared notification process: one notify.customer job with the template and channel it is given. */
const NOTIFICATION = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions ${NS} id="Definitions_notification" targetNamespace="https://svcflow.dev/test">
  <bpmn:process id="customer-notification" name="Customer notification" isExecutable="true">
    <bpmn:startEvent id="notifyStart" />
    <bpmn:sendTask id="send" name="Send notification">
      <bpmn:extensionElements>
        <zeebe:taskDefinition type="notify.customer" retries="3" />
        <zeebe:ioMapping>
          <zeebe:input source="=template" target="template" />
          <zeebe:input source="=channel" target="channel" />
          <zeebe:input source="=customerName" target="customerName" />
        </zeebe:ioMapping>
      </bpmn:extensionElements>
    </bpmn:sendTask>
    <bpmn:endEvent id="notifyEnd" />
    <bpmn:sequenceFlow id="n1" sourceRef="notifyStart" targetRef="send" />
    <bpmn:sequenceFlow id="n2" sourceRef="send" targetRef="notifyEnd" />
  </bpmn:process>
</bpmn:definitions>`;

/** The complaint variant: intake, the acknowledgement through the shared process, then three supervisors review at once. */
const COMPLAINT = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions ${NS} id="Definitions_complaint_variant" targetNamespace="https://svcflow.dev/test">
  <bpmn:process id="complaint-with-review" name="Complaint with supervisor review" isExecutable="true">
    <bpmn:startEvent id="received" />
    <bpmn:userTask id="intake" name="Register complaint">
      <bpmn:extensionElements><zeebe:assignmentDefinition candidateGroups="cs-agents" /></bpmn:extensionElements>
    </bpmn:userTask>
    <bpmn:callActivity id="ack" name="Acknowledge to customer">
      <bpmn:extensionElements>
        <zeebe:calledElement processId="customer-notification" propagateAllChildVariables="false" />
        <zeebe:ioMapping>
          <zeebe:input source="=&quot;complaint-ack&quot;" target="template" />
          <zeebe:input source="=preferredContact" target="channel" />
          <zeebe:output source="=notificationId" target="ackNotificationId" />
        </zeebe:ioMapping>
      </bpmn:extensionElements>
    </bpmn:callActivity>
    <bpmn:userTask id="supervisorReview" name="Supervisor review">
      <bpmn:extensionElements><zeebe:assignmentDefinition assignee="=supervisor" /></bpmn:extensionElements>
      <bpmn:multiInstanceLoopCharacteristics>
        <bpmn:extensionElements>
          <zeebe:loopCharacteristics inputCollection="=supervisors" inputElement="supervisor" outputCollection="reviews" outputElement="=verdict" />
        </bpmn:extensionElements>
      </bpmn:multiInstanceLoopCharacteristics>
    </bpmn:userTask>
    <bpmn:endEvent id="closed" />
    <bpmn:sequenceFlow id="c1" sourceRef="received" targetRef="intake" />
    <bpmn:sequenceFlow id="c2" sourceRef="intake" targetRef="ack" />
    <bpmn:sequenceFlow id="c3" sourceRef="ack" targetRef="supervisorReview" />
    <bpmn:sequenceFlow id="c4" sourceRef="supervisorReview" targetRef="closed" />
  </bpmn:process>
</bpmn:definitions>`;

const SUPERVISORS = ['sup-a', 'sup-b', 'sup-c'];

describe('scenarios/complaint calling the customer notification', () => {
  let t: TestApp;
  let agent: Caller;
  let supervisors: Caller[];
  beforeEach(async () => {
    t = await testApp();
    agent = await t.as({ username: 'ann', roles: ['staff'], groups: ['cs-agents'] });
    supervisors = [];
    for (const username of SUPERVISORS)
      supervisors.push(await t.as({ username, roles: ['supervisor'], groups: ['cs-supervisors'] }));
  });
  afterEach(async () => {
    await t.close();
  });

  const tasksOf = async (instanceId: string) =>
    (await t.call('GET', `/api/tasks?instanceId=${instanceId}&status=open`)).json().items as Array<{
      id: string;
      elementId: string;
      assignee: string | null;
    }>;

  it('deploys both files in one deployment, acknowledges through the called process and closes after three reviews', async () => {
    const deployed = await t.app.inject({
      method: 'POST',
      url: '/engine-rest/deployment/create',
      headers: { ...t.headers(), 'content-type': MULTIPART_TYPE },
      payload: multipartBody(
        { 'deployment-name': 'complaints' },
        { 'customer-notification.bpmn': NOTIFICATION, 'complaint-with-review.bpmn': COMPLAINT },
      ),
    });
    expect(deployed.statusCode).toBe(200);

    const started = await t.call('POST', '/api/instances', {
      definitionKey: 'complaint-with-review',
      variables: { customerName: 'Ada Lovelace', preferredContact: 'email', supervisors: SUPERVISORS },
    });
    expect(started.statusCode).toBe(201);
    const caseId = started.json().id as string;

    const [intake] = await tasksOf(caseId);
    expect(intake.elementId).toBe('intake');
    expect((await agent.call('POST', `/api/tasks/${intake.id}/claim`, { userId: 'ann' })).statusCode).toBe(200);
    expect((await agent.call('POST', `/api/tasks/${intake.id}/complete`, { variables: {} })).statusCode).toBe(200);

    // the acknowledgement runs as an instance of its own, linked both ways
    const children = (await t.call('GET', `/api/instances?parentInstanceId=${caseId}`)).json().items;
    expect(children).toEqual([
      expect.objectContaining({
        definitionKey: 'customer-notification',
        parentInstanceId: caseId,
        rootInstanceId: caseId,
        callActivityId: 'ack',
        status: 'active',
      }),
    ]);
    const notificationId = children[0].id as string;
    const [job] = (
      await t.call('POST', '/api/jobs/fetch-and-lock', { workerId: 'mailer', types: ['notify.customer'] })
    ).json().items;
    expect(job).toMatchObject({
      instanceId: notificationId,
      variables: expect.objectContaining({ template: 'complaint-ack', channel: 'email', customerName: 'Ada Lovelace' }),
    });
    const done = await t.call('POST', `/api/jobs/${job.id}/complete`, {
      workerId: 'mailer',
      variables: { notificationId: 'N-1', providerLog: 'sent' },
    });
    expect(done.statusCode).toBe(204);
    expect((await t.call('GET', `/api/instances/${notificationId}`)).json().status).toBe('completed');
    const history = (await t.call('GET', `/api/instances/${caseId}/history`)).json();
    expect((history.items ?? history) as unknown[]).toContainEqual(
      expect.objectContaining({
        event: 'call.started',
        elementId: 'ack',
        details: expect.objectContaining({ calledInstanceId: notificationId }),
      }),
    );

    // only the mapped output came back; three review tasks, one per supervisor, at once
    const afterAck = (await t.call('GET', `/api/instances/${caseId}`)).json();
    expect(afterAck.variables.ackNotificationId).toBe('N-1');
    expect(afterAck.variables).not.toHaveProperty('providerLog');
    const reviews = await tasksOf(caseId);
    expect(reviews.map((r) => [r.elementId, r.assignee]).sort()).toEqual(
      SUPERVISORS.map((s) => ['supervisorReview', s]),
    );
    for (const [i, username] of SUPERVISORS.entries()) {
      const task = reviews.find((r) => r.assignee === username);
      const res = await supervisors[i].call('POST', `/api/tasks/${task?.id}/complete`, {
        variables: { verdict: i === 1 ? 'reopen' : 'ok' },
      });
      expect(res.statusCode).toBe(200);
    }
    const closed = (await t.call('GET', `/api/instances/${caseId}`)).json();
    expect(closed.status).toBe('completed');
    expect(closed.variables.reviews).toEqual(['ok', 'reopen', 'ok']);
  });
});
