/**
 * The hot writes of a step on PostgreSQL as parts of one statement: each write is one or more data-modifying
 * statements that `mergedStatement` joins as CTEs of a single statement, so the writes of a start or a task
 * completion cost one round trip. A write that must hit a row (the instance's version, an open task) names
 * the part whose RETURNING must yield one; `svcflow_require` (migration 180) fails the whole statement when
 * it yields none, which undoes every other part too.
 */
import type { Knex } from 'knex';
import {
  type HistoryRow,
  type InstanceRow,
  TaskCompletionRefusedError,
  type TaskRow,
  VersionConflictError,
} from './types.js';
import { isoIn, isoInOrNull } from './columns.js';
import { toRow as instanceToRow } from './instances.js';
import { toRow as historyToRow } from './history.js';
import { toRow as taskToRow } from './tasks.js';
import { candidateRows } from './task-candidates.js';

/** One data-modifying statement; `{{n}}` names part n of the same write (its RETURNING rows). */
export interface WritePart {
  sql: string;
  bindings: readonly unknown[];
}

/** A write of a step, deferred until the step's statement goes out. */
export interface StepWrite {
  parts: WritePart[];
  /** The tables it writes: two writes on one table never share a statement (CTEs see one snapshot)… */
  tables: string[];
  /** …unless both only insert new rows there, and it is not the history (whose ids keep the order of appends). */
  insertsOnly?: boolean;
  /** The part that must return a row, and the error when it returns none. */
  required?: { part: number; failure(): Error };
  /**
   * When the step failed before this write went out: the error it would have failed with (read after the
   * fact, on the pool), so a step reports what it reported when the write ran first; null when it would pass.
   */
  probe?(pool: Knex): Promise<Error | null>;
}

/** More rows than this go out as separate statements (PostgreSQL allows 65,535 parameters per statement). */
export const MAX_DEFERRED_ROWS = 1000;

/** Whether two writes must go out in separate statements, in the order they were made. */
export function clashes(held: StepWrite, next: StepWrite): boolean {
  const shared = held.tables.filter((t) => next.tables.includes(t));
  if (shared.length === 0) return false;
  return !(held.insertsOnly && next.insertsOnly) || shared.includes('history');
}

/** The statement running every write: one data-modifying CTE per part, the required parts checked. */
export function mergedStatement(writes: StepWrite[]): WritePart {
  const only = writes.length === 1 && writes[0].parts.length === 1 && !writes[0].required ? writes[0] : null;
  if (only) return only.parts[0];
  const ctes: string[] = [];
  const checks: string[] = [];
  const bindings: unknown[] = [];
  writes.forEach((write, w) => {
    write.parts.forEach((part, p) => {
      ctes.push(`w${w}_${p} as (${part.sql.replace(/\{\{(\d+)\}\}/g, (_, n: string) => `w${w}_${n}`)})`);
      bindings.push(...part.bindings);
    });
    if (write.required) checks.push(`exists (select 1 from w${w}_${write.required.part})`);
  });
  const main = checks.length > 0 ? `select svcflow_require(array[${checks.join(', ')}])` : 'select 1';
  return { sql: `with ${ctes.join(', ')} ${main}`, bindings };
}

/** The write whose required part failed, from the error `svcflow_require` raised (null: not that error). */
export function failedWrite(writes: StepWrite[], error: unknown): StepWrite | null {
  const e = error as { code?: string; message?: string };
  if (e?.code !== 'SVCF1') return null;
  const index = Number(/(\d+)\s*$/.exec(e.message ?? '')?.[1]);
  return writes.filter((w) => w.required)[index] ?? null;
}

/** instances.insert */
export function instanceInsert(db: Knex, row: InstanceRow): StepWrite {
  return { parts: [native(db('instances').insert(instanceToRow(row)))], tables: ['instances'], insertsOnly: true };
}

/** instances.save: the update on the expected version, with the step's history rows. */
export function instanceSave(db: Knex, row: InstanceRow, expectedVersion: number, history: HistoryRow[]): StepWrite {
  const { snapshot, variables, active_elements, status, ended_at } = instanceToRow(row);
  const update = db('instances')
    .where({ id: row.id, version: expectedVersion })
    .update({ snapshot, variables, active_elements, status, ended_at, version: db.raw('?? + 1', ['version']) })
    .returning('id');
  const parts = [native(update)];
  if (history.length > 0) parts.push(native(db('history').insert(history.map(historyToRow))));
  return {
    parts,
    tables: history.length > 0 ? ['instances', 'history'] : ['instances'],
    required: { part: 0, failure: () => new VersionConflictError(row.id, expectedVersion) },
    probe: async (pool) => {
      const found: { version: number } | undefined = await pool('instances')
        .select('version')
        .where({ id: row.id })
        .first();
      return found && Number(found.version) === expectedVersion
        ? null
        : new VersionConflictError(row.id, expectedVersion);
    },
  };
}

/** history.append */
export function historyAppend(db: Knex, rows: HistoryRow[]): StepWrite {
  return { parts: [native(db('history').insert(rows.map(historyToRow)))], tables: ['history'] };
}

/** tasks.insert: the task and its candidates. */
export function taskInsert(db: Knex, row: TaskRow): StepWrite {
  const parts = [native(db('tasks').insert(taskToRow(row)))];
  const candidates = candidateRows(row.id, row.candidateUsers ?? [], row.candidateGroups ?? [], row.status);
  if (candidates.length > 0) parts.push(native(db('task_candidates').insert(candidates)));
  return { parts, tables: ['tasks', 'task_candidates'], insertsOnly: true };
}

/** tasks.complete: the open task marked completed, and its candidate rows. */
export function taskComplete(db: Knex, id: string, completedBy: string | null, endedAt: string): StepWrite {
  return {
    parts: [
      {
        sql: `update tasks set status = 'completed', completed_by = ?, ended_at = ?
          where id = ? and status = 'open' returning id`,
        bindings: [completedBy, isoInOrNull(endedAt), id],
      },
      {
        sql: `update task_candidates set task_status = 'completed' where task_id in (select id from {{0}})`,
        bindings: [],
      },
    ],
    tables: ['tasks', 'task_candidates'],
    required: { part: 0, failure: () => new TaskCompletionRefusedError(id) },
    probe: async (pool) => {
      const found: { status: string } | undefined = await pool('tasks').select('status').where({ id }).first();
      return found?.status === 'open' ? null : new TaskCompletionRefusedError(id);
    },
  };
}

/**
 * cases.index: the digest swapped when it differs; only then are the words rewritten — the ones no longer
 * held deleted, the new ones added (disjoint rows, so the parts need no order between them).
 */
export function caseIndex(instanceId: string, startedAt: string, terms: string[], digest: string): StepWrite {
  const upsert: WritePart = {
    sql: `insert into "case_index" ("instance_id", "digest") values (?, ?) on conflict ("instance_id")
      do update set "digest" = excluded."digest" where "case_index"."digest" <> excluded."digest"
      returning "instance_id"`,
    bindings: [instanceId, digest],
  };
  const words = [...new Set(terms)];
  const parts = [
    upsert,
    {
      sql: `delete from "case_terms" where "instance_id" in (select "instance_id" from {{0}})
        and not ("term" = any(?::text[]))`,
      bindings: [words],
    },
  ];
  if (words.length > 0)
    parts.push({
      sql: `insert into "case_terms" ("term", "instance_id", "started_at")
        select t, c."instance_id", ?::timestamptz from unnest(?::text[]) t, {{0}} c on conflict do nothing`,
      bindings: [isoIn(startedAt), words],
    });
  return { parts, tables: ['case_index', 'case_terms'] };
}

// helpers

function native(query: Knex.QueryBuilder): WritePart {
  const { sql, bindings } = query.toSQL();
  return { sql, bindings };
}
