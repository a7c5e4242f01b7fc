/**
 * Delivery channels: e-mail over SMTP (nodemailer) and a webhook (HTTP POST of JSON, signed with
 * HMAC-SHA256 in `X-Svcflow-Signature: sha256=<hex>`, for SMS gateways and IM bots). Both are
 * configured by environment (`channelsFromEnv`). A message may be sent again after a node died mid-send
 * (at least once); it carries its delivery id (`Idempotency-Key`, e-mail `Message-ID`) so receivers keep one.
 */
import { createHmac } from 'node:crypto';
import nodemailer from 'nodemailer';

/** One message to send. */
export interface Outgoing {
  /** The delivery's id, the same on every attempt: receivers drop a message whose id they have seen (idempotency key). */
  id: string;
  to: string;
  subject: string;
  body: string;
  /** The notification's data, sent to webhooks as is. */
  data: Record<string, unknown>;
  /** Files (KPI reports); sent by e-mail only. */
  attachments?: Array<{ filename: string; content: Buffer; contentType: string }>;
}

/** Sends one message; throws when it could not be handed over. */
export interface Channel {
  readonly name: 'email' | 'webhook';
  send(message: Outgoing): Promise<void>;
}

/** E-mail through an SMTP server, e.g. `smtp://user:pass@mail.example.com:587`. */
export function emailChannel(options: { url: string; from: string }): Channel {
  const transport = nodemailer.createTransport(options.url);
  return {
    name: 'email',
    async send(message) {
      await transport.sendMail({
        from: options.from,
        to: message.to,
        subject: message.subject,
        text: message.body,
        attachments: message.attachments,
        messageId: `<${message.id}@svcflow>`,
        headers: { 'X-Svcflow-Delivery': message.id },
      });
    },
  };
}

/** The signature a webhook receiver checks: hex HMAC-SHA256 of the raw body. */
export function webhookSignature(body: string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** A webhook: POSTs `{ id, to, subject, body, data }` as JSON with `Idempotency-Key: <id>`; any answer but 2xx is a failure. */
export function webhookChannel(options: { url: string; secret: string; timeoutMs?: number }): Channel {
  return {
    name: 'webhook',
    async send(message) {
      const { attachments: _files, ...json } = message;
      const body = JSON.stringify(json);
      const response = await fetch(options.url, {
        method: 'POST',
        body,
        signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
        headers: {
          'content-type': 'application/json',
          'idempotency-key': message.id,
          'x-svcflow-signature': webhookSignature(body, options.secret),
        },
      });
      if (!response.ok) throw new Error(`webhook answered ${response.status}`);
    },
  };
}

/** The channels the environment configures: SVCFLOW_SMTP_URL (+ SVCFLOW_MAIL_FROM), SVCFLOW_WEBHOOK_URL (+ SVCFLOW_WEBHOOK_SECRET). */
export function channelsFromEnv(env: NodeJS.ProcessEnv = process.env): Channel[] {
  const channels: Channel[] = [];
  if (env.SVCFLOW_SMTP_URL)
    channels.push(
      emailChannel({ url: env.SVCFLOW_SMTP_URL, from: env.SVCFLOW_MAIL_FROM ?? 'svcflow <noreply@localhost>' }),
    );
  if (env.SVCFLOW_WEBHOOK_URL)
    channels.push(webhookChannel({ url: env.SVCFLOW_WEBHOOK_URL, secret: env.SVCFLOW_WEBHOOK_SECRET ?? '' }));
  return channels;
}
