/**
 * The daily KPI roll-up, pure part: what one case fact (and its closed SLA clocks) adds to the rows
 * of kpi_daily, the difference between two versions of a case, and the accumulators that turn
 * rolled-up rows (plus raw edge rows) back into the aggregates kpi-report.ts reads.
 *
 * Every case contributes to one row per dimension ('all', channel, category, …) on its local end day
 * (the ended figures), on its local start day (`started`) and on the local day each SLA clock closed.
 * Practice cases (drills) contribute nothing. Durations are kept as exact count and sum plus a histogram of log buckets 5 % wide, so means are
 * exact and percentiles read from the roll-up are within 2.5 % (docs/kpis.md).
 */
import type {
  CaseAggregate,
  CaseFact,
  DurationStats,
  KpiDimension,
  RollupDelta,
  RollupRow,
} from '../../store/index.js';
import { localDay } from './periods.js';

export const ROLLUP_DIMENSIONS: ReadonlyArray<'all' | KpiDimension> = [
  'all',
  'channel',
  'category',
  'priority',
  'group',
  'assignee',
  'touchPoint',
];

/** The ended-case counters, in the order of CaseAggregate's count fields. */
export const CASE_COUNTERS = [
  'ended',
  'completed',
  'success',
  'fcrN',
  'fcrYes',
  'reopened',
  'transferred',
  'surveySent',
  'surveyAnswered',
  'csatN',
  'csatSum',
  'csatSatisfied',
  'npsN',
  'npsPromoters',
  'npsDetractors',
  'visitsN',
  'firstTimeFix',
  'onTimeN',
  'onTimeYes',
  'costN',
  'costSum',
] as const;
export type CaseCounter = (typeof CASE_COUNTERS)[number];

export const MEASURES = ['firstResponseMs', 'firstResponseBusinessMs', 'resolutionMs', 'resolutionBusinessMs'] as const;
export type Measure = (typeof MEASURES)[number];

const GROWTH = Math.log(1.05);

/** The histogram bucket of a duration: 0 for ≤ 0 ms, else the log-1.05 bucket (1 ms lands in 1). */
export function bucketOf(ms: number): number {
  return ms <= 0 ? 0 : Math.floor(Math.log(ms) / GROWTH) + 1;
}

/** The value a bucket stands for: the geometric middle of its bounds. */
export function bucketValue(bucket: number): number {
  if (bucket <= 0) return 0;
  return Math.round(Math.exp((bucket - 0.5) * GROWTH));
}

/** One SLA clock that closed met or breached. */
export interface ClosedClock {
  id: string;
  definitionKey: string;
  status: 'met' | 'breached';
  completedAt: string;
}

/**
 * The roll-up rows one case contributes: ended figures, its start, and its closed SLA clocks. With `into`,
 * the figures are added to the rows held there (a rebuild folds every case into one map) and [] is returned.
 */
export function contributionOf(
  fact: CaseFact | null,
  clocks: ClosedClock[],
  zone: string,
  into?: Map<string, RollupDelta>,
): RollupDelta[] {
  // practice cases (drills) count in no service KPI, so they add nothing to the roll-up
  if (!fact || fact.practice) return [];
  const out = into ?? new Map<string, RollupDelta>();
  const values = dimensionValues(fact);
  const add = (day: string, definitionKey: string, change: (d: RollupDelta) => void) => {
    for (const dim of ROLLUP_DIMENSIONS) {
      const value = values[dim];
      const key = `${day}|${definitionKey}|${dim}|${value}`;
      let delta = out.get(key);
      if (!delta) out.set(key, (delta = { day, definitionKey, dim, value, counts: {}, hist: {} }));
      change(delta);
    }
  };
  add(dayOf(fact.startedAt, zone), fact.definitionKey, (d) => inc(d.counts, 'started', 1));
  if (fact.endedAt) {
    const counts = caseCounts(fact);
    add(dayOf(fact.endedAt, zone), fact.definitionKey, (d) => {
      for (const [name, n] of Object.entries(counts)) inc(d.counts, name, n);
      for (const measure of MEASURES) {
        const ms = fact[measure];
        if (ms == null) continue;
        inc(d.counts, `${measure}N`, 1);
        inc(d.counts, `${measure}Sum`, ms);
        const hist = (d.hist[measure] ??= {});
        inc(hist, String(bucketOf(ms)), 1);
      }
    });
  }
  for (const clock of clocks) {
    add(dayOf(clock.completedAt, zone), clock.definitionKey, (d) =>
      inc(d.counts, clock.status === 'met' ? 'slaMet' : 'slaBreached', 1),
    );
  }
  return into ? [] : [...out.values()];
}

/** after − before, row by row; rows whose change is all zero are left out. */
export function differenceOf(before: RollupDelta[], after: RollupDelta[]): RollupDelta[] {
  const out = new Map<string, RollupDelta>();
  const apply = (rows: RollupDelta[], sign: 1 | -1) => {
    for (const row of rows) {
      const key = `${row.day}|${row.definitionKey}|${row.dim}|${row.value}`;
      let delta = out.get(key);
      if (!delta)
        out.set(
          key,
          (delta = {
            day: row.day,
            definitionKey: row.definitionKey,
            dim: row.dim,
            value: row.value,
            counts: {},
            hist: {},
          }),
        );
      for (const [name, n] of Object.entries(row.counts)) inc(delta.counts, name, sign * n);
      for (const [measure, buckets] of Object.entries(row.hist)) {
        const hist = (delta.hist[measure] ??= {});
        for (const [bucket, n] of Object.entries(buckets)) inc(hist, bucket, sign * n);
      }
    }
  };
  apply(before, -1);
  apply(after, 1);
  const changed: RollupDelta[] = [];
  for (const delta of out.values()) {
    for (const [name, n] of Object.entries(delta.counts)) if (n === 0) delete delta.counts[name];
    for (const [measure, buckets] of Object.entries(delta.hist)) {
      for (const [bucket, n] of Object.entries(buckets)) if (n === 0) delete buckets[bucket];
      if (Object.keys(buckets).length === 0) delete delta.hist[measure];
    }
    if (Object.keys(delta.counts).length > 0 || Object.keys(delta.hist).length > 0) changed.push(delta);
  }
  return changed;
}

/** Sums rolled-up rows and raw rows of one group, then reads them as a CaseAggregate. */
export class GroupAccumulator {
  readonly counts: Record<string, number> = {};
  readonly hist: Record<string, Map<number, number>> = {};
  /** Raw duration samples (edge rows outside whole days) go into the histograms too. */
  constructor(readonly key: string | null) {}

  addRow(row: RollupRow | RollupDelta): void {
    for (const [name, n] of Object.entries(row.counts)) inc(this.counts, name, n);
    for (const [measure, buckets] of Object.entries(row.hist)) {
      const hist = (this.hist[measure] ??= new Map());
      for (const [bucket, n] of Object.entries(buckets)) hist.set(Number(bucket), (hist.get(Number(bucket)) ?? 0) + n);
    }
  }

  /** Adds a raw aggregate (counts) and its raw duration samples. */
  addRaw(counts: Record<string, number>, samples: Record<Measure, number[]>): void {
    for (const name of CASE_COUNTERS) inc(this.counts, name, counts[name] ?? 0);
    for (const measure of MEASURES) {
      const hist = (this.hist[measure] ??= new Map());
      for (const ms of samples[measure]) {
        inc(this.counts, `${measure}N`, 1);
        inc(this.counts, `${measure}Sum`, ms);
        const bucket = bucketOf(ms);
        hist.set(bucket, (hist.get(bucket) ?? 0) + 1);
      }
    }
  }

  count(name: string): number {
    return this.counts[name] ?? 0;
  }

  aggregate(): CaseAggregate {
    const counts = Object.fromEntries(CASE_COUNTERS.map((name) => [name, this.count(name)])) as Record<
      CaseCounter,
      number
    >;
    const durations = Object.fromEntries(
      MEASURES.map((m) => [m, statsOf(this.count(`${m}N`), this.count(`${m}Sum`), this.hist[m])]),
    ) as Record<Measure, DurationStats>;
    return { key: this.key, ...counts, ...durations };
  }
}

// helpers

// Local days of instants, memoised by the minute (time zones shift by whole minutes): a rebuild reads
// three instants per case, and the zone arithmetic is the slow part.
const DAYS = new Map<string, string>();

function dayOf(iso: string, zone: string): string {
  const minute = `${zone}|${iso.slice(0, 16)}`;
  let day = DAYS.get(minute);
  if (day === undefined) {
    if (DAYS.size > 200_000) DAYS.clear();
    day = localDay(iso, zone);
    DAYS.set(minute, day);
  }
  return day;
}

function dimensionValues(fact: CaseFact): Record<'all' | KpiDimension, string> {
  return {
    all: '',
    channel: fact.channel ?? '',
    category: fact.category ?? '',
    priority: fact.priority ?? '',
    group: fact.group ?? '',
    assignee: fact.assignee ?? '',
    touchPoint: fact.touchPoint ?? '',
  };
}

/** The same counters kpi-queries.ts sums in SQL, for one ended case. */
function caseCounts(f: CaseFact): Record<CaseCounter, number> {
  const completed = f.status === 'completed';
  const b = (v: boolean) => (v ? 1 : 0);
  return {
    ended: 1,
    completed: b(completed),
    success: b(f.success === true),
    fcrN: b(f.firstContactResolution !== null && completed),
    fcrYes: b(f.firstContactResolution === true && completed),
    reopened: b(f.reopened && completed),
    transferred: b(f.transferred && completed),
    surveySent: b(f.surveySent),
    surveyAnswered: b(f.surveySent && f.satisfaction !== null),
    csatN: b(f.satisfaction !== null),
    csatSum: f.satisfaction ?? 0,
    csatSatisfied: b(f.satisfaction !== null && f.satisfaction >= 4),
    npsN: b(f.nps !== null),
    npsPromoters: b(f.nps !== null && f.nps >= 9),
    npsDetractors: b(f.nps !== null && f.nps <= 6),
    visitsN: b(f.success === true && f.visitCount !== null && f.visitCount >= 1),
    firstTimeFix: b(f.success === true && f.visitCount === 1),
    onTimeN: b(f.onTime !== null),
    onTimeYes: b(f.onTime === true),
    costN: b(f.cost !== null),
    costSum: f.cost ?? 0,
  };
}

/** Mean from the exact sum; nearest-rank median and p90 from the histogram. */
function statsOf(n: number, sum: number, hist: Map<number, number> | undefined): DurationStats {
  if (n <= 0 || !hist) return { n: 0, mean: null, median: null, p90: null };
  const buckets = [...hist.entries()].filter(([, c]) => c > 0).sort((a, b) => a[0] - b[0]);
  const rank = (q: number) => {
    const target = Math.ceil(q * n);
    let seen = 0;
    for (const [bucket, c] of buckets) {
      seen += c;
      if (seen >= target) return bucketValue(bucket);
    }
    return bucketValue(buckets[buckets.length - 1][0]);
  };
  return { n, mean: Math.round(sum / n), median: rank(0.5), p90: rank(0.9) };
}

function inc(record: Record<string, number>, key: string, n: number): void {
  record[key] = (record[key] ?? 0) + n;
}
