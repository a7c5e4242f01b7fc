/**
 * Sends notifications: each customer or staff notification a job handler records becomes one delivery
 * per configured channel (e-mail to the customer's address; the webhook for every notification),
 * rendered from its template. A sweep on every scheduler tick sends what is due; a failure is retried
 * after 30 s, 1 min, 2 min… and after the last attempt the delivery is `failed`, published on the event
 * stream and listed for supervisors (GET /api/deliveries?status=failed). Each attempt first claims its
 * delivery for a lease (one node sends it); a node dying mid-send leaves it due again after the lease, and
 * the message goes out again with the same id, which receivers deduplicate: exactly once at the receiver.
 */
import { createHash } from 'node:crypto';
import type { DeliveryRow, NotificationRow, StoreTx } from '../../store/index.js';
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
  /** How long one attempt holds a delivery: a node dying mid-send leaves it due again after this (default 60 s). */
  leaseMs?: number;
}

const BATCH = 20;
const DAY_MS = 86_400_000;

export class DeliveryService {
  private readonly maxAttempts: number;
  private readonly backoffMs: number;
  private readonly leaseMs: number;

  constructor(
    private readonly engine: Engine,
    private readonly options: DeliveryOptions,
  ) {
    this.maxAttempts = options.maxAttempts ?? 5;
    this.backoffMs = options.backoffMs ?? 30_000;
    this.leaseMs = options.leaseMs ?? 60_000;
    engine.extend({ due: () => this.deliverDue() });
  }

  /**
   * Queues the notification on every channel that can reach its recipient; `tx` is the transaction that records
   * the notification, so the record and its deliveries commit together. Each delivery's id follows from the
   * notification and the channel: enqueuing the same notification again adds nothing.
   */
  async enqueue(notification: NotificationRow, tx: StoreTx = this.engine.store): Promise<void> {
    if (this.options.channels.length === 0) return;
    const data = { ...notification.payload, ...(await this.surveyLink(notification, tx)) };
    const { subject, body } = renderTemplate(
      notification.template,
      localeOf(data, this.options.locale ?? 'zh-CN'),
      data,
    );
    const now = this.engine.clock.now().toISOString();
    for (const channel of this.options.channels) {
      const recipient = recipientOf(channel, notification, data);
      if (recipient === null) continue;
      await tx.deliveries.insert({
        id: deliveryIdOf(notification.id, channel.name),
        notificationId: notification.id,
        instanceId: notification.instanceId,
        channel: channel.name,
        recipient,
        template: notification.template,
        subject,
        body,
        data,
        status: 'pending',
        attempts: 0,
        lastError: null,
        nextAttemptAt: now,
        sentAt: null,
        createdAt: now,
      });
    }
  }

  /** Sends every delivery that is due and not taken by another attempt; returns how many were attempted. */
  async deliverDue(): Promise<number> {
    const now = this.engine.clock.now();
    const due = await this.engine.store.deliveries.due(now.toISOString(), BATCH);
    const leaseUntil = new Date(now.getTime() + this.leaseMs).toISOString();
    let attempted = 0;
    for (const delivery of due) {
      if (!(await this.engine.store.deliveries.claim(delivery.id, delivery.nextAttemptAt ?? '', leaseUntil))) continue;
      await this.attempt(delivery);
      attempted++;
    }
    return attempted;
  }

  // helpers

  private async attempt(delivery: DeliveryRow): Promise<void> {
    const channel = this.options.channels.find((c) => c.name === delivery.channel);
    const attempts = delivery.attempts + 1;
    try {
      if (!channel) throw new Error(`channel '${delivery.channel}' is not configured any more`);
      await channel.send({
        id: delivery.id,
        to: delivery.recipient,
        subject: delivery.subject,
        body: delivery.body,
        data: delivery.data,
      });
      await this.engine.store.deliveries.update(delivery.id, {
        status: 'sent',
        attempts,
        sentAt: this.engine.clock.now().toISOString(),
        nextAttemptAt: null,
        lastError: null,
      });
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
    await this.engine.store.deliveries.update(delivery.id, {
      status: 'failed',
      attempts,
      lastError: error,
      nextAttemptAt: null,
    });
    const instance = await this.engine.store.instances.get(delivery.instanceId);
    this.engine.events.emit('notification', {
      type: 'delivery.failed',
      instanceId: delivery.instanceId,
      definitionKey: instance?.definitionKey ?? '',
      elementId: '',
      at: now.toISOString(),
      data: {
        deliveryId: delivery.id,
        channel: delivery.channel,
        recipient: delivery.recipient,
        template: delivery.template,
        error,
      },
    });
  }

  // A survey's notice carries a signed link that answers the survey message of this case.
  private async surveyLink(notification: NotificationRow, tx: StoreTx): Promise<Record<string, unknown>> {
    const message = notification.template ? TEMPLATES[notification.template]?.surveyMessage : undefined;
    const correlationKey = notification.payload.subject;
    if (!message || typeof correlationKey !== 'string') return {};
    const expiresAt = new Date(
      this.engine.clock.now().getTime() + (this.options.surveyTtlMs ?? 7 * DAY_MS),
    ).toISOString();
    const id = newSurveyId();
    await tx.deliveries.insertSurveyLink({
      id,
      instanceId: notification.instanceId,
      messageName: message,
      correlationKey,
      expiresAt,
      score: null,
      comment: null,
      answeredAt: null,
    });
    const base = (this.options.publicUrl ?? 'http://127.0.0.1:3000').replace(/\/$/, '');
    return {
      surveyUrl: `${base}/survey/${signSurvey({ id, expiresAt }, this.options.surveySecret)}`,
      surveyExpires: expiresAt,
    };
  }
}

/** E-mail reaches a customer notification's address; the webhook takes every notification (to the phone, user or group). */
function recipientOf(channel: Channel, notification: NotificationRow, data: Record<string, unknown>): string | null {
  const text = (value: unknown) => (typeof value === 'string' && value.trim() !== '' ? value.trim() : null);
  if (channel.name === 'email') return text(data.contactEmail) ?? text(data.customerEmail) ?? text(data.email);
  return (
    text(data.contactPhone) ??
    notification.toUser ??
    notification.toGroup ??
    text(data.subject) ??
    notification.instanceId
  );
}

// The delivery of a notification on a channel has one id, whoever enqueues it and however often.
function deliveryIdOf(notificationId: string, channel: string): string {
  const hex = createHash('sha256').update(`${notificationId}|${channel}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
