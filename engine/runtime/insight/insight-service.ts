/**
 * The insight service: keeps one fact row per case through the engine's `settled` hook (inside the
 * step's transaction), and answers KPI queries from those rows and the SLA rows (docs/kpis.md).
 */
import { DateTime } from 'luxon';
import type { CaseFact, InstanceRow, KpiDimension, KpiFilter, StoreTx } from '../../store/index.js';
import { businessTimeBetween } from '../business-calendar.js';
import type { StepScope } from '../effect-executor.js';
import type { Engine } from '../engine.js';
import type { SlaService } from '../sla-service.js';
import { nextFact } from './case-fact.js';
import { ImprovementService } from './improvement-service.js';
import { KriService } from './kri-service.js';
import { heatMapOf, matchesRisk, riskEntryOf, type RiskEntry, type RiskFilter } from './risk-register.js';
import { kpiSet, type KpiSet } from './kpi-report.js';
import { bucketsOf, KPI_ZONE, localDay, MAX_BUCKETS, type PeriodUnit } from './periods.js';
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
}

export const DEFAULT_VOLUME_SERIES = 'service-orders';

const TIME_UNITS: readonly string[] = ['day', 'week', 'month'];

export class InsightService {
  readonly kris: KriService;
  readonly improvements: ImprovementService;

  constructor(private readonly engine: Engine, private readonly sla: SlaService) {
    this.kris = new KriService(engine);
    this.improvements = new ImprovementService(engine);
  }

  /** Hooks the fact writer into every step. */
  attach(): this {
    this.engine.setHooks({ settled: (tx, scope, instance) => this.record(tx, scope, instance) });
    return this;
  }

  /** Writes the case's fact row after a step (same transaction). */
  async record(tx: StoreTx, scope: StepScope, instance: InstanceRow): Promise<void> {
    const previous = await tx.insight.getFact(instance.id);
    const ended = instance.status === 'completed' || instance.status === 'terminated';
    const profile = profileOf(instance.definitionKey);
    const calendar = await this.sla.calendars.get(await this.calendarOf(instance, profile.calendarId, tx), tx).catch(() => null);
    const endElement = ended ? await tx.insight.lastEndEvent(instance.id) : null;
    const processClockMs = instance.status === 'completed' ? await tx.insight.processClockMs(instance.id) : null;
    const fact: CaseFact = nextFact(previous, instance, scope, {
      profile, endElement, processClockMs,
      businessMs: (from, to) => (calendar ? businessTimeBetween(calendar, from, to) : Date.parse(to) - Date.parse(from)),
    });
    await tx.insight.putFact(fact);
  }

  now(): Date {
    return this.engine.clock.now();
  }

  /** The KPIs of a period: totals, groups, open backlog and the process's targets. */
  async kpis(query: KpiQuery): Promise<KpiReport> {
    const { groupBy } = query;
    if (query.definitionKey) await this.ensureProcess(query.definitionKey);
    const base: KpiFilter = { definitionKey: query.definitionKey, from: query.from, to: query.to, scopeGroups: query.scopeGroups };
    const buckets = groupBy && TIME_UNITS.includes(groupBy) ? bucketsOf(query.from, query.to, groupBy as PeriodUnit) : undefined;
    if (buckets && buckets.length > MAX_BUCKETS) throw new RangeError(`more than ${MAX_BUCKETS} buckets`);
    const grouped: KpiFilter | null = groupBy ? { ...base, buckets, dimension: buckets ? undefined : (groupBy as KpiDimension) } : null;
    const volumes = await this.volumeByBucket(query, buckets);
    const [sets, backlog, targets] = await Promise.all([
      this.sets(grouped ?? base, volumes),
      this.engine.store.insight.backlog(base, this.now().toISOString()),
      query.definitionKey ? this.engine.store.insight.targets(query.definitionKey) : Promise.resolve([]),
    ]);
    const groups = buckets
      ? buckets.map((b) => sets.groups.find((g) => g.key === b.key) ?? { key: b.key, kpis: kpiSet({ complaints: 0, volume: volumes.get(b.key) ?? null }) })
      : sets.groups;
    return {
      definitionKey: query.definitionKey ?? null, from: query.from, to: query.to, groupBy: groupBy ?? null,
      totals: sets.totals, groups: grouped ? groups : [], backlog, targets: Object.fromEntries(targets.map((t) => [t.kpi, t.target])),
    };
  }

  /** Adds or replaces daily counts of a volume series. */
  putVolumes(series: string, counts: Array<{ day: string; count: number }>): Promise<void> {
    return this.engine.store.insight.putVolumes(counts.map((c) => ({ series, day: c.day, count: c.count })));
  }

  /** The risk register: risk cases (newest first) that pass the filter, and the heat map of those. */
  async risks(filter: RiskFilter, limit = 5000): Promise<{ items: RiskEntry[]; heatMap: ReturnType<typeof heatMapOf> }> {
    const today = localDay(this.now().toISOString());
    const entries = (await this.engine.store.insight.riskCases(RISK_PROCESS, 'reviewDue', limit)).map((row) => riskEntryOf(row, today));
    const { probability: _p, impact: _i, residual: _r, ...rest } = filter;
    return { items: entries.filter((e) => matchesRisk(e, filter)), heatMap: heatMapOf(entries.filter((e) => matchesRisk(e, rest))) };
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
    await this.engine.store.transaction((tx) => tx.insight.putTargets(definitionKey, Object.entries(targets).map(([kpi, target]) => ({ kpi, target }))));
    return this.targets(definitionKey);
  }

  // helpers

  /** Business durations run on the calendar of the process-level SLA when there is one, else the profile's. */
  private async calendarOf(instance: InstanceRow, fallback: string, tx: StoreTx): Promise<string> {
    const def = await this.engine.definitions.load(instance.definitionId, tx);
    return def.compiled.slas.find((s) => s.elementType === 'process')?.sla.calendar ?? fallback;
  }

  /** One KPI set per group key of the filter, and the totals (every row falls in one group, so totals are the merge). */
  private async sets(filter: KpiFilter, volumes: Map<string, number>): Promise<{ groups: Array<{ key: string | null; kpis: KpiSet }>; totals: KpiSet }> {
    const insight = this.engine.store.insight;
    const [cases, slas, complaints, improvements] = await Promise.all([
      insight.caseAggregates(filter), insight.slaAggregates(filter), insight.startedCounts(COMPLAINT_PROCESS, filter), insight.improvementAggregates(filter),
    ]);
    const keys = new Set<string | null>([...cases.groups.map((c) => c.key), ...slas.map((s) => s.key), ...complaints.keys()]);
    const timeKeyed = !filter.dimension;
    const groups = [...keys].sort(byKey).map((key) => ({
      key,
      kpis: kpiSet({
        cases: cases.groups.find((c) => c.key === key), sla: slas.find((s) => s.key === key), complaints: complaints.get(key) ?? 0,
        // a volume series is per day: it divides time buckets and the totals, not channels or categories
        volume: timeKeyed ? volumes.get(key ?? '') ?? null : null,
        improvements: timeKeyed ? improvements.find((i) => i.key === key) : undefined,
      }),
    }));
    const totals = kpiSet({
      cases: cases.total,
      sla: { key: 'all', met: sum(slas.map((s) => s.met)), breached: sum(slas.map((s) => s.breached)) },
      complaints: sum([...complaints.values()]), volume: volumes.get('all') ?? null,
      improvements: { key: 'all', raised: sum(improvements.map((i) => i.raised)), closed: sum(improvements.map((i) => i.closed)) },
    });
    return { groups, totals };
  }

  /** The volume series summed per bucket key and for the whole period ('all'); a bucket without rows has none. */
  private async volumeByBucket(query: KpiQuery, buckets: ReturnType<typeof bucketsOf> | undefined): Promise<Map<string, number>> {
    const rows = await this.engine.store.insight.volumes(query.volumeSeries ?? DEFAULT_VOLUME_SERIES, localDay(query.from), dayAfterLast(query.to));
    const sums = new Map<string, number>();
    if (rows.length > 0) sums.set('all', rows.reduce((sum, r) => sum + r.count, 0));
    for (const bucket of buckets ?? []) {
      const inBucket = rows.filter((r) => r.day >= localDay(bucket.from) && r.day < dayAfterLast(bucket.to));
      if (inBucket.length > 0) sums.set(bucket.key, inBucket.reduce((sum, r) => sum + r.count, 0));
    }
    return sums;
  }
}

/** Creates the insight service and hooks it into the engine. */
export function attachInsight(engine: Engine, sla: SlaService): InsightService {
  return new InsightService(engine, sla).attach();
}

// helpers

/** The day after the last local day an exclusive end instant covers. */
function dayAfterLast(toIso: string): string {
  return DateTime.fromMillis(Date.parse(toIso) - 1, { zone: KPI_ZONE }).plus({ days: 1 }).toFormat('yyyy-MM-dd');
}

function sum(values: number[]): number {
  return values.reduce((total, v) => total + v, 0);
}

function byKey(a: string | null, b: string | null): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? 1 : -1;
  return a < b ? -1 : a > b ? 1 : 0;
}
