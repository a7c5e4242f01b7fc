/** The insight repository: case facts, KPI aggregates, volumes, targets, KRIs, improvements and the risk register's rows. */
import type { Knex } from 'knex';
import type {
  BacklogFigures,
  CaseAggregate,
  CaseFact,
  ImprovementAggregate,
  ImprovementRow,
  ImprovementStage,
  KpiFilter,
  KpiTargetRow,
  KriReadingRow,
  KriRow,
  RiskCaseRow,
  RolledClock,
  RollupDelta,
  RollupRow,
  SlaAggregate,
  VolumeRow,
} from './insight-types.js';
import { reportScheduleRepository, type ReportScheduleRepository } from './report-schedules.js';
import { emergencyPlanRepository, type EmergencyPlanRepository } from './emergency-plans.js';
import {
  applyRollup,
  clearRollup,
  elementHistory,
  closedClocks,
  factsWithClocks,
  insertRollup,
  rolledClocks,
  monthlyRows,
  rollupRows,
  rollupState,
  setRolledClocks,
  setRollupState,
} from './kpi-rollup.js';
import { getFact, lastEndEvent, putFact } from './case-facts.js';
import {
  backlogFigures,
  caseAggregates,
  caseSamples,
  type CaseSamples,
  improvementAggregates,
  slaAggregates,
  startedCounts,
} from './kpi-queries.js';
import { type Db, type Dialect, isoIn, isoInOrNull, isoOut, isoOutOrNull, jsonOut, numberOut } from './columns.js';

export interface InsightRepository extends ReportScheduleRepository, EmergencyPlanRepository {
  putFact(fact: CaseFact): Promise<void>;
  getFact(instanceId: string): Promise<CaseFact | null>;
  lastEndEvent(instanceId: string): Promise<string | null>;
  /** The business duration of the instance's closed process-level SLA clock, if any. */
  processClockMs(instanceId: string): Promise<number | null>;
  /** Per group, and the total over the groups. */
  caseAggregates(filter: KpiFilter): Promise<{ groups: CaseAggregate[]; total: CaseAggregate }>;
  /** Per group: the summed counters and every duration sample (for merging with the roll-up). */
  caseSamples(filter: KpiFilter): Promise<CaseSamples[]>;
  slaAggregates(filter: KpiFilter): Promise<SlaAggregate[]>;
  backlog(filter: Pick<KpiFilter, 'definitionKey' | 'scopeGroups'>, now: string): Promise<BacklogFigures>;
  startedCounts(definitionKey: string, filter: KpiFilter): Promise<Map<string | null, number>>;
  improvementAggregates(filter: KpiFilter): Promise<ImprovementAggregate[]>;
  /** Adds or replaces daily counts of a series. */
  putVolumes(rows: VolumeRow[]): Promise<void>;
  /** A series' daily counts with fromDay ≤ day < toDay (yyyy-MM-dd). */
  volumes(series: string, fromDay: string, toDay: string): Promise<VolumeRow[]>;
  targets(definitionKey: string): Promise<KpiTargetRow[]>;
  putTargets(definitionKey: string, targets: Array<{ kpi: string; target: number | null }>): Promise<void>;
  insertKri(row: KriRow): Promise<void>;
  /** With `lock`, the row stays locked until the transaction ends (FOR UPDATE on PostgreSQL; SQLite transactions are serial). */
  getKri(id: string, options?: { lock?: boolean }): Promise<KriRow | null>;
  listKris(): Promise<KriRow[]>;
  updateKri(id: string, patch: Pick<KriRow, 'level' | 'lastValue' | 'lastAt'>): Promise<void>;
  insertReading(row: KriReadingRow): Promise<void>;
  readings(kriId: string, limit: number): Promise<KriReadingRow[]>;
  insertImprovement(row: ImprovementRow): Promise<void>;
  getImprovement(id: string): Promise<ImprovementRow | null>;
  updateImprovement(
    id: string,
    patch: Partial<Pick<ImprovementRow, 'stage' | 'effectCheck' | 'effective' | 'closedAt' | 'owner' | 'due'>>,
  ): Promise<void>;
  listImprovements(filter: {
    stage?: ImprovementStage;
    sourceRef?: string;
    owner?: string;
    limit: number;
    offset: number;
  }): Promise<{ items: ImprovementRow[]; total: number }>;
  /** Daily roll-up: add deltas to their rows. */
  applyRollup(deltas: RollupDelta[]): Promise<void>;
  /** Roll-up rows of a day range; with `months`, whole months come from the monthly level (one row each). */
  rollupRows(filter: {
    dim: string;
    fromDay: string;
    toDay: string;
    definitionKeys?: string[];
    months?: boolean;
  }): Promise<RollupRow[]>;
  /** The monthly level's rows (day = the month's first day). */
  monthlyRows(filter: {
    dim: string;
    fromMonth: string;
    toMonth: string;
    definitionKeys?: string[];
  }): Promise<RollupRow[]>;
  /** The instance's SLA clocks closed met or breached, and those the roll-up counts. */
  closedClocks(instanceId: string): Promise<RolledClock[]>;
  rolledClocks(instanceId: string): Promise<RolledClock[]>;
  setRolledClocks(instanceId: string, clocks: RolledClock[]): Promise<void>;
  rollupState(name: string): Promise<string | null>;
  setRollupState(name: string, value: string): Promise<void>;
  factsWithClocks(afterId: string | null, limit: number): Promise<Array<{ fact: CaseFact; clocks: RolledClock[] }>>;
  clearRollup(): Promise<void>;
  insertRollup(rows: RollupRow[], clocks: Array<{ instanceId: string; clock: RolledClock }>): Promise<void>;
  elementHistory(
    definitionKey: string,
    from: string,
    to: string,
    limit: number,
    scopeGroups?: string[],
  ): ReturnType<typeof elementHistory>;
  /** Instances of a process (newest first) with the due time of their review timer, for the risk register. */
  riskCases(definitionKey: string, reviewTimer: string, limit: number): Promise<RiskCaseRow[]>;
}

/** The insight repository on one knex handle (the pool or a transaction). */
export function insightRepository(db: Db, dialect: Dialect): InsightRepository {
  return {
    ...reportScheduleRepository(db),
    ...emergencyPlanRepository(db),
    putFact: (fact) => putFact(db, fact),
    getFact: (id) => getFact(db, id),
    lastEndEvent: (id) => lastEndEvent(db, id),
    async processClockMs(instanceId) {
      const row = await db('slas')
        .select('business_ms')
        .where({ instance_id: instanceId, kind: 'process' })
        .whereNotNull('completed_at')
        .whereIn('status', ['met', 'breached'])
        .orderBy('completed_at', 'desc')
        .first();
      return row?.business_ms == null ? null : numberOut(row.business_ms);
    },
    caseAggregates: (filter) => caseAggregates(db, filter),
    caseSamples: (filter) => caseSamples(db, filter),
    applyRollup: (deltas) => applyRollup(db, dialect, deltas),
    rollupRows: (filter) => rollupRows(db, filter),
    monthlyRows: (filter) => monthlyRows(db, filter),
    closedClocks: (id) => closedClocks(db, id),
    rolledClocks: (id) => rolledClocks(db, id),
    setRolledClocks: (id, clocks) => setRolledClocks(db, id, clocks),
    rollupState: (name) => rollupState(db, name),
    setRollupState: (name, value) => setRollupState(db, name, value),
    factsWithClocks: (afterId, limit) => factsWithClocks(db, afterId, limit),
    clearRollup: () => clearRollup(db),
    insertRollup: (rows, clocks) => insertRollup(db, rows, clocks),
    elementHistory: (key, from, to, limit, scope) => elementHistory(db, key, from, to, limit, scope),
    slaAggregates: (filter) => slaAggregates(db, filter),
    backlog: (filter, now) => backlogFigures(db, filter, now),
    startedCounts: (key, filter) => startedCounts(db, key, filter),
    improvementAggregates: (filter) => improvementAggregates(db, filter),
    async putVolumes(rows) {
      for (const row of rows)
        await db('volumes')
          .insert({ series: row.series, day: row.day, count: row.count })
          .onConflict(['series', 'day'])
          .merge();
    },
    async volumes(series, fromDay, toDay) {
      const rows = await db('volumes')
        .where('series', series)
        .where('day', '>=', fromDay)
        .where('day', '<', toDay)
        .orderBy('day');
      return rows.map((r: Record<string, unknown>) => ({
        series: String(r.series),
        day: String(r.day),
        count: numberOut(r.count),
      }));
    },
    async targets(definitionKey) {
      const rows = await db('kpi_targets').where('definition_key', definitionKey).orderBy('kpi');
      return rows.map((r: Record<string, unknown>) => ({
        definitionKey: String(r.definition_key),
        kpi: String(r.kpi),
        target: Number(r.target),
      }));
    },
    async putTargets(definitionKey, targets) {
      for (const { kpi, target } of targets) {
        if (target === null) await db('kpi_targets').where({ definition_key: definitionKey, kpi }).delete();
        else
          await db('kpi_targets')
            .insert({ definition_key: definitionKey, kpi, target })
            .onConflict(['definition_key', 'kpi'])
            .merge();
      }
    },
    insertKri: async (row) => {
      await db('kris').insert(kriToRow(row));
    },
    async getKri(id, options = {}) {
      const query = db('kris').where({ id });
      if (options.lock && dialect === 'postgres') query.forUpdate();
      const row = await query.first();
      return row ? kriFromRow(row) : null;
    },
    async listKris() {
      return (await db('kris').orderBy('name')).map(kriFromRow);
    },
    async updateKri(id, patch) {
      await db('kris')
        .where({ id })
        .update({ level: patch.level, last_value: patch.lastValue, last_at: isoInOrNull(patch.lastAt) });
    },
    async insertReading(row) {
      await db('kri_readings').insert({
        kri_id: row.kriId,
        value: row.value,
        observed_at: isoIn(row.observedAt),
        level: row.level,
        action: row.action,
        started_instance_id: row.startedInstanceId,
      });
    },
    async readings(kriId, limit) {
      const rows = await db('kri_readings')
        .where({ kri_id: kriId })
        .orderBy([
          { column: 'observed_at', order: 'desc' },
          { column: 'id', order: 'desc' },
        ])
        .limit(limit);
      return rows.map(readingFromRow);
    },
    insertImprovement: async (row) => {
      await db('improvements').insert(improvementToRow(row));
    },
    async getImprovement(id) {
      const row = await db('improvements').where({ id }).first();
      return row ? improvementFromRow(row) : null;
    },
    async updateImprovement(id, patch) {
      const columns: Record<string, unknown> = {};
      if (patch.stage !== undefined) columns.stage = patch.stage;
      if (patch.effectCheck !== undefined) columns.effect_check = patch.effectCheck;
      if (patch.effective !== undefined) columns.effective = patch.effective === null ? null : patch.effective ? 1 : 0;
      if (patch.closedAt !== undefined) columns.closed_at = isoInOrNull(patch.closedAt);
      if (patch.owner !== undefined) columns.owner = patch.owner;
      if (patch.due !== undefined) columns.due = patch.due;
      if (Object.keys(columns).length > 0) await db('improvements').where({ id }).update(columns);
    },
    async listImprovements(filter) {
      const where = (q: Knex.QueryBuilder) => {
        if (filter.stage) q.where('stage', filter.stage);
        if (filter.sourceRef) q.where('source_ref', filter.sourceRef);
        if (filter.owner) q.where('owner', filter.owner);
        return q;
      };
      const [rows, count] = await Promise.all([
        where(db('improvements'))
          .orderBy([{ column: 'due' }, { column: 'id' }])
          .limit(filter.limit)
          .offset(filter.offset),
        where(db('improvements')).count({ n: '*' }).first(),
      ]);
      return { items: rows.map(improvementFromRow), total: numberOut((count as { n?: unknown } | undefined)?.n) };
    },
    async riskCases(definitionKey, reviewTimer, limit) {
      const rows = await db({ i: 'instances' })
        .where('i.definition_key', definitionKey)
        .leftJoin({ t: 'timers' }, (on) =>
          on.on('t.instance_id', '=', 'i.id').andOn('t.element_id', '=', db.raw('?', [reviewTimer])),
        )
        .select(
          'i.id',
          'i.business_key',
          'i.status',
          'i.variables',
          'i.active_elements',
          'i.started_at',
          'i.ended_at',
          't.due as review_due',
        )
        .orderBy('i.started_at', 'desc')
        .limit(limit);
      return rows.map((r: Record<string, unknown>) => ({
        instanceId: String(r.id),
        businessKey: r.business_key == null ? null : String(r.business_key),
        status: String(r.status),
        variables: jsonOut<Record<string, unknown>>(r.variables) ?? {},
        activeElements: jsonOut<string[]>(r.active_elements) ?? [],
        startedAt: isoOut(r.started_at),
        endedAt: isoOutOrNull(r.ended_at),
        nextReviewAt: isoOutOrNull(r.review_due),
      }));
    },
  };
}

// helpers

function kriToRow(k: KriRow): Record<string, unknown> {
  return {
    id: k.id,
    name: k.name,
    unit: k.unit,
    direction: k.direction,
    amber: k.amber,
    red: k.red,
    owner: k.owner,
    risk_id: k.riskId,
    category: k.category,
    level: k.level,
    last_value: k.lastValue,
    last_at: isoInOrNull(k.lastAt),
    created_at: isoIn(k.createdAt),
  };
}

function kriFromRow(r: Record<string, unknown>): KriRow {
  return {
    id: String(r.id),
    name: String(r.name),
    unit: String(r.unit),
    direction: r.direction === 'below' ? 'below' : 'above',
    amber: Number(r.amber),
    red: Number(r.red),
    owner: String(r.owner),
    riskId: r.risk_id == null ? null : String(r.risk_id),
    category: String(r.category),
    level: String(r.level) as KriRow['level'],
    lastValue: r.last_value == null ? null : Number(r.last_value),
    lastAt: isoOutOrNull(r.last_at),
    createdAt: isoOut(r.created_at),
  };
}

function readingFromRow(r: Record<string, unknown>): KriReadingRow {
  return {
    id: numberOut(r.id),
    kriId: String(r.kri_id),
    value: Number(r.value),
    observedAt: isoOut(r.observed_at),
    level: String(r.level) as KriRow['level'],
    action: r.action === 'notified' || r.action === 'emergency' ? r.action : null,
    startedInstanceId: r.started_instance_id == null ? null : String(r.started_instance_id),
  };
}

function improvementToRow(i: ImprovementRow): Record<string, unknown> {
  return {
    id: i.id,
    title: i.title,
    description: i.description,
    source_kind: i.sourceKind,
    source_ref: i.sourceRef,
    definition_key: i.definitionKey,
    owner: i.owner,
    due: i.due,
    stage: i.stage,
    effect_check: i.effectCheck,
    effective: i.effective === null ? null : i.effective ? 1 : 0,
    created_at: isoIn(i.createdAt),
    created_by: i.createdBy,
    closed_at: isoInOrNull(i.closedAt),
  };
}

function improvementFromRow(r: Record<string, unknown>): ImprovementRow {
  return {
    id: String(r.id),
    title: String(r.title),
    description: r.description == null ? null : String(r.description),
    sourceKind: String(r.source_kind) as ImprovementRow['sourceKind'],
    sourceRef: String(r.source_ref),
    definitionKey: r.definition_key == null ? null : String(r.definition_key),
    owner: String(r.owner),
    due: String(r.due),
    stage: String(r.stage) as ImprovementStage,
    effectCheck: r.effect_check == null ? null : String(r.effect_check),
    effective: r.effective == null ? null : Number(r.effective) === 1,
    createdAt: isoOut(r.created_at),
    createdBy: r.created_by == null ? null : String(r.created_by),
    closedAt: isoOutOrNull(r.closed_at),
  };
}
