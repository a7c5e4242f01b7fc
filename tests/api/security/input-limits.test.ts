import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as b from '../../helpers/bpmn-builder.js';
import { deployForm, testApp, type TestApp } from '../../helpers/app.js';
import { reviewProcess } from '../models.js';

const XXE = `<?xml version="1.0"?>
<!DOCTYPE definitions [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="D"><bpmn:process id="P_xxe" name="&xxe;" isExecutable="true"><bpmn:startEvent id="S"/></bpmn:process></bpmn:definitions>`;

const LAUGHS = `<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;"><!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">]>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="D"><bpmn:process id="P_lol" name="&lol9;" isExecutable="true"/></bpmn:definitions>`;

describe('api/security: input limits', () => {
  let t: TestApp;
  let formsDir: string;
  beforeEach(async () => {
    formsDir = mkdtempSync(join(tmpdir(), 'svcflow-forms-'));
    t = await testApp({ formsDir });
  });
  afterEach(async () => {
    await t.close();
    rmSync(formsDir, { recursive: true, force: true });
  });

  const deployXml = (payload: string | Readable, headers: Record<string, string> = {}) =>
    t.app.inject({
      method: 'POST',
      url: '/api/definitions',
      headers: { ...t.headers(), 'content-type': 'application/xml', ...headers },
      payload,
    });
  const definitionCount = async () => (await t.call('GET', '/api/definitions')).json().total;

  it('refuses XXE and billion-laughs documents (400) and stores nothing', async () => {
    for (const xml of [XXE, LAUGHS]) {
      const res = await deployXml(xml);
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({
        code: 'MODEL_INVALID',
        problems: [expect.objectContaining({ code: 'XML_MALFORMED', message: expect.stringMatching(/DTD/) })],
      });
      expect(res.body).not.toMatch(/root:|lollol/);
    }
    const camunda = await t.app.inject({
      method: 'POST',
      url: '/engine-rest/deployment/create',
      headers: { ...t.headers(), 'content-type': 'multipart/form-data; boundary=B' },
      payload: `--B\r\nContent-Disposition: form-data; name="data"; filename="x.bpmn"\r\n\r\n${XXE}\r\n--B--\r\n`,
    });
    expect(camunda.statusCode).toBe(400);
    expect(await definitionCount()).toBe(0);
  });

  it('refuses a document too deep or with too many elements (400 XML_TOO_LARGE)', async () => {
    const deep = reviewProcess().replace(
      '<bpmn:process ',
      `<bpmn:documentation>${'<a>'.repeat(150)}${'</a>'.repeat(150)}</bpmn:documentation><bpmn:process `,
    );
    const res = await deployXml(deep);
    expect(res.statusCode).toBe(400);
    expect(res.json().problems[0]).toMatchObject({ code: expect.stringMatching(/XML_TOO_LARGE|XML_MALFORMED/) });
    expect(await definitionCount()).toBe(0);
  });

  it('answers a streamed 50 MB upload with 413 and stores nothing', async () => {
    for (const [url, type] of [
      ['/api/definitions', 'application/xml'],
      ['/api/instances', 'application/json'],
    ]) {
      const res = await t.app.inject({
        method: 'POST',
        url,
        headers: { ...t.headers(), 'content-type': type },
        payload: generated(50 * 1024 * 1024),
      });
      expect(res.statusCode, url).toBe(413);
      expect(res.json()).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
    }
    const declared = await t.app.inject({
      method: 'POST',
      url: '/api/instances',
      headers: { ...t.headers(), 'content-type': 'application/json', 'content-length': String(50 * 1024 * 1024) },
      payload: generated(50 * 1024 * 1024),
    });
    expect(declared.statusCode).toBe(413);
    expect(await definitionCount()).toBe(0);
  });

  it('answers JSON nested 10,000 deep with 400, and the server goes on', async () => {
    await t.deploy(reviewProcess());
    const deep = `${'['.repeat(10_000)}${']'.repeat(10_000)}`;
    const bodies = [
      `{"definitionKey":"Process_review","variables":{"a":${deep}}}`,
      deep,
      `{"definitionKey":"Process_review","variables":${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}}`,
      `{"definitionKey":"Process_review","variables":{"a":${'['.repeat(400_000)}${']'.repeat(400_000)}}}`,
    ];
    for (const payload of bodies) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/instances',
        headers: { ...t.headers(), 'content-type': 'application/json' },
        payload,
      });
      expect(res.statusCode).toBe(400);
      expect(['INVALID_VARIABLES', 'VALIDATION_FAILED', 'MALFORMED_JSON']).toContain(res.json().code);
    }
    expect((await t.call('GET', '/api/instances?total=true')).json().total).toBe(0);
    expect((await t.call('GET', '/health')).statusCode).toBe(200);
  });

  it('checks variable names, depth and NUL characters (400)', async () => {
    await t.deploy(reviewProcess());
    const bad = [
      { 'bad name': 1 },
      { __proto__x: 1, 'a.b': 2 },
      { deep: JSON.parse(`${'{"a":'.repeat(20)}1${'}'.repeat(20)}`) },
    ];
    for (const variables of bad)
      expect(
        (await t.call('POST', '/api/instances', { definitionKey: 'Process_review', variables })).json(),
      ).toMatchObject({ code: 'INVALID_VARIABLES', fields: expect.any(Array) });
    const nul = await t.call('POST', '/api/instances', { definitionKey: 'Process_review', businessKey: 'C\u00001' });
    expect(nul.statusCode).toBe(400);
    expect((await t.call('GET', '/api/instances?total=true')).json().total).toBe(0);
  });

  it('refuses unknown properties', async () => {
    await t.deploy(reviewProcess());
    const res = await t.call('POST', '/api/instances', { definitionKey: 'Process_review', isAdmin: true });
    expect(res.json()).toMatchObject({
      code: 'VALIDATION_FAILED',
      fields: [{ name: 'body.isAdmin', message: 'is not a known property' }],
    });
  });

  it('declares strict input schemas on every route, but for the documented Camunda and form-js exceptions', () => {
    const loose = new Set([
      'POST /engine-rest/external-task/fetchAndLock',
      'POST /engine-rest/external-task/:id/complete',
      'POST /engine-rest/external-task/:id/failure',
      'POST /engine-rest/external-task/:id/bpmnError',
      'POST /engine-rest/task/:id/complete',
      'GET /engine-rest/deployment',
      'PUT /api/forms/:formKey',
    ]);
    const offending = t.app.routeTable
      .filter((r) => r.method !== 'HEAD' && !loose.has(`${r.method} ${r.url}`))
      .flatMap((r) =>
        Object.entries(r.schema)
          .filter(([, schema]) => isObjectSchema(schema) && schema.additionalProperties !== false)
          .map(([part]) => `${r.method} ${r.url} ${part}`),
      );
    expect(offending).toEqual([]);
  });

  it('validates task completion against the task form and lists each field (400 FORM_INVALID)', async () => {
    await deployForm(t, 'review-form', {
      components: [
        {
          type: 'radio',
          key: 'decision',
          validate: { required: true },
          values: [{ value: 'approve' }, { value: 'reject' }],
        },
        {
          type: 'textarea',
          key: 'reason',
          validate: { required: true, minLength: 10 },
          conditional: { hide: '=decision != "reject"' },
        },
        { type: 'number', key: 'refund', validate: { min: 0, max: 500 } },
      ],
    });
    await t.deploy(formProcess());
    const instance = (await t.call('POST', '/api/instances', { definitionKey: 'Process_form' })).json();
    const taskId = (await t.call('GET', `/api/tasks?instanceId=${instance.id}`)).json().items[0].id;
    const refused = await t.call('POST', `/api/tasks/${taskId}/complete`, {
      variables: { decision: 'reject', refund: 900 },
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.json()).toMatchObject({
      code: 'FORM_INVALID',
      formKey: 'review-form',
      fields: [
        { name: 'reason', message: 'is required' },
        { name: 'refund', message: 'must be at most 500' },
      ],
    });
    expect((await t.call('GET', `/api/tasks/${taskId}`)).json().status).toBe('open');
    const camunda = await t.call('POST', `/engine-rest/task/${taskId}/complete`, {
      variables: { decision: { value: 'maybe', type: 'String' } },
    });
    expect(camunda.statusCode).toBe(400);
    expect(
      (await t.call('POST', `/api/tasks/${taskId}/complete`, { variables: { decision: 'approve', refund: 20 } }))
        .statusCode,
    ).toBe(200);
  });

  it("refuses a completion that breaks a form's svc.assert or svc.memberOf, with the assert message (400 FORM_INVALID)", async () => {
    await deployForm(t, 'review-form', {
      components: [
        {
          type: 'datetime',
          key: 'contactedAt',
          subtype: 'datetime',
          properties: {
            'svc.assert':
              '=date and time(contactedAt) >= date and time(instanceStartedAt) and date and time(contactedAt) <= now()',
            'svc.assertMessage': 'Between the start and now',
          },
        },
        { type: 'select', key: 'owner', valuesKey: 'members_owners', properties: { 'svc.memberOf': 'owners' } },
      ],
    });
    await t.as({ username: 'olga', roles: ['worker'], groups: ['owners'] });
    await t.deploy(formProcess());
    const instance = (await t.call('POST', '/api/instances', { definitionKey: 'Process_form' })).json();
    const taskId = (await t.call('GET', `/api/tasks?instanceId=${instance.id}`)).json().items[0].id;
    t.clock.advance(3_600_000);
    const refused = await t.call('POST', `/api/tasks/${taskId}/complete`, {
      variables: { contactedAt: '2026-11-23T08:00:00Z', owner: 'mallory' },
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.json()).toMatchObject({
      code: 'FORM_INVALID',
      fields: [
        { name: 'contactedAt', message: 'Between the start and now' },
        { name: 'owner', message: 'must be a member of the group owners' },
      ],
    });
    const future = await t.call('POST', `/api/tasks/${taskId}/complete`, {
      variables: { contactedAt: '2026-11-23T11:00:00Z', owner: 'olga' },
    });
    expect(future.json()).toMatchObject({
      code: 'FORM_INVALID',
      fields: [{ name: 'contactedAt', message: 'Between the start and now' }],
    });
    expect(
      (
        await t.call('POST', `/api/tasks/${taskId}/complete`, {
          variables: { contactedAt: '2026-11-23T09:30:00Z', owner: 'olga' },
        })
      ).statusCode,
    ).toBe(200);
  });

  it("sends security headers with a CSP that allows the app's own scripts and inline styles", async () => {
    for (const url of ['/tasks', '/api/me', '/docs/json']) {
      const res = await t.app.inject({ method: 'GET', url, headers: t.headers() });
      const csp = String(res.headers['content-security-policy']);
      expect(csp, url).toContain("script-src 'self'");
      expect(csp).toContain("style-src 'self' 'unsafe-inline'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
    }
  });
});

// helpers

// Chunks are made as they are read, so the test never holds the whole body.
function generated(bytes: number): Readable {
  let sent = 0;
  const chunk = Buffer.alloc(64 * 1024, 'a');
  return new Readable({
    read() {
      if (sent >= bytes) return void this.push(null);
      sent += chunk.length;
      this.push(chunk);
    },
  });
}

function formProcess(): string {
  return b.definitions('Process_form', [
    b.start('Start_1'),
    b.userTask('Task_decide', { groups: 'complaints', formKey: 'review-form' }),
    b.end('End_1'),
    ...b.chain('Start_1', 'Task_decide', 'End_1'),
  ]);
}

function isObjectSchema(schema: unknown): schema is { additionalProperties?: unknown } {
  return !!schema && typeof schema === 'object' && (schema as { type?: unknown }).type === 'object';
}
