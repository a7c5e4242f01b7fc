/**
 * Sends notifications: each customer or staff notification a job handler records becomes one delivery
 * per configured channel (e-mail to the customer's address; the webhook for every notification),
 * rendered from its template. A sweep on every scheduler tick sends what is due; a failure is retried
 * after 30 s, 1 min, 2 min… and after the last attempt the delivery is `failed`, published on the event
 * stream and listed for supervisors (GET /api/deliveries?status=failed).
 */
import type { DeliveryRow, NotificationRow } from '../../store/index.js';
import { newId } from '../definitions.js';
import type { Engine } from '../engine.js';
import type { Channel } from './channels.js';
import { newSurveyId, signSurvey } from './survey-links.js';
import { TEMPLATES, localeOf, renderTemplate, type Locale } from './templates.js';

export interface DeliveryOptions {
  channels: Channel[];
  /** The locale of texts whose data names none (default zh-CN). */
  locale?: Locale;
  /** Where the web app is reached from outside, for survey links (default http://127.0.0.1:3000). */
  publicUrl?: string;
  /** Signs survey links. */
  surveySecret: string;
  /** How long a survey link works (default 7 days). */
  surveyTtlMs?: number;
  /** Attempts before a delivery fails for good (default 5). */
  maxAttempts?: number;
  /** The first retry's delay; each further one doubles (default 30 s). */
  backoffMs?: number;
}

const BATCH = 20;
const DAY_MS = 86_400_000;

export class DeliveryService {
  private readonly maxAttempts: number;
  private readonly backoffMs: number;

  constructor(private readonly engine: Engine, private readonly options: DeliveryOptions) {
    this.maxAttempts = options.maxAttempts ?? 5;
    this.backoffMs = options.backoffMs ?? 30_000;
    engine.scheduler.addSource(() => this.deliverDue());
  }

  /** Queues the notification on every channel that can reach its recipient. */
  async enqueue(notification: NotificationRow): Promise<void> {
    if (this.options.channels.length === 0) return;
    const data = { ...notification.payload, ...(await this.surveyLink(notification)) };
    const { subject, body } = renderTemplate(notification.template, localeOf(data, this.options.locale ?? 'zh-CN'), data);
    const now = this.engine.clock.now().toISOString();
    for (const channel of this.options.channels) {
      const recipient = recipientOf(channel, notification, data);
      if (recipient === null) continue;
      await this.engine.store.deliveries.insert({
        id: newId(), notificationId: notification.id, instanceId: notification.instanceId, channel: channel.name, recipient, template: notification.template,
        subject, body, data, status: 'pending', attempts: 0, lastError: null, nextAttemptAt: now, sentAt: null, createdAt: now,
      });
    }
  }

  /** Sends every delivery that is due; returns how many were attempted. */
  async deliverDue(): Promise<number> {
    const due = await this.engine.store.deliveries.due(this.engine.clock.now().toISOString(), BATCH);
    for (const delivery of due) await this.attempt(delivery);
    return due.length;
  }

  // helpers

  private async attempt(delivery: DeliveryRow): Promise<void> {
    const channel = this.options.channels.find((c) => c.name === delivery.channel);
    const attempts = delivery.attempts + 1;
    try {
      if (!channel) throw new Error(`channel '${delivery.channel}' is not configured any more`);
      await channel.send({ to: delivery.recipient, subject: delivery.subject, body: delivery.body, data: delivery.data });
      await this.engine.store.deliveries.update(delivery.id, { status: 'sent', attempts, sentAt: this.engine.clock.now().toISOString(), nextAttemptAt: null, lastError: null });
    } catch (err) {
      await this.failed(delivery, attempts, err instanceof Error ? err.message : String(err));
    }
  }

  private async failed(delivery: DeliveryRow, attempts: number, error: string): Promise<void> {
    const now = this.engine.clock.now();
    if (attempts < this.maxAttempts) {
      const next = new Date(now.getTime() + this.backoffMs * 2 ** (attempts - 1)).toISOString();
      return this.engine.store.deliveries.update(delivery.id, { attempts, lastError: error, nextAttemptAt: next });
    }
    await this.engine.store.deliveries.update(delivery.id, { status: 'failed', attempts, lastError: error, nextAttemptAt: null });
    const instance = await this.engine.store.instances.get(delivery.instanceId);
    this.engine.events.emit('notification', {
      type: 'delivery.failed', instanceId: delivery.instanceId, definitionKey: instance?.definitionKey ?? '', elementId: '', at: now.toISOString(),
      data: { deliveryId: delivery.id, channel: delivery.channel, recipient: delivery.recipient, template: delivery.template, error },
    });
  }

  // A survey's notice carries a signed link that answers the survey message of this case.
  private async surveyLink(notification: NotificationRow): Promise<Record<string, unknown>> {
    const message = notification.template ? TEMPLATES[notification.template]?.surveyMessage : undefined;
    const correlationKey = notification.payload.subject;
    if (!message || typeof correlationKey !== 'string') return {};
    const expiresAt = new Date(this.engine.clock.now().getTime() + (this.options.surveyTtlMs ?? 7 * DAY_MS)).toISOString();
    const id = newSurveyId();
    await this.engine.store.deliveries.insertSurveyLink({ id, instanceId: notification.instanceId, messageName: message, correlationKey, expiresAt, score: null, comment: null, answeredAt: null });
    const base = (this.options.publicUrl ?? 'http://127.0.0.1:3000').replace(/\/$/, '');
    return { surveyUrl: `${base}/survey/${signSurvey({ id, expiresAt }, this.options.surveySecret)}`, surveyExpires: expiresAt };
  }
}

/** E-mail reaches a customer notification's address; the webhook takes every notification (to the phone, user or group). */
function recipientOf(channel: Channel, notification: NotificationRow, data: Record<string, unknown>): string | null {
  const text = (value: unknown) => (typeof value === 'string' && value.trim() !== '' ? value.trim() : null);
  if (channel.name === 'email') return text(data.contactEmail) ?? text(data.customerEmail) ?? text(data.email);
  return text(data.contactPhone) ?? notification.toUser ?? notification.toGroup ?? text(data.subject) ?? notification.instanceId;
}
