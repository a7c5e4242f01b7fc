/**
 * Message start events: a message that no instance waits for starts an instance of every definition
 * whose latest version has a message start event for its name (each start its own transaction). The
 * one rule behind /api/messages, /engine-rest/message, /v2/messages/* and messages sent inside the engine.
 */
import type { StoreTx } from '../../store/index.js';
import { startInstance, type StepDeps } from '../step/step.js';

/** A start a message asks for. */
export interface MessageStart {
  name: string;
  variables: Record<string, unknown>;
  businessKey: string | null;
  by: string | null;
  /** Runs last in each start's transaction (remembering the message id, so a crash cannot start twice). */
  after?(tx: StoreTx, instanceId: string): Promise<void>;
}

const LISTENERS = 100;

/** Starts an instance at each message start event listening for the name; returns their ids (none: nobody listens). */
export async function startByMessage(deps: StepDeps, message: MessageStart): Promise<string[]> {
  const listening = await deps.store.startEvents.listening('message', message.name, null, LISTENERS);
  const started: string[] = [];
  for (const start of listening) {
    const def = await deps.registry.load(start.definitionId);
    const { instance } = await startInstance(deps, def, {
      variables: message.variables,
      businessKey: message.businessKey,
      by: message.by,
      startEvent: start.elementId,
      after: message.after ? (tx, row) => message.after!(tx, row.id) : undefined,
    });
    started.push(instance.id);
  }
  return started;
}

/** Whether some definition starts by this message. */
export async function startsByMessage(deps: StepDeps, name: string): Promise<boolean> {
  return (await deps.store.startEvents.listening('message', name, null, 1)).length > 0;
}
