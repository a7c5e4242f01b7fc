/** Rows and repositories of signals and triggered starts (migration 075). */

/** An instance waiting for a signal at an element; `seq` numbers subscriptions in the order they were made. */
export interface SignalSubscriptionRow {
  seq: number;
  id: string;
  instanceId: string;
  elementId: string;
  /** The activation of the element that waits (null for rows from before activations). */
  activationId: string | null;
  signalName: string;
  createdAt: string;
}

/** One thrown signal, delivered to its receivers in batches; `cursor` and `startCursor` say how far. */
export interface SignalBroadcastRow {
  id: string;
  name: string;
  variables: Record<string, unknown>;
  thrownByInstance: string | null;
  thrownBy: string | null;
  thrownAt: string;
  /** Receivers are the subscriptions numbered up to this when the signal was thrown. */
  maxSeq: number;
  cursor: number;
  startCursor: string | null;
  startsDone: boolean;
  delivered: number;
  started: number;
  status: 'pending' | 'done';
  lockedBy: string | null;
  lockedUntil: string | null;
  doneAt: string | null;
}

/** A message or signal start event of a key's latest version: what starts new instances. */
export interface StartEventRow {
  id: string;
  definitionId: string;
  definitionKey: string;
  elementId: string;
  kind: 'message' | 'signal';
  name: string;
  createdAt: string;
}

export interface SignalRepository {
  subscribe(row: Omit<SignalSubscriptionRow, 'seq'>): Promise<void>;
  /** Removes the element's subscriptions (only the activation's, when given). */
  unsubscribe(instanceId: string, elementId: string, activationId?: string): Promise<void>;
  unsubscribeInstance(instanceId: string): Promise<void>;
  /** Whether the subscription is still there (its instance has not moved on). */
  isSubscribed(id: string): Promise<boolean>;
  /** The highest subscription number so far (0 when none). */
  maxSeq(): Promise<number>;
  /** Subscriptions to a signal numbered in (afterSeq, maxSeq], in order, at most `limit`. */
  receivers(name: string, afterSeq: number, maxSeq: number, limit: number): Promise<SignalSubscriptionRow[]>;
  insertBroadcast(row: SignalBroadcastRow): Promise<void>;
  getBroadcast(id: string): Promise<SignalBroadcastRow | null>;
  /** Leases up to `limit` pending broadcasts whose lease is free or expired (SKIP LOCKED on PostgreSQL), oldest first. */
  claimBroadcasts(now: string, owner: string, lockUntil: string, limit: number): Promise<SignalBroadcastRow[]>;
  /** Leases one broadcast for `owner` unless another holds a live lease. */
  claimBroadcast(id: string, now: string, owner: string, lockUntil: string): Promise<boolean>;
  /** Compare-and-set of the delivery cursor (one delivery more); false when it was not at `from`. */
  advance(id: string, from: number, to: number): Promise<boolean>;
  /** Compare-and-set of the start cursor (one start more); false when it was not at `from`. */
  advanceStarts(id: string, from: string | null, to: string): Promise<boolean>;
  /** Moves a cursor past a receiver that could not take the signal (gone, ended), without counting it. */
  skip(id: string, from: number, to: number): Promise<boolean>;
  skipStart(id: string, from: string | null, to: string): Promise<boolean>;
  update(
    id: string,
    patch: Partial<Pick<SignalBroadcastRow, 'startsDone' | 'status' | 'lockedBy' | 'lockedUntil' | 'doneAt'>>,
  ): Promise<void>;
}

export interface StartEventRepository {
  /** Replaces the start events of a key by those of its new latest version. */
  replace(definitionKey: string, rows: StartEventRow[]): Promise<void>;
  /** Start events of a kind listening to a name, ordered by id, after `afterId`, at most `limit`. */
  listening(kind: StartEventRow['kind'], name: string, afterId: string | null, limit: number): Promise<StartEventRow[]>;
}

/** A timer start event of a key's latest version, due at `due` (cycles: rescheduled after each firing). */
export interface StartTimerRow {
  id: string;
  definitionId: string;
  definitionKey: string;
  elementId: string;
  due: string;
  repeat: { remaining: number | null; interval: string; cron?: string; zone?: string } | null;
  lockedBy: string | null;
  lockedUntil: string | null;
}

export interface StartTimerRepository {
  /** Replaces the timer starts of a key by those of its new latest version. */
  replace(definitionKey: string, rows: StartTimerRow[]): Promise<void>;
  /** Leases up to `limit` due timers whose lease is free or expired (SKIP LOCKED on PostgreSQL), earliest first. */
  claimDue(now: string, owner: string, lockUntil: string, limit: number): Promise<StartTimerRow[]>;
  /**
   * After a firing, in its transaction: moves the timer to its next due instant (null: deletes it), only if
   * `owner` still holds it at `due`; false when another node or a redeploy took it.
   */
  advance(
    id: string,
    owner: string,
    due: string,
    next: { due: string; repeat: StartTimerRow['repeat'] } | null,
  ): Promise<boolean>;
  release(id: string): Promise<void>;
  list(definitionKey: string): Promise<StartTimerRow[]>;
}

/** The instance a message with a correlation key started, per process key (one running instance per key). */
export interface MessageStartKeyRepository {
  /** The instance holding the key for the process key, or null. */
  holder(definitionKey: string, correlationKey: string): Promise<string | null>;
  /** Records that the instance holds the key; fails when another instance holds it. */
  claim(definitionKey: string, correlationKey: string, instanceId: string): Promise<void>;
  /** Frees the key, if this instance still holds it. */
  release(definitionKey: string, correlationKey: string, instanceId: string): Promise<void>;
}
