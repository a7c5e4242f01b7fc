/** Writing a thrown signal's outbox row, inside the transaction that throws it (a step, or POST /api/signals). */
import type { StoreTx } from '../../store/index.js';
import { uuidv7 as newId } from '../ids.js';

/**
 * Records a broadcast: its receivers are the subscriptions numbered up to now (read in this transaction),
 * delivered after the commit by the fan-out. Returns the broadcast's id.
 */
export async function recordBroadcast(
  tx: StoreTx,
  signal: {
    name: string;
    variables: Record<string, unknown>;
    thrownByInstance: string | null;
    thrownBy: string | null;
    now: string;
  },
): Promise<string> {
  const id = newId();
  await tx.signals.insertBroadcast({
    id,
    name: signal.name,
    variables: signal.variables,
    thrownByInstance: signal.thrownByInstance,
    thrownBy: signal.thrownBy,
    thrownAt: signal.now,
    maxSeq: await tx.signals.maxSeq(),
    cursor: 0,
    startCursor: null,
    startsDone: false,
    delivered: 0,
    started: 0,
    status: 'pending',
    lockedBy: null,
    lockedUntil: null,
    doneAt: null,
  });
  return id;
}
