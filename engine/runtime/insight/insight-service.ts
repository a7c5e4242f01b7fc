/**
 * The insight service: keeps one fact row per case through the engine's `settled` hook (inside the
 * step's transaction), and answers KPI queries from those rows and the SLA rows (docs/kpis.md).
 */
import { DateTime } from 'luxon';
import type {
  CaseFact,
  InstanceRow,
  KpiDimension,
  KpiFilter,
  RolledClock,
  RollupDelta,
  RollupRow,
  StoreTx,
} from '../../store/index.js';
import { businessTimeBetween } from '../calendar/business-calendar.js';
import type { StepScope } from '../step/effect-executor.js';
import type { Engine } from '../engine.js';
import type { SlaService } from '../sla/sla-service.js';
import { nextFact } from './case-fact.js';
import { EmergencyService } from './emergency-service.js';
import { ImprovementService } from './improvement-service.js';
import { KriService } from './kri-service.js';
import { heatMapOf, matchesRisk, riskEntryOf, type RiskEntry, type RiskFilter } from './risk-register.js';
import { kpiSet, type KpiSet } from './kpi-report.js';
import { elementPerformance, type ElementPerformance } from './element-stats.js';
import { contributionOf, differenceOf, GroupAccumulator } from './rollup.js';
import { bucketsOf, localDay, MAX_BUCKETS, type PeriodUnit } from './periods.js';
import { COMPLAINT_PROCESS, profileOf, RISK_PROCESS } from './profiles.js';

export type KpiGroupBy = PeriodUnit | KpiDimension;

export interface KpiQuery {
  definitionKey?: string;
  from: string;
  to: string;
  groupBy?: KpiGroupBy;
  /** The volume series complaint rates divide by (default `service-orders`). */
  volumeSeries?: string;
  scopeGroups?: string[];
}

export interface KpiReport {
  definitionKey: string | null;
  from: string;
  to: string;
  groupBy: KpiGroupBy | null;
  totals: KpiSet;
  groups: Array<{ key: string | null; kpis: KpiSet }>;
  backlog: Awaited<ReturnType<StoreTx['insight']['backlog']>>;
  targets: Record<string, number>;
  /** True when the figures were read from the daily roll-up: percentiles then come from 5 % histogram buckets. */
  fromRollup: boolean;
}

export interface InsightOptions {
  /** A period with more ended cases than this is answered from the daily roll-up (default 20,000). */
  exactLimit?: number;
}

export const DEFAULT_VOLUME_SERIES = 'service-orders';

const TIME_UNITS: readonly string[] = ['day', 'week', 'month'];
const DEFAULT_EXACT_LIMIT = 20_000;
const ROLLUP_BUILT = 'built';
const REBUILD_PAGE = 2000;
/** The overlay reads the history of at most this many cases (the newest of the period). */
const ELEMENT_SAMPLE = 5000;

export class InsightService {
  readonly kris: KriService;
  readonly improvements: ImprovementService;
  readonly emergency: EmergencyService;

  private readonly exactLimit: number;
  private rollupReady: Promise<void> | null = null;

  constructor(
    private readonly engine: Engine,
    private readonly sla: SlaService,
    options: InsightOptions = {},
  ) {
    this.exactLimit = options.exactLimit ?? DEFAULT_EXACT_LIMIT;
    this.kris = new KriService(engine);
    this.improvements = new ImprovementService(engine);
    this.emergency = new EmergencyService(engine);
  }

  /** Hooks the fact writer into every step. */
  attach(): this {
    this.engine.extend({ settled: (run, instance) => this.record(run.tx, run.scope, instance) });
    return this;
  }

  /** Writes the case's fact row after a step (same transaction). */
  async record(tx: StoreTx, scope: StepScope, instance: InstanceRow): Promise<void> {
    const previous = await tx.insight.getFact(instance.id);
    const ended = instance.status === 'completed' || instance.status === 'terminated';
    const profile = profileOf(instance.definitionKey);
    const calendar = await this.sla.calendars
      .get(await this.calendarOf(instance, profile.calendarId, tx), tx)
      .catch(() => null);
    const endElement = ended ? await tx.insight.lastEndEvent(instance.id) : null;
    const processClockMs = instance.status === 'completed' ? await tx.insight.processClockMs(instance.id) : null;
    const fact: CaseFact = nextFact(previous, instance, scope, {
      profile,
      fields: this.engine.config.caseFields,
      endElement,
      processClockMs,
      businessMs: (from, to) =>
        calendar ? businessTimeBetween(calendar, from, to) : Date.parse(to) - Date.parse(from),
    });
    await tx.insight.putFact(fact);
    // the daily roll-up moves by the difference between the case's old and new contribution
    const clocksBefore = previous ? await tx.insight.rolledClocks(instance.id) : [];
    const clocksNow = await tx.insight.closedClocks(instance.id);
    const deltas = differenceOf(
      contributionOf(previous, clocksBefore, this.zone),
      contributionOf(fact, clocksNow, this.zone),
    );
    if (deltas.length > 0) await tx.insight.applyRollup(deltas);
    if (!sameClocks(clocksBefore, clocksNow)) await tx.insight.setRolledClocks(instance.id, clocksNow);
  }

  /** Builds the roll-up from case_facts and slas once (a database that predates it); later steps keep it. */
  ensureRollup(): Promise<void> {
    this.rollupReady ??= (async () => {
      if ((await this.engine.store.insight.rollupState(ROLLUP_BUILT)) === null) await this.rebuildRollup();
    })().catch((error: unknown) => {
      this.rollupReady = null;
      throw error;
    });
    return this.rollupReady;
  }

  /** Recomputes the whole roll-up in one transaction; returns the number of cases read. */
  async rebuildRollup(): Promise<number> {
    return this.engine.store.transaction(async (tx) => {
      await tx.insight.clearRollup();
      const rows = new Map<string, RollupDelta>();
      let after: string | null = null;
      let cases = 0;
      for (;;) {
        const page = await tx.insight.factsWithClocks(after, REBUILD_PAGE);
        if (page.length === 0) break;
        const clocks: Array<{ instanceId: string; clock: RolledClock }> = [];
        for (const { fact, clocks: own } of page) {
          contributionOf(fact, own, this.zone, rows);
          for (const clock of own) clocks.push({ instanceId: fact.instanceId, clock });
        }
        await tx.insight.insertRollup([], clocks);
        cases += page.length;
        after = page[page.length - 1].fact.instanceId;
      }
      await tx.insight.insertRollup([...rows.values()], []);
      await tx.insight.setRollupState(ROLLUP_BUILT, this.now().toISOString());
      return cases;
    });
  }

  now(): Date {
    return this.engine.clock.now();
  }

  /** The zone KPI days, weeks and months are counted in: the installation's (EngineConfig.zone). */
  get zone(): string {
    return this.engine.config.zone;
  }

  /** The KPIs of a period: totals, groups, open backlog and the process's targets. */
  async kpis(query: KpiQuery): Promise<KpiReport> {
    const { groupBy } = query;
    if (query.definitionKey) await this.ensureProcess(query.definitionKey);
    const base: KpiFilter = {
      definitionKey: query.definitionKey,
      from: query.from,
      to: query.to,
      scopeGroups: query.scopeGroups,
    };
    const buckets =
      groupBy && TIME_UNITS.includes(groupBy)
        ? bucketsOf(query.from, query.to, groupBy as PeriodUnit, this.zone)
        : undefined;
    if (buckets && buckets.length > MAX_BUCKETS) throw new RangeError(`more than ${MAX_BUCKETS} buckets`);
    const grouped: KpiFilter | null = groupBy
      ? { ...base, buckets, dimension: buckets ? undefined : (groupBy as KpiDimension) }
      : null;
    const volumes = await this.volumeByBucket(query, buckets);
    const rolled = query.scopeGroups === undefined ? await this.rolledSets(grouped ?? base, volumes) : null;
    const [sets, backlog, targets] = await Promise.all([
      rolled ?? this.sets(grouped ?? base, volumes),
      this.engine.store.insight.backlog(base, this.now().toISOString()),
      query.definitionKey ? this.engine.store.insight.targets(query.definitionKey) : Promise.resolve([]),
    ]);
    const groups = buckets
      ? buckets.map(
          (b) =>
            sets.groups.find((g) => g.key === b.key) ?? {
              key: b.key,
              kpis: kpiSet({ complaints: 0, volume: volumes.get(b.key) ?? null }),
            },
        )
      : sets.groups;
    return {
      definitionKey: query.definitionKey ?? null,
      from: query.from,
      to: query.to,
      groupBy: groupBy ?? null,
      totals: sets.totals,
      groups: grouped ? groups : [],
      backlog,
      targets: Object.fromEntries(targets.map((t) => [t.kpi, t.target])),
      fromRollup: rolled !== null,
    };
  }

  /** The performance overlay of one process over the cases started in [from, to) (the newest `limit` of them). */
  async elementPerformance(
    definitionKey: string,
    from: string,
    to: string,
    scopeGroups?: string[],
    limit = ELEMENT_SAMPLE,
  ): Promise<ElementPerformance> {
    await this.ensureProcess(definitionKey);
    const { cases, events, clocks } = await this.engine.store.insight.elementHistory(
      definitionKey,
      from,
      to,
      limit,
      scopeGroups,
    );
    return elementPerformance(events, clocks, cases, cases > limit, this.now().toISOString());
  }

  /** Adds or replaces daily counts of a volume series. */
  putVolumes(series: string, counts: Array<{ day: string; count: number }>): Promise<void> {
    return this.engine.store.insight.putVolumes(counts.map((c) => ({ series, day: c.day, count: c.count })));
  }

  /** The risk register: risk cases (newest first) that pass the filter, and the heat map of those but drills. */
  async risks(
    filter: RiskFilter,
    limit = 5000,
  ): Promise<{ items: RiskEntry[]; heatMap: ReturnType<typeof heatMapOf> }> {
    const today = localDay(this.now().toISOString(), this.zone);
    const entries = (await this.engine.store.insight.riskCases(RISK_PROCESS, 'reviewDue', limit)).map((row) =>
      riskEntryOf(row, today),
    );
    const { probability: _p, impact: _i, residual: _r, ...rest } = filter;
    return {
      items: entries.filter((e) => matchesRisk(e, filter)),
      // the matrix counts real risks: a drill is a practice case, listed (flagged) but never counted
      heatMap: heatMapOf(entries.filter((e) => !e.drill && matchesRisk(e, rest))),
    };
  }

  /** Throws DefinitionNotFoundError unless a process with this key is deployed. */
  async ensureProcess(definitionKey: string): Promise<void> {
    await this.engine.definitions.latest(definitionKey);
  }

  /** A process's KPI targets by KPI name. */
  async targets(definitionKey: string): Promise<Record<string, number>> {
    await this.ensureProcess(definitionKey);
    return Object.fromEntries((await this.engine.store.insight.targets(definitionKey)).map((t) => [t.kpi, t.target]));
  }

  /** Sets (or with null removes) a process's targets; returns them all. */
  async putTargets(definitionKey: string, targets: Record<string, number | null>): Promise<Record<string, number>> {
    await this.ensureProcess(definitionKey);
    await this.engine.store.transaction((tx) =>
      tx.insight.putTargets(
        definitionKey,
        Object.entries(targets).map(([kpi, target]) => ({ kpi, target })),
      ),
    );
    return this.targets(definitionKey);
  }

  // helpers

  /** Business durations run on the calendar of the process-level SLA when there is one, else the profile's. */
  private async calendarOf(instance: InstanceRow, fallback: string, tx: StoreTx): Promise<string> {
    const def = await this.engine.definitions.load(instance.definitionId, tx);
    return def.compiled.slas.find((s) => s.elementType === 'process')?.sla.calendar ?? fallback;
  }

  /** One KPI set per group key of the filter, and the totals (every row falls in one group, so totals are the merge). */
  private async sets(
    filter: KpiFilter,
    volumes: Map<string, number>,
  ): Promise<{ groups: Array<{ key: string | null; kpis: KpiSet }>; totals: KpiSet }> {
    const insight = this.engine.store.insight;
    const [cases, slas, complaints, improvements] = await Promise.all([
      insight.caseAggregates(filter),
      insight.slaAggregates(filter),
      insight.startedCounts(COMPLAINT_PROCESS, filter),
      insight.improvementAggregates(filter),
    ]);
    const keys = new Set<string | null>([
      ...cases.groups.map((c) => c.key),
      ...slas.map((s) => s.key),
      ...complaints.keys(),
    ]);
    const timeKeyed = !filter.dimension;
    const groups = [...keys].sort(byKey).map((key) => ({
      key,
      kpis: kpiSet({
        cases: cases.groups.find((c) => c.key === key),
        sla: slas.find((s) => s.key === key),
        complaints: complaints.get(key) ?? 0,
        // a volume series is per day: it divides time buckets and the totals, not channels or categories
        volume: timeKeyed ? (volumes.get(key ?? '') ?? null) : null,
        improvements: timeKeyed ? improvements.find((i) => i.key === key) : undefined,
      }),
    }));
    const totals = kpiSet({
      cases: cases.total,
      sla: { key: 'all', met: sum(slas.map((s) => s.met)), breached: sum(slas.map((s) => s.breached)) },
      complaints: sum([...complaints.values()]),
      volume: volumes.get('all') ?? null,
      improvements: {
        key: 'all',
        raised: sum(improvements.map((i) => i.raised)),
        closed: sum(improvements.map((i) => i.closed)),
      },
    });
    return { groups, totals };
  }

  /**
   * The KPI sets from the daily roll-up over the whole local days of the period, plus raw rows for the
   * partial days at its edges; null when the period has no whole day or few enough cases to rank exactly.
   * Scoped (supervisor) queries never come here: the roll-up does not know which groups a case was offered to.
   */
  private async rolledSets(
    filter: KpiFilter,
    volumes: Map<string, number>,
  ): Promise<{ groups: Array<{ key: string | null; kpis: KpiSet }>; totals: KpiSet } | null> {
    const window = wholeDays(filter.from, filter.to, this.zone);
    if (!window) return null;
    await this.ensureRollup();
    const insight = this.engine.store.insight;
    const definitionKeys = filter.definitionKey ? [...new Set([filter.definitionKey, COMPLAINT_PROCESS])] : undefined;
    const bucketDays = (filter.buckets ?? []).map((b) => ({
      key: b.key,
      fromDay: localDay(b.from, this.zone),
      toDay: dayAfterLast(b.to, this.zone),
    }));
    // whole months are read from the monthly level unless a boundary between time buckets (day, week)
    // falls inside one; a month row is dated its first day, so it lands in the bucket holding the month
    const inner = bucketDays.flatMap((b, i) => [
      ...(i > 0 ? [b.fromDay] : []),
      ...(i < bucketDays.length - 1 ? [b.toDay] : []),
    ]);
    const months = inner.every((day) => day.endsWith('-01'));
    const allRows = await insight.rollupRows({
      dim: 'all',
      fromDay: window.fromDay,
      toDay: window.toDay,
      definitionKeys,
      months,
    });
    const own = (row: RollupRow) => !filter.definitionKey || row.definitionKey === filter.definitionKey;
    const ended = allRows.filter(own).reduce((n, row) => n + (row.counts.ended ?? 0), 0);
    if (ended <= this.exactLimit) return null;
    const dimRows = filter.dimension
      ? await insight.rollupRows({
          dim: filter.dimension,
          fromDay: window.fromDay,
          toDay: window.toDay,
          definitionKeys,
          months,
        })
      : allRows;
    const keyOfRow = (row: RollupRow): string | null => {
      if (filter.buckets) return bucketDays.find((b) => b.fromDay <= row.day && row.day < b.toDay)?.key ?? null;
      if (filter.dimension) return row.value === '' ? null : row.value;
      return 'all';
    };
    const groups = new Map<string | null, { cases: GroupAccumulator; complaints: number }>();
    const groupOf = (key: string | null) => {
      let g = groups.get(key);
      if (!g) groups.set(key, (g = { cases: new GroupAccumulator(key), complaints: 0 }));
      return g;
    };
    const total = { cases: new GroupAccumulator('all'), complaints: 0 };
    for (const row of dimRows) {
      const g = groupOf(keyOfRow(row));
      if (own(row)) g.cases.addRow(row);
      if (row.definitionKey === COMPLAINT_PROCESS) g.complaints += row.counts.started ?? 0;
    }
    for (const row of allRows) {
      if (own(row)) total.cases.addRow(row);
      if (row.definitionKey === COMPLAINT_PROCESS) total.complaints += row.counts.started ?? 0;
    }
    // the partial days at the edges, from the raw rows
    for (const edge of [
      { from: filter.from, to: window.fromIso },
      { from: window.toIso, to: filter.to },
    ]) {
      if (Date.parse(edge.from) >= Date.parse(edge.to)) continue;
      const part: KpiFilter = { ...filter, ...edge };
      const [cases, slas, complaints] = await Promise.all([
        insight.caseSamples(part),
        insight.slaAggregates(part),
        insight.startedCounts(COMPLAINT_PROCESS, part),
      ]);
      for (const c of cases) {
        groupOf(c.key).cases.addRaw(c.counts, c.samples);
        total.cases.addRaw(c.counts, c.samples);
      }
      for (const s of slas) {
        for (const acc of [groupOf(s.key).cases, total.cases])
          acc.addRow({
            day: '',
            definitionKey: '',
            dim: '',
            value: '',
            counts: { slaMet: s.met, slaBreached: s.breached },
            hist: {},
          });
      }
      for (const [key, n] of complaints) {
        groupOf(key).complaints += n;
        total.complaints += n;
      }
    }
    const improvements = await insight.improvementAggregates(filter);
    const timeKeyed = !filter.dimension;
    const setOf = (acc: GroupAccumulator, complaints: number, key: string | null, isTotal: boolean) =>
      kpiSet({
        cases: acc.aggregate(),
        sla: { key, met: acc.count('slaMet'), breached: acc.count('slaBreached') },
        complaints,
        volume: isTotal ? (volumes.get('all') ?? null) : timeKeyed ? (volumes.get(key ?? '') ?? null) : null,
        improvements: isTotal
          ? {
              key: 'all',
              raised: sum(improvements.map((i) => i.raised)),
              closed: sum(improvements.map((i) => i.closed)),
            }
          : timeKeyed
            ? improvements.find((i) => i.key === key)
            : undefined,
      });
    const keys = [...groups.keys()].filter((key) => {
      const g = groups.get(key)!;
      return (
        g.cases.count('ended') > 0 || g.cases.count('slaMet') + g.cases.count('slaBreached') > 0 || g.complaints > 0
      );
    });
    return {
      groups: keys
        .sort(byKey)
        .map((key) => ({ key, kpis: setOf(groups.get(key)!.cases, groups.get(key)!.complaints, key, false) })),
      totals: setOf(total.cases, total.complaints, 'all', true),
    };
  }

  /** The volume series summed per bucket key and for the whole period ('all'); a bucket without rows has none. */
  private async volumeByBucket(
    query: KpiQuery,
    buckets: ReturnType<typeof bucketsOf> | undefined,
  ): Promise<Map<string, number>> {
    const rows = await this.engine.store.insight.volumes(
      query.volumeSeries ?? DEFAULT_VOLUME_SERIES,
      localDay(query.from, this.zone),
      dayAfterLast(query.to, this.zone),
    );
    const sums = new Map<string, number>();
    if (rows.length > 0)
      sums.set(
        'all',
        rows.reduce((sum, r) => sum + r.count, 0),
      );
    for (const bucket of buckets ?? []) {
      const inBucket = rows.filter(
        (r) => r.day >= localDay(bucket.from, this.zone) && r.day < dayAfterLast(bucket.to, this.zone),
      );
      if (inBucket.length > 0)
        sums.set(
          bucket.key,
          inBucket.reduce((sum, r) => sum + r.count, 0),
        );
    }
    return sums;
  }
}

/** Creates the insight service and hooks it into the engine. */
export function attachInsight(engine: Engine, sla: SlaService, options: InsightOptions = {}): InsightService {
  return new InsightService(engine, sla, options).attach();
}

// helpers

/** The day after the last local day an exclusive end instant covers. */
function dayAfterLast(toIso: string, zone: string): string {
  return DateTime.fromMillis(Date.parse(toIso) - 1, { zone })
    .plus({ days: 1 })
    .toFormat('yyyy-MM-dd');
}

/** The whole local days inside [from, to): their first day, the day after the last, and the instants they span. */
function wholeDays(
  fromIso: string,
  toIso: string,
  zone: string,
): { fromDay: string; toDay: string; fromIso: string; toIso: string } | null {
  const from = DateTime.fromISO(fromIso, { zone });
  const first = from.equals(from.startOf('day')) ? from : from.startOf('day').plus({ days: 1 });
  const last = DateTime.fromISO(toIso, { zone }).startOf('day');
  if (first >= last) return null;
  return {
    fromDay: first.toFormat('yyyy-MM-dd'),
    toDay: last.toFormat('yyyy-MM-dd'),
    fromIso: first.toUTC().toISO()!,
    toIso: last.toUTC().toISO()!,
  };
}

function sameClocks(a: RolledClock[], b: RolledClock[]): boolean {
  const text = (clocks: RolledClock[]) =>
    clocks
      .map((c) => `${c.id}|${c.status}|${c.completedAt}|${c.definitionKey}`)
      .sort()
      .join(',');
  return a.length === b.length && text(a) === text(b);
}

function sum(values: number[]): number {
  return values.reduce((total, v) => total + v, 0);
}

function byKey(a: string | null, b: string | null): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? 1 : -1;
  return a < b ? -1 : a > b ? 1 : 0;
}
