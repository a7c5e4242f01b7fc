/**
 * Message start events: a message that no instance waits for starts an instance of every definition
 * whose latest version has a message start event for its name (each start its own transaction). The
 * one rule behind /api/messages, /engine-rest/message, /v2/messages/* and messages sent inside the engine.
 *
 * A message with a correlation key starts at most one running instance per process key (Camunda 8): while
 * the instance it started runs (any version), another message with that key does not start a second one;
 * it stays buffered for its time to live and starts the next instance once the first has ended.
 */
import type { SettledHandler } from '../step/extension.js';
import { startInstance, type StepDeps } from '../step/step.js';

/** A start a message asks for. */
export interface MessageStart {
  name: string;
  correlationKey: string | null;
  variables: Record<string, unknown>;
  businessKey: string | null;
  by: string | null;
  /** Only start events deployed at or before this instant (a buffered message never starts a later deployment). */
  publishedAt?: string;
  /** Each start's own work, last in its transaction (remembering the message id, so a crash cannot start twice). */
  concluded?: readonly SettledHandler[];
}

/** What a message started. */
export interface MessageStarts {
  instanceIds: string[];
  /** Start events that did not start because an instance their key started still runs. */
  held: number;
}

const LISTENERS = 100;
const RUNNING = new Set(['active', 'incident']);

/** Starts an instance at each message start event listening for the name (none listening: no ids, none held). */
export async function startByMessage(deps: StepDeps, message: MessageStart): Promise<MessageStarts> {
  const listening = await deps.store.startEvents.listening('message', message.name, null, LISTENERS);
  const started: MessageStarts = { instanceIds: [], held: 0 };
  for (const start of listening) {
    if (message.publishedAt !== undefined && start.createdAt > message.publishedAt) continue;
    const key = message.correlationKey;
    const stale = key === null ? null : await heldBy(deps, start.definitionKey, key);
    if (stale?.running) {
      started.held++;
      continue;
    }
    const def = await deps.registry.load(start.definitionId);
    try {
      const { instance } = await startInstance(deps, def, {
        variables: message.variables,
        businessKey: message.businessKey,
        by: message.by,
        startEvent: start.elementId,
        concluded: [
          async ({ tx }, row) => {
            if (key === null) return;
            if (stale) await tx.messageStartKeys.release(start.definitionKey, key, stale.instanceId);
            await tx.messageStartKeys.claim(start.definitionKey, key, row.id);
          },
          ...(message.concluded ?? []),
        ],
      });
      started.instanceIds.push(instance.id);
    } catch (err) {
      // a concurrent message with the same key claimed it first: this start is held, not failed
      if (key !== null && (await heldBy(deps, start.definitionKey, key))?.running) {
        started.held++;
        continue;
      }
      throw err;
    }
  }
  return started;
}

// helpers

/** The instance a key started for a process key, and whether it still runs. */
async function heldBy(
  deps: StepDeps,
  definitionKey: string,
  correlationKey: string,
): Promise<{ instanceId: string; running: boolean } | null> {
  const instanceId = await deps.store.messageStartKeys.holder(definitionKey, correlationKey);
  if (instanceId === null) return null;
  const instance = await deps.store.instances.get(instanceId);
  return { instanceId, running: instance !== null && RUNNING.has(instance.status) };
}
