import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../helpers/app.js';
import { invalidProcess, reviewProcess } from './models.js';

const xmlHeaders = { 'content-type': 'application/xml' };

describe('api/definitions', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await testApp();
  });
  afterEach(async () => {
    await t.close();
  });

  it('deploys BPMN XML as version 1 with 201', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/definitions',
      headers: { ...t.headers(), ...xmlHeaders },
      payload: reviewProcess(),
    });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toEqual({
      definitions: [{ id: 'Process_review:1', key: 'Process_review', version: 1, name: 'Review', created: true }],
      decisions: [],
      forms: [],
    });
  });

  it('accepts text/xml as well', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/definitions',
      headers: { ...t.headers(), 'content-type': 'text/xml; charset=utf-8' },
      payload: reviewProcess(),
    });
    expect(res.statusCode).toBe(201);
  });

  it('creates no new version when the same XML is deployed again (200)', async () => {
    await t.deploy(reviewProcess());
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/definitions',
      headers: { ...t.headers(), ...xmlHeaders },
      payload: reviewProcess(),
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().definitions).toEqual([
      expect.objectContaining({ id: 'Process_review:1', version: 1, created: false }),
    ]);
  });

  it('creates version 2 when the XML changed', async () => {
    await t.deploy(reviewProcess());
    const [second] = await t.deploy(reviewProcess('Review v2'));
    expect(second).toMatchObject({ id: 'Process_review:2', version: 2, created: true });
  });

  it('refuses invalid BPMN with every problem and its element id', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/definitions',
      headers: { ...t.headers(), ...xmlHeaders },
      payload: invalidProcess(),
    });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    const body = res.json();
    expect(body.code).toBe('MODEL_INVALID');
    expect(body.problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          code: 'GATEWAY_NO_DEFAULT',
          elementId: 'Gateway_route',
          elementType: expect.any(String),
          message: expect.any(String),
        }),
        expect.objectContaining({ code: 'FLOW_TARGET_MISSING', elementId: 'Flow_Task_b_Task_missing' }),
      ]),
    );
  });

  it('refuses malformed XML with XML_MALFORMED and its position', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/definitions',
      headers: { ...t.headers(), ...xmlHeaders },
      payload: '<bpmn:definitions',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().problems[0]).toMatchObject({
      code: 'XML_MALFORMED',
      elementId: null,
      position: expect.any(Object),
    });
  });

  it('refuses a JSON body with UNSUPPORTED_MEDIA_TYPE', async () => {
    const res = await t.call('POST', '/api/definitions', { xml: reviewProcess() });
    expect(res.statusCode).toBe(415);
    expect(res.json()).toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE', status: 415 });
  });

  it('refuses XML above 5 MB with PAYLOAD_TOO_LARGE', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/definitions',
      headers: { ...t.headers(), ...xmlHeaders },
      payload: `<a>${' '.repeat(5 * 1024 * 1024)}</a>`,
    });
    expect(res.statusCode).toBe(413);
  });

  it('lists definitions without their XML, filtered by key and latest version', async () => {
    await t.deploy(reviewProcess());
    await t.deploy(reviewProcess('Review v2'));
    const all = (await t.call('GET', '/api/definitions?key=Process_review')).json();
    expect(all.total).toBe(2);
    expect(all.items[0]).not.toHaveProperty('xml');
    const latest = (await t.call('GET', '/api/definitions?latestOnly=true')).json();
    expect(latest.items.map((d: { id: string }) => d.id)).toEqual(['Process_review:2']);
  });

  it('reads one definition and its XML', async () => {
    await t.deploy(reviewProcess());
    const one = await t.call('GET', '/api/definitions/Process_review:1');
    expect(one.json()).toMatchObject({ id: 'Process_review:1', key: 'Process_review', version: 1, name: 'Review' });
    expect(one.json().elementNames).toMatchObject({ Task_review: 'Task_review', Task_approve: 'Task_approve' });
    const xml = await t.call('GET', '/api/definitions/Process_review:1/xml');
    expect(xml.headers['content-type']).toMatch(/^application\/xml/);
    expect(xml.body).toBe(reviewProcess());
  });

  it('answers an unknown definition with DEFINITION_NOT_FOUND', async () => {
    const res = await t.call('GET', '/api/definitions/Nope:1');
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ code: 'DEFINITION_NOT_FOUND' });
  });
});
