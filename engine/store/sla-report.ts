/**
 * The SLA report query: met and breached SLAs that closed in a period, grouped, with counts, mean and
 * nearest-rank p90 business duration computed in SQL (window functions, SQLite ≥ 3.25 and PostgreSQL).
 */
import type { Knex } from 'knex';
import type { SlaGroupBy, SlaReportFilter, SlaReportRow } from './sla-types.js';
import { practiceCases } from './kpi-queries.js';
import { whereOfferedTo } from './visibility.js';
import { type Db, isoIn, numberOut } from './columns.js';

// Fixed SQL fragments per grouping; no request text reaches them.
const KEYS: Record<SlaGroupBy, string> = {
  definition: 's.definition_key',
  element: "s.definition_key || '/' || s.element_id",
  priority: 's.priority',
  assignee: 'coalesce(t.completed_by, t.assignee)',
  group: 'c.value',
};

/** Per-group figures over met and breached SLAs with completedAt in [from, to), ordered by key. */
export async function slaReport(db: Db, filter: SlaReportFilter): Promise<SlaReportRow[]> {
  const ranked = db
    .from(baseQuery(db, filter).as('b'))
    .select(
      'k',
      'status',
      'business_ms',
      db.raw('row_number() over (partition by k order by business_ms) as rn'),
      db.raw('count(*) over (partition by k) as n'),
    );
  const records: Array<Record<string, unknown>> = await db
    .from(ranked.as('r'))
    .select(
      'k',
      db.raw('count(*) as total'),
      db.raw("sum(case when status = 'met' then 1 else 0 end) as met"),
      db.raw("sum(case when status = 'breached' then 1 else 0 end) as breached"),
      db.raw('avg(business_ms) as mean'),
      // nearest rank: the value at position ceil(0.9 n), written in integer arithmetic
      db.raw('max(case when rn = (9 * n + 9) / 10 then business_ms end) as p90'),
    )
    .groupBy('k');
  return records
    .map(
      (r): SlaReportRow => ({
        key: r.k == null ? null : String(r.k),
        total: numberOut(r.total),
        met: numberOut(r.met),
        breached: numberOut(r.breached),
        meanBusinessMs: Math.round(numberOut(r.mean)),
        p90BusinessMs: numberOut(r.p90),
      }),
    )
    .sort(byKey);
}

// helpers

// The same order on both databases: by key, the group without a key last.
function byKey(a: SlaReportRow, b: SlaReportRow): number {
  if (a.key === null || b.key === null) return a.key === b.key ? 0 : a.key === null ? 1 : -1;
  return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}

/** The period's met and breached rows the report groups (exported for the query-plan tests). */
export function baseQuery(db: Db, filter: SlaReportFilter): Knex.QueryBuilder {
  const query = db({ s: 'slas' })
    .select(db.raw(`${KEYS[filter.groupBy]} as k`), 's.status', 's.business_ms')
    .where('s.completed_at', '>=', isoIn(filter.from))
    .where('s.completed_at', '<', isoIn(filter.to))
    // `|| ''` keeps the planner off the status index: the period's rows come from the completed_at index
    .whereRaw("(?? || '') in ('met', 'breached')", ['s.status'])
    // practice cases (drills) are measured apart (GET /api/drills), never in the service figures
    .whereNotIn('s.instance_id', practiceCases(db));
  const scope = filter.scopeGroups;
  if (scope !== undefined)
    query.where((q) => q.whereNull('s.task_id').orWhere((o) => whereOfferedTo(db, o, 'group', scope, 's.task_id')));
  if (filter.groupBy === 'assignee') query.leftJoin({ t: 'tasks' }, 't.id', 's.task_id');
  if (filter.groupBy === 'group')
    query.leftJoin({ c: 'task_candidates' }, (on) =>
      on.on('c.task_id', '=', 's.task_id').andOn('c.kind', '=', db.raw('?', ['group'])),
    );
  return query;
}
