import type { Knex } from 'knex';
import {
  type Db,
  type Dialect,
  isoIn,
  isoInOrNull,
  isoOut,
  isoOutOrNull,
  jsonIn,
  jsonOut,
  numberOut,
  patchColumns,
  type PatchMap,
} from './columns.js';
import type {
  SignalBroadcastRow,
  SignalRepository,
  SignalSubscriptionRow,
  StartEventRepository,
  StartEventRow,
} from './signal-types.js';

const SUBS = 'signal_subscriptions';
const BROADCASTS = 'signal_broadcasts';
const STARTS = 'start_events';

type BroadcastPatch = Parameters<SignalRepository['update']>[1];

/** Signal subscriptions and broadcasts on one knex handle (the pool or a transaction). */
export function signalRepository(db: Db, dialect: Dialect): SignalRepository {
  return {
    async subscribe(row) {
      await db(SUBS).insert({
        id: row.id,
        instance_id: row.instanceId,
        element_id: row.elementId,
        activation_id: row.activationId,
        signal_name: row.signalName,
        created_at: isoIn(row.createdAt),
      });
    },
    async unsubscribe(instanceId, elementId, activationId) {
      await db(SUBS)
        .where({
          instance_id: instanceId,
          element_id: elementId,
          ...(activationId ? { activation_id: activationId } : {}),
        })
        .delete();
    },
    async unsubscribeInstance(instanceId) {
      await db(SUBS).where({ instance_id: instanceId }).delete();
    },
    async isSubscribed(id) {
      return (await db(SUBS).select('seq').where({ id }).first()) !== undefined;
    },
    async maxSeq() {
      const row = await db(SUBS).max({ seq: 'seq' }).first();
      return numberOut(row?.seq);
    },
    async receivers(name, afterSeq, maxSeq, limit) {
      const records = await db(SUBS)
        .select('*')
        .where('signal_name', name)
        .where('seq', '>', afterSeq)
        .where('seq', '<=', maxSeq)
        .orderBy('seq')
        .limit(limit);
      return records.map(subFromRow);
    },
    async insertBroadcast(row) {
      await db(BROADCASTS).insert(broadcastToRow(row));
    },
    async getBroadcast(id) {
      const record = await db(BROADCASTS).where({ id }).first();
      return record ? broadcastFromRow(record) : null;
    },
    async claimBroadcasts(now, owner, lockUntil, limit) {
      const records = await db(BROADCASTS)
        .whereIn('id', claimable(db, dialect, now, limit))
        .update({ locked_by: owner, locked_until: isoIn(lockUntil) })
        .returning('*');
      return records
        .map(broadcastFromRow)
        .sort(
          (a: SignalBroadcastRow, b: SignalBroadcastRow) =>
            a.thrownAt.localeCompare(b.thrownAt) || a.id.localeCompare(b.id),
        );
    },
    async claimBroadcast(id, now, owner, lockUntil) {
      const changed = await db(BROADCASTS)
        .where({ id, status: 'pending' })
        .where((free) =>
          free.whereNull('locked_until').orWhere('locked_until', '<', isoIn(now)).orWhere('locked_by', owner),
        )
        .update({ locked_by: owner, locked_until: isoIn(lockUntil) });
      return Number(changed) === 1;
    },
    async advance(id, from, to) {
      return (
        Number(
          await db(BROADCASTS)
            .where({ id, cursor: from })
            .update({ cursor: to, delivered: db.raw('delivered + 1') }),
        ) === 1
      );
    },
    async advanceStarts(id, from, to) {
      return (
        Number(
          await startCursorAt(db(BROADCASTS).where({ id }), from).update({
            start_cursor: to,
            started: db.raw('started + 1'),
          }),
        ) === 1
      );
    },
    async skip(id, from, to) {
      return Number(await db(BROADCASTS).where({ id, cursor: from }).update({ cursor: to })) === 1;
    },
    async skipStart(id, from, to) {
      return Number(await startCursorAt(db(BROADCASTS).where({ id }), from).update({ start_cursor: to })) === 1;
    },
    async update(id, patch) {
      const columns = patchColumns(patch, PATCH);
      if (Object.keys(columns).length > 0) await db(BROADCASTS).where({ id }).update(columns);
    },
  };
}

/** The start events of each key's latest version. */
export function startEventRepository(db: Db, _dialect: Dialect): StartEventRepository {
  return {
    async replace(definitionKey, rows) {
      await db(STARTS).where({ definition_key: definitionKey }).delete();
      if (rows.length > 0) {
        await db(STARTS).insert(
          rows.map((r) => ({
            id: r.id,
            definition_id: r.definitionId,
            definition_key: r.definitionKey,
            element_id: r.elementId,
            kind: r.kind,
            name: r.name,
            created_at: isoIn(r.createdAt),
          })),
        );
      }
    },
    async listening(kind, name, afterId, limit) {
      const query = db(STARTS).select('*').where({ kind, name }).orderBy('id').limit(limit);
      if (afterId !== null) query.where('id', '>', afterId);
      const records = await query;
      return records.map(
        (r: Record<string, unknown>): StartEventRow => ({
          id: String(r.id),
          definitionId: String(r.definition_id),
          definitionKey: String(r.definition_key),
          elementId: String(r.element_id),
          kind: r.kind === 'signal' ? 'signal' : 'message',
          name: String(r.name),
          createdAt: isoOut(r.created_at),
        }),
      );
    },
  };
}

// helpers

function claimable(db: Db, dialect: Dialect, now: string, limit: number): Knex.QueryBuilder {
  const at = isoIn(now);
  const query = db(BROADCASTS)
    .select('id')
    .where('status', 'pending')
    .where((free) => free.whereNull('locked_until').orWhere('locked_until', '<', at))
    .orderBy('thrown_at')
    .limit(limit);
  return dialect === 'postgres' ? query.forUpdate().skipLocked() : query;
}

function startCursorAt(query: Knex.QueryBuilder, from: string | null): Knex.QueryBuilder {
  return from === null ? query.whereNull('start_cursor') : query.where('start_cursor', from);
}

const PATCH: PatchMap<BroadcastPatch> = {
  startsDone: (v) => ({ starts_done: v }),
  status: (v) => ({ status: v }),
  lockedBy: (v) => ({ locked_by: v }),
  lockedUntil: (v) => ({ locked_until: isoInOrNull(v) }),
  doneAt: (v) => ({ done_at: isoInOrNull(v) }),
};

function subFromRow(r: Record<string, unknown>): SignalSubscriptionRow {
  return {
    seq: numberOut(r.seq),
    id: String(r.id),
    instanceId: String(r.instance_id),
    elementId: String(r.element_id),
    activationId: (r.activation_id as string | null) ?? null,
    signalName: String(r.signal_name),
    createdAt: isoOut(r.created_at),
  };
}

function broadcastToRow(row: SignalBroadcastRow): Record<string, unknown> {
  return {
    id: row.id,
    name: row.name,
    variables: jsonIn(row.variables),
    thrown_by_instance: row.thrownByInstance,
    thrown_by: row.thrownBy,
    thrown_at: isoIn(row.thrownAt),
    max_seq: row.maxSeq,
    cursor: row.cursor,
    start_cursor: row.startCursor,
    starts_done: row.startsDone,
    delivered: row.delivered,
    started: row.started,
    status: row.status,
    locked_by: row.lockedBy,
    locked_until: isoInOrNull(row.lockedUntil),
    done_at: isoInOrNull(row.doneAt),
  };
}

function broadcastFromRow(r: Record<string, unknown>): SignalBroadcastRow {
  return {
    id: String(r.id),
    name: String(r.name),
    variables: jsonOut(r.variables),
    thrownByInstance: (r.thrown_by_instance as string | null) ?? null,
    thrownBy: (r.thrown_by as string | null) ?? null,
    thrownAt: isoOut(r.thrown_at),
    maxSeq: numberOut(r.max_seq),
    cursor: numberOut(r.cursor),
    startCursor: (r.start_cursor as string | null) ?? null,
    startsDone: r.starts_done === true || r.starts_done === 1,
    delivered: numberOut(r.delivered),
    started: numberOut(r.started),
    status: r.status === 'done' ? 'done' : 'pending',
    lockedBy: (r.locked_by as string | null) ?? null,
    lockedUntil: isoOutOrNull(r.locked_until),
    doneAt: isoOutOrNull(r.done_at),
  };
}
