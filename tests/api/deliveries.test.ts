/**
 * Issue 14, "Reaching the customer": notifications are really sent, by e-mail to a real SMTP server started here
 * and by webhook to a real HTTP receiver, signed; failures are retried with backoff and end visible to supervisors;
 * the closing notice carries a signed, expiring survey link whose public page answers the case's survey message once.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  DeliveryService,
  emailChannel,
  registerBuiltinHandlers,
  surveySecretOf,
  webhookChannel,
  webhookSignature,
} from '../../engine/runtime/index.js';
import { testApp, type TestApp } from '../helpers/app.js';
import { chain, definitions, end, message, messageCatch, start } from '../helpers/bpmn-builder.js';

const SECRET = 'hook-secret';

/** Sends the closing survey notice (survey.send, template csat-complaint) and waits for the answer. */
const CLOSING = definitions(
  'Closing',
  [
    start('S'),
    `<bpmn:serviceTask id="Task_survey"><bpmn:extensionElements><zeebe:taskDefinition type="survey.send" retries="1" /><zeebe:ioMapping>
    <zeebe:input source="csat-complaint" target="template" /><zeebe:input source="=contactEmail" target="contactEmail" />
    <zeebe:input source="=customerName" target="customerName" /><zeebe:input source="=caseId" target="subject" /><zeebe:input source="=locale" target="locale" />
  </zeebe:ioMapping></bpmn:extensionElements></bpmn:serviceTask>`,
    messageCatch('Event_answer', 'Message_answer'),
    end('E'),
    ...chain('S', 'Task_survey', 'Event_answer', 'E'),
  ],
  [message('Message_answer', 'complaint-survey-response', '=caseId')],
);

interface Mailbox {
  server: SMTPServer;
  port: number;
  mails: string[];
  refuse: number;
}

async function mailbox(): Promise<Mailbox> {
  const box: Mailbox = { server: null as unknown as SMTPServer, port: 0, mails: [], refuse: 0 };
  box.server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onRcptTo(_address, _session, callback) {
      if (box.refuse > 0) {
        box.refuse--;
        return callback(Object.assign(new Error('mailbox busy'), { responseCode: 451 }));
      }
      callback();
    },
    onData(stream, _session, callback) {
      let raw = '';
      stream.on('data', (chunk: Buffer) => {
        raw += chunk.toString('utf8');
      });
      stream.on('end', () => {
        box.mails.push(raw);
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => box.server.listen(0, '127.0.0.1', resolve));
  box.port = (box.server.server.address() as AddressInfo).port;
  return box;
}

interface Receiver {
  server: Server;
  url: string;
  calls: Array<{ body: string; signature: string | undefined }>;
}

async function receiver(): Promise<Receiver> {
  const calls: Receiver['calls'] = [];
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => {
      body += chunk.toString('utf8');
    });
    request.on('end', () => {
      calls.push({ body, signature: request.headers['x-svcflow-signature'] as string | undefined });
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, calls, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook` };
}

/** The text of a mail: headers, then the body undone from quoted-printable or base64. */
function readMail(raw: string): { subject: string; body: string } {
  const [head, ...rest] = raw.split('\r\n\r\n');
  const encoded = rest.join('\r\n\r\n');
  const body = /content-transfer-encoding: base64/i.test(head)
    ? Buffer.from(encoded, 'base64').toString('utf8')
    : Buffer.from(
        encoded
          .replace(/=\r\n/g, '')
          .replace(/=([0-9A-F]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16))),
        'latin1',
      ).toString('utf8');
  const subject = /^subject: (.*(?:\r\n\s.*)*)/im.exec(head)?.[1] ?? '';
  return { subject: subject.replace(/\r\n\s/g, ''), body };
}

describe('api/deliveries', () => {
  let t: TestApp;
  let box: Mailbox;
  let hook: Receiver;
  let deliveries: DeliveryService;
  beforeEach(async () => {
    t = await testApp();
    box = await mailbox();
    hook = await receiver();
    deliveries = new DeliveryService(t.engine, {
      channels: [
        emailChannel({ url: `smtp://127.0.0.1:${box.port}`, from: 'desk@svcflow.test' }),
        webhookChannel({ url: hook.url, secret: SECRET }),
      ],
      publicUrl: 'http://desk.example',
      surveySecret: await surveySecretOf(t.store),
      maxAttempts: 3,
    });
    registerBuiltinHandlers(t.engine, { deliveries });
    await t.deploy(CLOSING);
  });
  afterEach(async () => {
    await t.close();
    await new Promise<void>((resolve) => box.server.close(() => resolve()));
    await new Promise<void>((resolve) => hook.server.close(() => resolve()));
  });

  const close = async (caseId: string, locale = 'en') => {
    const instance = await t.engine.startInstance({
      definitionKey: 'Closing',
      variables: { caseId, contactEmail: 'li.wei@example.com', customerName: 'Li Wei', locale },
    });
    await t.engine.tick();
    return instance;
  };

  it('e-mails the closing notice with the template filled in, and posts it signed to the webhook', async () => {
    await close('CMP-20261123-0001', 'zh-CN');
    expect(box.mails).toHaveLength(1);
    const mail = readMail(box.mails[0]);
    expect(mail.body).toContain('Li Wei，您好');
    expect(mail.body).toContain('CMP-20261123-0001');
    expect(mail.body).toMatch(/http:\/\/desk\.example\/survey\/[\w-]+\.[\w-]+/);
    expect(hook.calls).toHaveLength(1);
    expect(hook.calls[0].signature).toBe(webhookSignature(hook.calls[0].body, SECRET));
    expect(JSON.parse(hook.calls[0].body)).toMatchObject({ subject: '投诉 CMP-20261123-0001 已处理完毕，请评价' });
    const log = (await t.call('GET', '/api/deliveries')).json();
    expect(
      log.items
        .map((d: { channel: string; status: string; attempts: number }) => [d.channel, d.status, d.attempts])
        .sort(),
    ).toEqual([
      ['email', 'sent', 1],
      ['webhook', 'sent', 1],
    ]);
  });

  it('retries a refused e-mail after 30 s, then 1 min, and marks it failed for supervisors after the last attempt', async () => {
    box.refuse = 10;
    const failures: unknown[] = [];
    t.engine.events.on('notification', (note: { type: string }) => {
      if (note.type === 'delivery.failed') failures.push(note);
    });
    await close('CMP-20261123-0002');
    const email = async () =>
      (await t.engine.store.deliveries.list({ limit: 10 })).items.find((d) => d.channel === 'email')!;
    expect(await email()).toMatchObject({
      status: 'pending',
      attempts: 1,
      lastError: expect.stringContaining('mailbox busy'),
    });
    t.clock.advance(29_000);
    await t.engine.tick();
    expect((await email()).attempts).toBe(1);
    t.clock.advance(1_000);
    await t.engine.tick();
    expect((await email()).attempts).toBe(2);
    t.clock.advance(60_000);
    await t.engine.tick();
    expect(await email()).toMatchObject({ status: 'failed', attempts: 3 });
    expect(failures).toEqual([
      expect.objectContaining({ data: expect.objectContaining({ channel: 'email', recipient: 'li.wei@example.com' }) }),
    ]);
    const supervisor = await t.as({ username: 'manager', roles: ['supervisor'], groups: ['service-managers'] });
    const failed = (await supervisor.call('GET', '/api/deliveries?status=failed')).json();
    expect(failed.items).toEqual([
      expect.objectContaining({
        channel: 'email',
        status: 'failed',
        lastError: expect.stringContaining('mailbox busy'),
      }),
    ]);
    expect((await (await t.as('agent')).call('GET', '/api/deliveries')).statusCode).toBe(403);
  });

  it('sends once the server takes mail again', async () => {
    box.refuse = 1;
    await close('CMP-20261123-0003');
    t.clock.advance(30_000);
    await t.engine.tick();
    expect(box.mails).toHaveLength(1);
  });

  it('answers the survey through the link once: the page needs no login, the answer reaches the case', async () => {
    const instance = await close('CMP-20261123-0004');
    const url = /http:\/\/desk\.example(\/survey\/[\w.-]+)/.exec(readMail(box.mails[0]).body)![1];
    const page = await t.app.inject({ method: 'GET', url, headers: { 'accept-language': 'en' } });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('How satisfied are you');
    const answer = (score: string) =>
      t.app.inject({
        method: 'POST',
        url,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: `score=${score}&comment=Fine+now&lang=en`,
      });
    expect((await answer('9')).statusCode).toBe(400);
    expect((await answer('2')).statusCode).toBe(200);
    expect(await t.engine.getInstance(instance.id)).toMatchObject({
      status: 'completed',
      variables: { satisfactionScore: 2, surveyComment: 'Fine now' },
    });
    expect((await answer('5')).statusCode).toBe(409);
    expect((await t.app.inject({ method: 'GET', url })).statusCode).toBe(409);
  });

  it('refuses a tampered or expired link', async () => {
    await close('CMP-20261123-0005');
    const url = /http:\/\/desk\.example(\/survey\/[\w.-]+)/.exec(readMail(box.mails[0]).body)![1];
    expect((await t.app.inject({ method: 'GET', url: `${url.slice(0, -2)}xx` })).statusCode).toBe(404);
    t.clock.advance(8 * 86_400_000);
    expect((await t.app.inject({ method: 'GET', url })).statusCode).toBe(410);
  });

  it('previews a template with sample data', async () => {
    const res = await t.call('POST', '/api/notification-templates/complaint-ack/preview', {
      locale: 'en',
      data: { customerName: 'Ann', subject: 'CMP-1', promisedBy: 'tomorrow' },
    });
    expect(res.json()).toEqual({
      subject: 'Your complaint CMP-1 has been received',
      body: 'Dear Ann,\nwe have received your complaint (CMP-1) and will contact you by tomorrow.',
    });
  });
});
