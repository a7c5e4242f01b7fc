/**
 * Message publishing with Camunda 8 semantics: a message nobody waits for yet is buffered for its time
 * to live and delivered when a matching subscription opens; a `messageId` makes publishing idempotent.
 * Buffered messages are delivered by a sweep the scheduler runs on every tick and the engine runs right
 * after a step that opened a subscription; each delivery is one step that also marks the message
 * delivered, so a message reaches one subscription once even across nodes.
 */
import type { MessageRow } from '../../store/index.js';
import { newId } from '../definitions.js';
import {
  InstanceNotActiveError,
  InstanceNotFoundError,
  InstanceSuspendedError,
  MessageNotCorrelatedError,
} from '../errors.js';
import { runStep, type StepDeps } from '../step/step.js';
import { startByMessage } from '../signals/message-starts.js';
import { activationOf } from '../step/activation.js';

/** A message to publish. */
export interface Publication {
  name: string;
  correlationKey: string | null;
  variables: Record<string, unknown>;
  /** How long an undelivered message waits for a subscription, in ms; 0: deliver now or fail. */
  timeToLiveMs: number;
  messageId: string | null;
  /** Deliver to every waiting subscription, not only the oldest. */
  all: boolean;
  by: string | null;
}

/** What became of a publication. */
export interface Published {
  instanceIds: string[];
  /** Kept for a subscription that has not opened yet. */
  buffered: boolean;
  /** A message with this messageId was published before; this one was ignored. */
  duplicate: boolean;
  /** Nobody waited, and `instanceIds` are instances the message started at message start events. */
  started: boolean;
}

const SWEEP_BATCH = 50;

export class MessageBuffer {
  constructor(private readonly deps: StepDeps) {}

  /** Delivers to waiting subscriptions, else buffers (time to live > 0), else throws MessageNotCorrelatedError. */
  async publish(message: Publication): Promise<Published> {
    if (message.messageId && (await this.deps.store.messages.byMessageId(message.messageId)))
      return { instanceIds: [], buffered: false, duplicate: true, started: false };
    const subscriptions = await this.deps.store.subscriptions.find(message.name, message.correlationKey);
    if (subscriptions.length === 0) {
      const started = await this.start(message);
      if (started.instanceIds.length > 0 || started.duplicate) return started;
      if (message.timeToLiveMs <= 0) throw new MessageNotCorrelatedError(message.name, message.correlationKey);
      await this.deps.store.messages.insert(this.row(message, 'buffered', null));
      return { instanceIds: [], buffered: true, duplicate: false, started: false };
    }
    const instanceIds: string[] = [];
    for (const sub of message.all ? subscriptions : subscriptions.slice(0, 1)) {
      await runStep(
        this.deps,
        sub.instanceId,
        { type: 'message.received', elementId: sub.elementId, ...activationOf(sub), variables: message.variables },
        { by: message.by },
      );
      instanceIds.push(sub.instanceId);
    }
    // the id is remembered so that a repeated publish is recognised
    if (message.messageId) await this.deps.store.messages.insert(this.row(message, 'delivered', instanceIds[0]));
    return { instanceIds, buffered: false, duplicate: false, started: false };
  }

  /**
   * Nobody waits: a message start event for the name starts an instance (as Camunda does; none listening or
   * all held by their correlation key: no ids, and the caller buffers or refuses). The message id
   * is remembered in the first start's own transaction, so a retried publish cannot start again.
   */
  private async start(message: Publication): Promise<Published> {
    let remembered = false;
    try {
      const { instanceIds } = await startByMessage(this.deps, {
        name: message.name,
        correlationKey: message.correlationKey,
        variables: message.variables,
        businessKey: null,
        by: message.by,
        concluded: [
          async ({ tx }, instance) => {
            if (!message.messageId || remembered) return;
            await tx.messages.insert(this.row(message, 'delivered', instance.id));
            remembered = true;
          },
        ],
      });
      return { instanceIds, buffered: false, duplicate: false, started: true };
    } catch (err) {
      // a concurrent publish with the same id won the insert: this one started nothing
      if (message.messageId && !remembered && (await this.deps.store.messages.byMessageId(message.messageId)))
        return { instanceIds: [], buffered: false, duplicate: true, started: false };
      throw err;
    }
  }

  /** Delivers every live buffered message a subscription now waits for; returns how many were delivered. */
  async deliverBuffered(): Promise<number> {
    const now = this.deps.clock.now().toISOString();
    let delivered = 0;
    for (const message of await this.deps.store.messages.buffered(now, SWEEP_BATCH)) {
      if (await this.deliver(message)) delivered++;
    }
    return delivered;
  }

  // helpers

  private async deliver(message: MessageRow): Promise<boolean> {
    const [sub] = await this.deps.store.subscriptions.find(message.name, message.correlationKey);
    if (!sub) return this.startBuffered(message);
    const at = this.deps.clock.now().toISOString();
    try {
      await runStep(
        this.deps,
        sub.instanceId,
        { type: 'message.received', elementId: sub.elementId, ...activationOf(sub), variables: message.variables },
        {
          by: null,
          concluded: [
            async ({ tx }) => {
              // another node delivered it meanwhile: roll this step back
              if (!(await tx.messages.markDelivered(message.id, sub.instanceId, at))) throw new MessageTakenError();
            },
          ],
        },
      );
      return true;
    } catch (err) {
      if (
        err instanceof MessageTakenError ||
        err instanceof InstanceNotFoundError ||
        err instanceof InstanceNotActiveError ||
        // a suspended receiver: the message stays buffered and reaches it once resumed (while it lives)
        err instanceof InstanceSuspendedError
      )
        return false;
      throw err;
    }
  }

  /**
   * A buffered message with a correlation key whose start was held while the instance its key started
   * ran: once that instance has ended, it starts the next one (marked delivered in the start's own
   * transaction, so two nodes cannot both start it). Start events deployed after the message was
   * published do not start by it (Camunda 8).
   */
  private async startBuffered(message: MessageRow): Promise<boolean> {
    if (message.correlationKey === null) return false;
    let marked = false;
    try {
      const { instanceIds } = await startByMessage(this.deps, {
        name: message.name,
        correlationKey: message.correlationKey,
        variables: message.variables,
        businessKey: null,
        by: null,
        publishedAt: message.publishedAt,
        concluded: [
          async ({ tx }, instance) => {
            if (marked) return;
            if (!(await tx.messages.markDelivered(message.id, instance.id, this.deps.clock.now().toISOString())))
              throw new MessageTakenError();
            marked = true;
          },
        ],
      });
      return instanceIds.length > 0;
    } catch (err) {
      if (err instanceof MessageTakenError) return false;
      throw err;
    }
  }

  private row(message: Publication, status: MessageRow['status'], instanceId: string | null): MessageRow {
    const now = this.deps.clock.now();
    return {
      id: newId(),
      name: message.name,
      correlationKey: message.correlationKey,
      variables: message.variables,
      messageId: message.messageId,
      status,
      instanceId,
      publishedAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + Math.max(0, message.timeToLiveMs)).toISOString(),
      deliveredAt: status === 'delivered' ? now.toISOString() : null,
    };
  }
}

class MessageTakenError extends Error {}
