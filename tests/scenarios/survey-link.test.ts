/**
 * Issue 14, "close the loop": the closing notice of a complaint reaches the customer by e-mail (a real SMTP server),
 * its survey link opens the public page, and the answer drives the case: a score of 2 leads to the callback and
 * reopens the complaint; a score of 5 closes it.
 */
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DeliveryService, emailChannel, registerBuiltinHandlers, surveySecretOf } from '../../engine/runtime/index.js';
import { endEventOf, referenceApp, shanghai, type ReferenceApp } from '../helpers/reference-app.js';

const intake = (complaintId: string) => ({
  complaintId,
  channel: 'phone',
  customerId: 'C-1001',
  customerName: 'Li Wei',
  contactEmail: 'li.wei@example.com',
  preferredContact: 'email',
  customerTier: 'medium',
  category: 'service',
  description: 'The technician missed two appointments.',
  priority: 'general',
});
const resolvedAtOnce = {
  responseChannel: 'phone',
  contactedAt: '2026-11-23T09:20:00+08:00',
  customerReached: true,
  category: 'service',
  priority: 'general',
  responseSummary: 'Called the customer and rebooked the visit.',
  resolvedAtFirstContact: true,
  resolutionSummary: 'Rebooked the visit for tomorrow morning.',
  rootCause: 'process',
  remedyType: 'explanation_apology',
};
const callback = {
  reached: true,
  dissatisfactionReason: 'not_resolved',
  reopen: true,
  note: 'Agreed to look at it again.',
};

describe('scenarios/survey link closes the loop', () => {
  let t: ReferenceApp;
  let smtp: SMTPServer;
  const mails: string[] = [];
  beforeAll(async () => {
    t = await referenceApp();
    smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onData(stream, _session, done) {
        let raw = '';
        stream.on('data', (c: Buffer) => {
          raw += c.toString();
        });
        stream.on('end', () => {
          mails.push(raw);
          done();
        });
      },
    });
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
    const deliveries = new DeliveryService(t.engine, {
      channels: [
        emailChannel({
          url: `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}`,
          from: 'desk@svcflow.test',
        }),
      ],
      publicUrl: 'http://desk.example',
      surveySecret: await surveySecretOf(t.store),
      locale: 'en',
    });
    registerBuiltinHandlers(t.engine, { deliveries });
  });
  beforeEach(async () => {
    await t.reset();
    mails.length = 0;
  });
  afterAll(async () => {
    await t.close();
    await new Promise<void>((resolve) => smtp.close(() => resolve()));
  });

  const surveyPath = (complaintId: string): string => {
    const mail = mails.map(unfold).find((m) => m.includes(`Complaint ${complaintId} resolved`));
    if (!mail) throw new Error(`no survey mail for ${complaintId}; got ${mails.length} mail(s)`);
    return /http:\/\/desk\.example(\/survey\/[\w.-]+)/.exec(mail)![1];
  };
  const answer = (path: string, score: number) =>
    t.app.inject({
      method: 'POST',
      url: path,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: `score=${score}&lang=en`,
    });

  it('reopens through the callback on a score of 2', async () => {
    const { id } = await t.start('agent1', 'complaint-handling', intake('CMP-20261123-0001'));
    await t.at(shanghai('2026-11-23 09:30'));
    await t.work('agent1', id, 'firstResponse', resolvedAtOnce);
    const path = surveyPath('CMP-20261123-0001');
    expect((await t.app.inject({ method: 'GET', url: path })).statusCode).toBe(200);
    expect((await answer(path, 2)).statusCode).toBe(200);
    await t.tick();
    expect(await t.board(id, ['agent1'])).toEqual({ agent1: ['callback'] });
    await t.work('agent1', id, 'callback', callback);
    expect((await t.instance(id)).variables).toMatchObject({ reopenCount: 1, satisfactionScore: 2 });
    expect(await t.board(id, ['resolver1'])).toEqual({ resolver1: ['investigate'] });
  });

  it('closes on a score of 5', async () => {
    const { id } = await t.start('agent1', 'complaint-handling', intake('CMP-20261123-0002'));
    await t.at(shanghai('2026-11-23 09:30'));
    await t.work('agent1', id, 'firstResponse', resolvedAtOnce);
    expect((await answer(surveyPath('CMP-20261123-0002'), 5)).statusCode).toBe(200);
    await t.tick();
    const instance = await t.instance(id);
    expect(instance).toMatchObject({
      status: 'completed',
      variables: { satisfactionScore: 5, surveyOutcome: 'satisfied' },
    });
    expect(endEventOf(await t.history(id))).toBe('endClosed');
  });
});

// helpers

/** A mail's text with quoted-printable soft breaks and escapes undone. */
function unfold(raw: string): string {
  return Buffer.from(
    raw.replace(/=\r\n/g, '').replace(/=([0-9A-F]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16))),
    'latin1',
  ).toString('utf8');
}
