import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as b from '../helpers/bpmn-builder.js';
import { testApp, type TestApp } from '../helpers/app.js';
import { MULTIPART_TYPE, multipartBody } from '../helpers/multipart.js';
import { replyProcess, reviewProcess } from './models.js';

/** Valid BPMN that the engine still refuses at deploy: its SLA names a calendar that does not exist. */
function unknownCalendarProcess(): string {
  return b.definitions('Process_mars', [
    b.start('Start_1'),
    b.userTask('Task_far', { groups: 'complaints', ext: b.sla('PT4H', { calendar: 'mars' }) }),
    b.end('End_1'),
    ...b.chain('Start_1', 'Task_far', 'End_1'),
  ]);
}

// Engine.deploy(files) is one transaction: a deployment is all or nothing, on every door.
describe('api/deployments: all or nothing', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await testApp({ sla: true });
  });
  afterEach(async () => {
    await t.close();
  });

  const deployCamunda = (files: Record<string, string>) =>
    t.app.inject({
      method: 'POST',
      url: '/engine-rest/deployment/create',
      headers: { ...t.headers(), 'content-type': MULTIPART_TYPE },
      payload: multipartBody({ 'deployment-name': 'both' }, files),
    });

  it('deploys nothing of a two-file Camunda deployment whose second file the engine refuses', async () => {
    const res = await deployCamunda({ 'review.bpmn': reviewProcess(), 'mars.bpmn': unknownCalendarProcess() });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ type: 'ParseException', details: { 'mars.bpmn': expect.any(Object) } });
    expect((await t.call('GET', '/api/definitions')).json().total).toBe(0);
    expect((await t.call('POST', '/api/instances', { definitionKey: 'Process_review' })).statusCode).toBe(404);
  });

  it("deploys every file of a valid deployment, naming each definition's resource", async () => {
    const res = await deployCamunda({ 'review.bpmn': reviewProcess(), 'reply.bpmn': replyProcess() });
    expect(res.statusCode).toBe(200);
    expect(res.json().deployedProcessDefinitions).toEqual({
      'Process_review:1': expect.objectContaining({ resource: 'review.bpmn' }),
      'Process_reply:1': expect.objectContaining({ resource: 'reply.bpmn' }),
    });
  });

  it('deploys nothing through /api/definitions when the engine refuses the document', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/definitions',
      headers: { ...t.headers(), 'content-type': 'application/xml' },
      payload: unknownCalendarProcess(),
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'MODEL_INVALID' });
    expect((await t.call('GET', '/api/definitions')).json().total).toBe(0);
  });
});
