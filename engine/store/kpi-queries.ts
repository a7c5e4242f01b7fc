/**
 * KPI aggregates in SQL over indexed rows: case facts ended in a period, SLA clocks closed in it,
 * open work now, complaints started and improvement actions raised. Practice cases (drills) are left out
 * of every figure. Percentiles are nearest rank,
 * ranked in memory over one narrow read of the period's rows; no query reads rows outside the period.
 */
import type { Knex } from 'knex';
import type {
  BacklogFigures,
  CaseAggregate,
  DurationStats,
  ImprovementAggregate,
  KpiDimension,
  KpiFilter,
  SlaAggregate,
} from './insight-types.js';
import { type Db, isoIn, isoOutOrNull, numberOut } from './columns.js';

// Fixed column names per grouping; no request text reaches SQL.
const DIMENSIONS: Record<KpiDimension, string> = {
  channel: 'f.channel',
  category: 'f.category',
  priority: 'f.priority',
  group: 'f.grp',
  assignee: 'f.assignee',
  touchPoint: 'f.touch_point',
};

const DURATIONS = {
  firstResponseMs: 'f.first_response_ms',
  firstResponseBusinessMs: 'f.first_response_bms',
  resolutionMs: 'f.resolution_ms',
  resolutionBusinessMs: 'f.resolution_bms',
} as const;
type DurationName = keyof typeof DURATIONS;
const DURATION_ENTRIES = Object.entries(DURATIONS).map(([name, column]) => [name, column.replace(/^f\./, '')]) as Array<
  [DurationName, string]
>;

/** One group's summed counters (CaseAggregate's count fields) and its raw duration samples (ms). */
export interface CaseSamples {
  key: string | null;
  counts: Record<string, number>;
  samples: Record<DurationName, number[]>;
}

/**
 * Counts, sums and duration statistics over cases that ended in [from, to), per group, and the total
 * over all groups (every ended case falls in exactly one group, so the total is their merge: one pass).
 */
export async function caseAggregates(
  db: Db,
  filter: KpiFilter,
): Promise<{ groups: CaseAggregate[]; total: CaseAggregate }> {
  const groups = await caseSamples(db, filter);
  const all = emptySamples();
  for (const g of groups) for (const [name] of DURATION_ENTRIES) for (const v of g.samples[name]) all[name].push(v);
  const totals = Object.fromEntries(
    COUNTS.map(([alias]) => [alias, groups.reduce((sum, g) => sum + (g.counts[alias] ?? 0), 0)]),
  );
  return { groups: groups.map((g) => aggregateOf(g.key, g.counts, g.samples)), total: aggregateOf('all', totals, all) };
}

/** Counters summed in SQL per group; the four durations read in one narrow query (ranked by the caller). */
export async function caseSamples(db: Db, filter: KpiFilter): Promise<CaseSamples[]> {
  const [rows, durations] = await Promise.all([
    endedCases(db, filter)
      .select(db.raw('k'), ...COUNTS.map(([alias, sql]) => db.raw(`${sql} as ${alias}`)))
      .groupBy('k') as Promise<Array<Record<string, unknown>>>,
    endedCases(db, filter).select('k', ...Object.values(DURATIONS).map((c) => c.replace(/^f\./, ''))) as Promise<
      Array<Record<string, unknown>>
    >,
  ]);
  const samples = new Map<string | null, Record<DurationName, number[]>>();
  for (const row of durations) {
    const key = row.k == null ? null : String(row.k);
    if (!samples.has(key)) samples.set(key, emptySamples());
    for (const [name, column] of DURATION_ENTRIES) {
      const value = row[column];
      if (value != null) samples.get(key)![name].push(Number(value));
    }
  }
  return rows.map((r) => {
    const key = r.k == null ? null : String(r.k);
    return {
      key,
      counts: Object.fromEntries(COUNTS.map(([alias]) => [alias, numberOut(r[alias])])),
      samples: samples.get(key) ?? emptySamples(),
    };
  });
}

/** Met and breached SLA clocks that ENDED (completed) in [from, to), per group. */
export async function slaAggregates(db: Db, filter: KpiFilter): Promise<SlaAggregate[]> {
  const query = db({ s: 'slas' })
    .where('s.completed_at', '>=', isoIn(filter.from))
    .where('s.completed_at', '<', isoIn(filter.to))
    // `|| ''` keeps the planner off the status and process indexes (every clock of a status or process):
    // the period's clocks come from the closed clocks' index, which carries both columns
    .whereRaw("(?? || '') in ('met', 'breached')", ['s.status']);
  // grouped by a case column: the case's values from its narrow index; else only the few practice cases are read
  if (filter.dimension && !filter.buckets?.length) {
    // SQLite without statistics (as svcflow runs it) would take the primary key and then the table row
    if (sqliteDb(db))
      query.joinRaw(`left join case_facts as f indexed by ${DIMENSIONS_INDEX} on f.instance_id = s.instance_id`);
    else query.leftJoin({ f: 'case_facts' }, 'f.instance_id', 's.instance_id');
    query.whereRaw('coalesce(f.practice, 0) = 0');
  } else query.whereNotIn('s.instance_id', practiceCases(db));
  query
    .select(keyOf(db, filter, 's.completed_at').wrap('', ' as k'))
    .select(
      db.raw("sum(case when s.status = 'met' then 1 else 0 end) as met"),
      db.raw("sum(case when s.status = 'breached' then 1 else 0 end) as breached"),
    )
    .groupBy('k');
  if (filter.definitionKey) query.whereRaw("(?? || '') = ?", ['s.definition_key', filter.definitionKey]);
  scoped(db, query, 's.instance_id', filter.scopeGroups);
  const rows: Array<Record<string, unknown>> = await query;
  return rows.map((r) => ({
    key: r.k == null ? null : String(r.k),
    met: numberOut(r.met),
    breached: numberOut(r.breached),
  }));
}

/** Open cases by wall-clock age at `now`, and open SLA clocks: breached, at risk, running. */
export async function backlogFigures(
  db: Db,
  filter: Pick<KpiFilter, 'definitionKey' | 'scopeGroups'>,
  now: string,
): Promise<BacklogFigures> {
  const at = Date.parse(now);
  const ago = (hours: number) => new Date(at - hours * 3_600_000).toISOString();
  const open = db({ f: 'case_facts' })
    .whereNull('f.ended_at')
    .where('f.practice', 0)
    .select(
      db.raw('count(*) as open'),
      db.raw('min(f.started_at) as oldest'),
      db.raw('sum(case when f.started_at > ? then 1 else 0 end) as a', [ago(4)]),
      db.raw('sum(case when f.started_at <= ? and f.started_at > ? then 1 else 0 end) as b', [ago(4), ago(24)]),
      db.raw('sum(case when f.started_at <= ? and f.started_at > ? then 1 else 0 end) as c', [ago(24), ago(72)]),
      db.raw('sum(case when f.started_at <= ? then 1 else 0 end) as d', [ago(72)]),
    );
  if (filter.definitionKey) open.where('f.definition_key', filter.definitionKey);
  scoped(db, open, 'f.instance_id', filter.scopeGroups);
  // the status is tested in the sums, not the filter: a filter on it would send the planner to the index
  // of all clocks by status (every closed breach) instead of the partial index of the open clocks
  const clocks = db({ s: 'slas' })
    .whereNull('s.completed_at')
    .whereNotIn('s.instance_id', practiceCases(db))
    .select(
      db.raw("sum(case when s.status = 'breached' then 1 else 0 end) as breached"),
      db.raw(
        "sum(case when s.status in ('running', 'paused') and s.warned_at is not null then 1 else 0 end) as at_risk",
      ),
      db.raw("sum(case when s.status in ('running', 'paused') then 1 else 0 end) as running"),
    );
  if (filter.definitionKey) clocks.where('s.definition_key', filter.definitionKey);
  scoped(db, clocks, 's.instance_id', filter.scopeGroups);
  const [o, c] = (await Promise.all([open.first(), clocks.first()])) as Array<Record<string, unknown>>;
  return {
    open: numberOut(o.open),
    oldestStartedAt: isoOutOrNull(o.oldest),
    ageing: { under4h: numberOut(o.a), under1d: numberOut(o.b), under3d: numberOut(o.c), over3d: numberOut(o.d) },
    openBreaches: numberOut(c.breached),
    atRisk: numberOut(c.at_risk),
    runningClocks: numberOut(c.running),
  };
}

/** Cases of a process started in [from, to), per group (the complaints of the complaint rate). */
export async function startedCounts(
  db: Db,
  definitionKey: string,
  filter: KpiFilter,
): Promise<Map<string | null, number>> {
  const query = db({ f: 'case_facts' })
    .where('f.definition_key', definitionKey)
    .where('f.practice', 0)
    .where('f.started_at', '>=', isoIn(filter.from))
    .where('f.started_at', '<', isoIn(filter.to))
    .select(keyOf(db, filter, 'f.started_at').wrap('', ' as k'), db.raw('count(*) as n'))
    .groupBy('k');
  scoped(db, query, 'f.instance_id', filter.scopeGroups);
  const rows: Array<Record<string, unknown>> = await query;
  return new Map(rows.map((r) => [r.k == null ? null : String(r.k), numberOut(r.n)]));
}

/** Improvement actions raised in [from, to) and how many of them are closed, per group (time buckets or totals). */
export async function improvementAggregates(db: Db, filter: KpiFilter): Promise<ImprovementAggregate[]> {
  const keyed = { ...filter, dimension: undefined };
  const query = db({ i: 'improvements' })
    .where('i.created_at', '>=', isoIn(filter.from))
    .where('i.created_at', '<', isoIn(filter.to))
    .select(
      keyOf(db, keyed, 'i.created_at').wrap('', ' as k'),
      db.raw('count(*) as raised'),
      db.raw("sum(case when i.stage = 'closed' then 1 else 0 end) as closed"),
    )
    .groupBy('k');
  if (filter.definitionKey) query.where('i.definition_key', filter.definitionKey);
  const rows: Array<Record<string, unknown>> = await query;
  return rows.map((r) => ({
    key: r.k == null ? null : String(r.k),
    raised: numberOut(r.raised),
    closed: numberOut(r.closed),
  }));
}

// helpers

/** case_facts' narrow index of practice flag and grouping values by instance (migration 190). */
const DIMENSIONS_INDEX = 'case_facts_kpi_dimensions';

function sqliteDb(db: Db): boolean {
  return (db as unknown as { client: { dialect: string } }).client.dialect !== 'postgresql';
}

const EMPTY_STATS: DurationStats = { n: 0, mean: null, median: null, p90: null };

// [alias, SQL] over the case_facts alias f; every figure a KPI needs from the ended cases
const COUNTS: Array<[string, string]> = [
  ['ended', 'count(*)'],
  ['completed', "sum(case when f.status = 'completed' then 1 else 0 end)"],
  ['success', 'sum(case when f.success = 1 then 1 else 0 end)'],
  ['fcrN', "sum(case when f.fcr is not null and f.status = 'completed' then 1 else 0 end)"],
  ['fcrYes', "sum(case when f.fcr = 1 and f.status = 'completed' then 1 else 0 end)"],
  ['reopened', "sum(case when f.reopened = 1 and f.status = 'completed' then 1 else 0 end)"],
  ['transferred', "sum(case when f.transferred = 1 and f.status = 'completed' then 1 else 0 end)"],
  ['surveySent', 'sum(f.survey_sent)'],
  ['surveyAnswered', 'sum(case when f.survey_sent = 1 and f.satisfaction is not null then 1 else 0 end)'],
  ['csatN', 'sum(case when f.satisfaction is not null then 1 else 0 end)'],
  ['csatSum', 'sum(coalesce(f.satisfaction, 0))'],
  ['csatSatisfied', 'sum(case when f.satisfaction >= 4 then 1 else 0 end)'],
  ['npsN', 'sum(case when f.nps is not null then 1 else 0 end)'],
  ['npsPromoters', 'sum(case when f.nps >= 9 then 1 else 0 end)'],
  ['npsDetractors', 'sum(case when f.nps <= 6 then 1 else 0 end)'],
  ['visitsN', 'sum(case when f.success = 1 and f.visit_count >= 1 then 1 else 0 end)'],
  ['firstTimeFix', 'sum(case when f.success = 1 and f.visit_count = 1 then 1 else 0 end)'],
  ['onTimeN', 'sum(case when f.on_time is not null then 1 else 0 end)'],
  ['onTimeYes', 'sum(case when f.on_time = 1 then 1 else 0 end)'],
  ['costN', 'sum(case when f.cost is not null then 1 else 0 end)'],
  ['costSum', 'sum(coalesce(f.cost, 0))'],
];

// the case_facts columns COUNTS and DURATIONS read
const CASE_COLUMNS = [
  'status',
  'success',
  'fcr',
  'reopened',
  'transferred',
  'survey_sent',
  'satisfaction',
  'nps',
  'visit_count',
  'on_time',
  'cost',
  ...DURATION_ENTRIES.map(([, column]) => column),
];

function endedCases(db: Db, filter: KpiFilter): Knex.QueryBuilder {
  const query = db({ f: 'case_facts' })
    .where('f.ended_at', '>=', isoIn(filter.from))
    .where('f.ended_at', '<', isoIn(filter.to))
    .where('f.practice', 0);
  if (filter.definitionKey) query.where('f.definition_key', filter.definitionKey);
  scoped(db, query, 'f.instance_id', filter.scopeGroups);
  // the group key as a derived column, so aggregates and window functions share it; only the columns the
  // KPI index carries (migration 190), so the period is an index-only range scan
  return db.from(
    query
      .clone()
      .select(...CASE_COLUMNS.map((c) => `f.${c}`), keyOf(db, filter, 'f.ended_at').wrap('', ' as k'))
      .as('f'),
  );
}

function aggregateOf(
  key: string | null,
  counts: Record<string, number>,
  samples: Record<DurationName, number[]>,
): CaseAggregate {
  const durations = Object.fromEntries(DURATION_ENTRIES.map(([name]) => [name, statsOf(samples[name])]));
  return { key, ...counts, ...durations } as unknown as CaseAggregate;
}

/** mean, nearest-rank median and p90 (ms). */
function statsOf(values: number[]): DurationStats {
  const n = values.length;
  if (n === 0) return EMPTY_STATS;
  const sorted = Float64Array.from(values).sort();
  const mean = sorted.reduce((sum, v) => sum + v, 0) / n;
  return { n, mean: Math.round(mean), median: sorted[Math.ceil(n / 2) - 1], p90: sorted[Math.ceil(0.9 * n) - 1] };
}

function emptySamples(): Record<DurationName, number[]> {
  return { firstResponseMs: [], firstResponseBusinessMs: [], resolutionMs: [], resolutionBusinessMs: [] };
}

/** The group key: the time bucket of `at`, a case column, or one constant group for the totals. */
function keyOf(db: Db, filter: KpiFilter, at: string): Knex.Raw {
  if (filter.buckets && filter.buckets.length > 0) {
    // the buckets are consecutive: inside the period's bounds a row's bucket is found by halving the list,
    // about log2(buckets) comparisons per row instead of two per bucket
    const { buckets } = filter;
    const bindings: unknown[] = [isoIn(buckets[0].from), isoIn(buckets[buckets.length - 1].to)];
    const search = (lo: number, hi: number): string => {
      if (lo === hi) {
        bindings.push(buckets[lo].key);
        return 'cast(? as text)';
      }
      const mid = Math.ceil((lo + hi + 1) / 2);
      bindings.push(isoIn(buckets[mid].from));
      const sql = `(case when ${at} < ? then ${search(lo, mid - 1)} else ${search(mid, hi)} end)`;
      return sql;
    };
    // bindings are pushed in the order their placeholders appear
    const sql = `(case when ${at} >= ? and ${at} < ? then ${search(0, buckets.length - 1)} else null end)`;
    return db.raw(sql, bindings as Knex.RawBinding[]);
  }
  if (filter.dimension) return db.raw(`(${DIMENSIONS[filter.dimension]})`);
  return db.raw("(cast('all' as text))");
}

/** The instances of practice cases (drills): few, read through the practice index. */
export function practiceCases(db: Db): Knex.QueryBuilder {
  return db('case_facts').select('instance_id').where('practice', 1);
}

/** Supervisors: rows of instances holding a task offered to one of their groups. */
function scoped(db: Db, query: Knex.QueryBuilder, instanceColumn: string, groups: string[] | undefined): void {
  if (groups === undefined) return;
  const offered = db('task_candidates')
    .select('task_id')
    .where('kind', 'group')
    .whereIn('value', groups.length > 0 ? groups : ['']);
  query.whereIn(instanceColumn, db('tasks').select('instance_id').whereIn('id', offered));
}
