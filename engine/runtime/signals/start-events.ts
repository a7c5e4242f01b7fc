/** The start events that start instances by a message or signal: one row each for a key's latest version. */
import type { CompiledProcess } from '../../compile/index.js';
import type { StartEventRow, StoreTx } from '../../store/index.js';
import { uuidv7 } from '../ids.js';

/** Replaces the key's start event rows by the new version's (a redeploy's starts replace the old version's). */
export async function registerStartEvents(tx: StoreTx, definition: { id: string; key: string }, compiled: CompiledProcess, now: string): Promise<void> {
  const rows = compiled.starts.flatMap((s): StartEventRow[] => (s.kind === 'message' || s.kind === 'signal')
    ? [{ id: uuidv7(), definitionId: definition.id, definitionKey: definition.key, elementId: s.elementId, kind: s.kind, name: s.name, createdAt: now }]
    : []);
  await tx.startEvents.replace(definition.key, rows);
}
