/** Row and filter types of the insight tables: case facts, volumes, KPI targets, KRIs, improvements. */

/** One case (process instance) as the KPIs read it; kept current by the engine's step hook. */
export interface CaseFact {
  instanceId: string;
  definitionKey: string;
  businessKey: string | null;
  status: string;
  startedAt: string;
  endedAt: string | null;
  /** The end event the case finished at. */
  endElement: string | null;
  /** Ended in one of the process's success end states (null while open). */
  success: boolean | null;
  channel: string | null;
  category: string | null;
  priority: string | null;
  group: string | null;
  assignee: string | null;
  touchPoint: string | null;
  firstResponseAt: string | null;
  firstResponseMs: number | null;
  firstResponseBusinessMs: number | null;
  resolutionMs: number | null;
  resolutionBusinessMs: number | null;
  satisfaction: number | null;
  nps: number | null;
  surveySent: boolean;
  firstContactResolution: boolean | null;
  reopened: boolean;
  transferred: boolean;
  visitCount: number | null;
  onTime: boolean | null;
  cost: number | null;
  /** A practice case (a drill): measured, but left out of every service KPI. */
  practice: boolean;
}

/** What a KPI query is over: one process or all, a period, a grouping, and the caller's scope. */
export interface KpiFilter {
  definitionKey?: string;
  from: string;
  to: string;
  /** Time buckets [start, end) with labels, for day/week/month groupings (computed in the zone by the caller). */
  buckets?: Array<{ key: string; from: string; to: string }>;
  /** A case column to group by; absent with buckets or for the totals. */
  dimension?: KpiDimension;
  /** Supervisors: only cases holding work offered to these groups. */
  scopeGroups?: string[];
}

export type KpiDimension = 'channel' | 'category' | 'priority' | 'group' | 'assignee' | 'touchPoint';

/** Duration statistics in ms (nearest-rank median and p90); null figures when n = 0. */
export interface DurationStats {
  n: number;
  mean: number | null;
  median: number | null;
  p90: number | null;
}

/** The raw per-group counts and sums over cases ended in the period. */
export interface CaseAggregate {
  key: string | null;
  ended: number;
  completed: number;
  success: number;
  fcrN: number;
  fcrYes: number;
  reopened: number;
  transferred: number;
  surveySent: number;
  surveyAnswered: number;
  csatN: number;
  csatSum: number;
  csatSatisfied: number;
  npsN: number;
  npsPromoters: number;
  npsDetractors: number;
  visitsN: number;
  firstTimeFix: number;
  onTimeN: number;
  onTimeYes: number;
  costN: number;
  costSum: number;
  firstResponseMs: DurationStats;
  firstResponseBusinessMs: DurationStats;
  resolutionMs: DurationStats;
  resolutionBusinessMs: DurationStats;
}

/** SLA clocks that ended met or breached in the period, per group. */
export interface SlaAggregate {
  key: string | null;
  met: number;
  breached: number;
}

/** Open work now: open cases by age and open SLA clocks. */
export interface BacklogFigures {
  open: number;
  ageing: { under4h: number; under1d: number; under3d: number; over3d: number };
  oldestStartedAt: string | null;
  openBreaches: number;
  atRisk: number;
  runningClocks: number;
}

/** A daily count of a volume series (service orders, customers), the denominator of rates. */
export interface VolumeRow {
  series: string;
  day: string;
  count: number;
}

export interface KpiTargetRow {
  definitionKey: string;
  kpi: string;
  target: number;
}

export type KriLevel = 'green' | 'amber' | 'red';

export interface KriRow {
  id: string;
  name: string;
  unit: string;
  direction: 'above' | 'below';
  amber: number;
  red: number;
  owner: string;
  riskId: string | null;
  category: string;
  level: KriLevel;
  lastValue: number | null;
  lastAt: string | null;
  createdAt: string;
}

export interface KriReadingRow {
  id?: number;
  kriId: string;
  value: number;
  observedAt: string;
  level: KriLevel;
  /** What the reading triggered: 'notified' (amber crossed), 'emergency' (red crossed), or null. */
  action: 'notified' | 'emergency' | null;
  startedInstanceId: string | null;
}

export type ImprovementStage = 'plan' | 'do' | 'check' | 'act' | 'closed';

export interface ImprovementRow {
  id: string;
  title: string;
  description: string | null;
  sourceKind: 'complaint' | 'journey' | 'risk';
  sourceRef: string;
  definitionKey: string | null;
  owner: string;
  due: string;
  stage: ImprovementStage;
  effectCheck: string | null;
  effective: boolean | null;
  createdAt: string;
  createdBy: string | null;
  closedAt: string | null;
}

/** The improvement-action KPIs: 服务改进次数 (raised) and the closure rate. */
export interface ImprovementAggregate {
  key: string | null;
  raised: number;
  closed: number;
}

/** A risk-response instance with what the register shows, read from its variables. */
export interface RiskCaseRow {
  instanceId: string;
  businessKey: string | null;
  status: string;
  variables: Record<string, unknown>;
  activeElements: string[];
  startedAt: string;
  endedAt: string | null;
  nextReviewAt: string | null;
}

/**
 * A change to (or the content of) one row of the daily KPI roll-up: the figures of cases that ended,
 * started or closed an SLA clock on `day` (yyyy-MM-dd in the KPI zone), under one dimension value
 * ('' for none; dim 'all' holds the totals). Counts are named (see runtime/insight/rollup.ts);
 * hist holds duration histograms: measure → bucket → count.
 */
export interface RollupDelta {
  day: string;
  definitionKey: string;
  dim: string;
  value: string;
  counts: Record<string, number>;
  hist: Record<string, Record<string, number>>;
}

export type RollupRow = RollupDelta;

/** An SLA clock as the roll-up counted it. */
export interface RolledClock {
  id: string;
  definitionKey: string;
  status: 'met' | 'breached';
  completedAt: string;
}

/** A scheduled e-mail of a KPI report. */
export interface ReportScheduleRow {
  id: string;
  kind: string;
  period: 'week' | 'month';
  format: string;
  lang: string;
  definitionKey: string | null;
  recipients: string[];
  nextRunAt: string;
  attempts: number;
  lastError: string | null;
  lastSentAt: string | null;
  createdBy: string | null;
  createdAt: string;
}

export interface ReportRunRow {
  scheduleId: string;
  periodFrom: string;
  status: 'sent' | 'failed';
  at: string;
  error: string | null;
}
