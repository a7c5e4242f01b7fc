/**
 * Issue 14, "Working a case": the case page by business key for anyone who may see the case (404 for
 * others), the case search (business key, customer, phone, text; closed cases too; keyset pages), notes
 * and attachments (size limit, content sniffed against an allow-list), and linking a duplicate — on SQLite and
 * PostgreSQL, whose case tables (notes, attachments as bytea, the word index, links) are separate code paths.
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { testApp, type Caller, type TestApp } from '../helpers/app.js';
import { describeEachStore } from '../helpers/stores.js';
import { reviewProcess } from './models.js';

const BOUNDARY = '----svcflowCaseBoundary';
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);

function fileBody(filename: string, data: Buffer, declared: string): { payload: Buffer; type: string } {
  const head = `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: ${declared}\r\n\r\n`;
  return {
    payload: Buffer.concat([Buffer.from(head), data, Buffer.from(`\r\n--${BOUNDARY}--\r\n`)]),
    type: `multipart/form-data; boundary=${BOUNDARY}`,
  };
}

describeEachStore('api/cases', (backend) => {
  let t: TestApp;
  let agent: Caller;
  let outsider: Caller;

  beforeEach(async () => {
    t = await testApp({ store: await backend.open() });
    await t.deploy(reviewProcess());
    agent = await t.as({ username: 'agent1', roles: ['staff'], groups: ['complaints'] });
    outsider = await t.as({ username: 'outsider', roles: ['staff'], groups: ['billing'] });
  });
  afterEach(() => t.close());

  async function open(businessKey: string, variables: Record<string, unknown>) {
    const res = await agent.call('POST', '/api/instances', { definitionKey: 'Process_review', businessKey, variables });
    expect(res.statusCode).toBe(201);
    return res.json() as { id: string; businessKey: string };
  }
  async function upload(caller: Caller, key: string, filename: string, data: Buffer, declared: string) {
    const body = fileBody(filename, data, declared);
    return t.app.inject({
      method: 'POST',
      url: `/api/cases/${key}/attachments`,
      headers: { ...caller.headers, 'content-type': body.type },
      payload: body.payload,
    });
  }

  it('shows the case to whoever may see it, and answers 404 alike for a hidden and a missing case', async () => {
    const started = await open('CMP-1', { customerName: 'Zhang San', channel: 'phone', description: 'Refund missing' });
    const page = await agent.call('GET', '/api/cases/CMP-1');
    expect(page.statusCode).toBe(200);
    expect(page.json()).toMatchObject({
      businessKey: 'CMP-1',
      instance: { id: started.id, status: 'active', variables: { customerName: 'Zhang San', channel: 'phone' } },
      notes: [],
      links: [],
    });
    expect(page.json().history.map((h: { event: string }) => h.event)).toContain('instance.started');
    const hidden = await outsider.call('GET', '/api/cases/CMP-1');
    const missing = await outsider.call('GET', '/api/cases/CMP-404');
    expect([hidden.statusCode, missing.statusCode]).toEqual([404, 404]);
    expect(hidden.json().code).toBe('CASE_NOT_FOUND');
    expect(hidden.headers['content-type']).toMatch(/application\/problem\+json/);
  });

  it('finds cases by business key, customer, phone and text, closed ones too, in keyset pages', async () => {
    await open('CMP-1', { customerName: 'Zhang San', contactPhone: '138 0013 8000', description: '退款一直没有到账' });
    const second = await open('CMP-2', {
      customerName: 'Zhang San',
      customerId: 'C-7',
      description: 'Parcel arrived broken',
    });
    await open('CMP-3', { customerName: 'Li Si', description: 'Wrong invoice' });
    await t.call('POST', `/api/instances/${second.id}/cancel`);
    const keys = async (q: string, caller = agent) =>
      (await caller.call('GET', `/api/cases?q=${encodeURIComponent(q)}`))
        .json()
        .items.map((c: { businessKey: string }) => c.businessKey);
    expect(await keys('cmp-3')).toEqual(['CMP-3']);
    expect(await keys('zhang san')).toEqual(['CMP-2', 'CMP-1']);
    expect(await keys('13800138000')).toEqual(['CMP-1']);
    expect(await keys('138-0013-8000')).toEqual(['CMP-1']);
    expect(await keys('到账')).toEqual(['CMP-1']);
    expect(await keys('broken parcel')).toEqual(['CMP-2']);
    // the list shows the configured customer fields joined and the first text field
    expect((await agent.call('GET', '/api/cases?q=c-7')).json().items).toEqual([
      expect.objectContaining({
        businessKey: 'CMP-2',
        customer: 'Zhang San · C-7',
        description: 'Parcel arrived broken',
      }),
    ]);
    expect(await keys('zhang invoice')).toEqual([]);
    expect(await keys('zhang', outsider)).toEqual([]);
    const first = (await agent.call('GET', '/api/cases?q=zhang&limit=1')).json();
    expect(first.items.map((c: { businessKey: string }) => c.businessKey)).toEqual(['CMP-2']);
    const next = (await agent.call('GET', `/api/cases?q=zhang&limit=1&cursor=${first.nextCursor}`)).json();
    expect(next).toEqual({ items: [expect.objectContaining({ businessKey: 'CMP-1' })], nextCursor: null });
  });

  it('keeps notes and sniffed attachments on the case, refusing what is not on the allow-list', async () => {
    await open('CMP-1', { customerName: 'Zhang San', description: 'Refund missing' });
    const note = await agent.call('POST', '/api/cases/CMP-1/notes', { text: 'Called the customer back' });
    expect(note.statusCode).toBe(201);
    const png = await upload(agent, 'CMP-1', 'receipt.png', PNG, 'text/plain');
    expect(png.statusCode).toBe(201);
    expect(png.json()).toMatchObject({
      kind: 'attachment',
      filename: 'receipt.png',
      contentType: 'image/png',
      size: 16,
    });
    const exe = await upload(
      agent,
      'CMP-1',
      'invoice.pdf',
      Buffer.from([0x4d, 0x5a, 0x90, 0, 3, 0, 0, 0]),
      'application/pdf',
    );
    expect(exe.statusCode).toBe(415);
    expect(exe.json()).toMatchObject({ code: 'ATTACHMENT_TYPE_NOT_ALLOWED' });
    const big = await upload(agent, 'CMP-1', 'log.txt', Buffer.alloc(5 * 1024 * 1024 + 1, 'a'), 'text/plain');
    expect(big.statusCode).toBe(413);
    expect(big.json()).toMatchObject({ code: 'ATTACHMENT_TOO_LARGE', maxBytes: 5 * 1024 * 1024 });
    expect((await outsider.call('POST', '/api/cases/CMP-1/notes', { text: 'sneaky' })).statusCode).toBe(404);
    expect((await agent.call('POST', '/api/cases/CMP-1/notes', { text: '   ' })).json().code).toBe('NOTE_INVALID');

    const page = (await agent.call('GET', '/api/cases/CMP-1')).json();
    expect(
      page.notes.map((n: { kind: string; text: string | null; createdBy: string }) => [n.kind, n.text, n.createdBy]),
    ).toEqual([
      ['note', 'Called the customer back', 'agent1'],
      ['attachment', null, 'agent1'],
    ]);
    const download = await agent.call('GET', `/api/cases/CMP-1/attachments/${png.json().id}`);
    expect(download.headers['content-type']).toBe('image/png');
    expect(download.headers['x-content-type-options']).toBe('nosniff');
    expect(download.rawPayload.equals(PNG)).toBe(true);
  });

  it('keeps every note and attachment when two agents write to one case at once', async () => {
    await open('CMP-1', { customerName: 'Zhang San', description: 'Refund missing' });
    const colleague = await t.as({ username: 'agent2', roles: ['staff'], groups: ['complaints'] });
    const writes = Array.from({ length: 12 }, (_, n) => {
      const who = n % 2 === 0 ? agent : colleague;
      return n % 3 === 0
        ? upload(who, 'CMP-1', `photo-${n}.png`, PNG, 'image/png')
        : who.call('POST', '/api/cases/CMP-1/notes', { text: `note ${n}` });
    });
    expect((await Promise.all(writes)).map((r) => r.statusCode)).toEqual(Array(12).fill(201));

    const page = (await agent.call('GET', '/api/cases/CMP-1')).json();
    const kept = page.notes.map((n: { text: string | null; filename?: string | null }) => n.text ?? n.filename);
    expect([...kept].sort()).toEqual(
      Array.from({ length: 12 }, (_, n) => (n % 3 === 0 ? `photo-${n}.png` : `note ${n}`)).sort(),
    );
    expect(new Set(page.notes.map((n: { id: string }) => n.id)).size).toBe(12);
    const times = page.notes.map((n: { createdAt: string }) => n.createdAt);
    expect(times).toEqual([...times].sort());
  });

  it('links a duplicate to the case it repeats and closes it with the reason', async () => {
    const original = await open('CMP-1', { customerName: 'Zhang San', description: 'Refund missing' });
    const repeat = await open('CMP-2', { customerName: 'Zhang San', description: 'Refund still missing' });
    expect((await agent.call('POST', '/api/cases/CMP-2/duplicate-of', { of: 'CMP-2' })).json().code).toBe(
      'DUPLICATE_LINK_INVALID',
    );
    expect((await agent.call('POST', '/api/cases/CMP-2/duplicate-of', { of: 'CMP-9' })).statusCode).toBe(404);
    const linked = await agent.call('POST', '/api/cases/CMP-2/duplicate-of', { of: 'CMP-1' });
    expect(linked.statusCode).toBe(200);
    const dup = (await agent.call('GET', '/api/cases/CMP-2')).json();
    expect(dup.instance.status).toBe('terminated');
    expect(dup.links).toEqual([
      expect.objectContaining({ kind: 'duplicate-of', businessKey: 'CMP-1', instanceId: original.id }),
    ]);
    expect(dup.history).toContainEqual(
      expect.objectContaining({
        event: 'case.duplicate',
        by: 'agent1',
        details: expect.objectContaining({ reason: 'duplicate of CMP-1' }),
      }),
    );
    const orig = (await agent.call('GET', '/api/cases/CMP-1')).json();
    expect(orig.instance.status).toBe('active');
    expect(orig.links).toEqual([
      expect.objectContaining({ kind: 'duplicated-by', businessKey: 'CMP-2', instanceId: repeat.id }),
    ]);
    const again = await agent.call('POST', '/api/cases/CMP-2/duplicate-of', { of: 'CMP-1' });
    expect(again.statusCode).toBe(409);
  });
});
