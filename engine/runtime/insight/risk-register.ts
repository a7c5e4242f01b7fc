/**
 * The risk register: every risk-response case, active and closed, with what the register shows
 * (domain.md §2.3), read from its variables and active elements; filters and the 5 × 5 heat map. Pure
 * over the rows the store returns.
 */
import type { RiskCaseRow } from '../../store/index.js';

export interface RiskEntry {
  instanceId: string;
  riskId: string | null;
  title: string | null;
  category: string | null;
  source: string | null;
  probability: number | null;
  impact: number | null;
  score: number | null;
  level: string | null;
  strategy: string | null;
  owner: string | null;
  actionOwner: string | null;
  treatmentDeadline: string | null;
  treatmentStatus: TreatmentStatus;
  residualProbability: number | null;
  residualImpact: number | null;
  residualLevel: string | null;
  stage: RiskStage;
  kriName: string | null;
  pdcaCycle: number | null;
  nextReviewAt: string | null;
  openedAt: string;
  closedAt: string | null;
  /** The emergency plan the case carries, and whether it is a drill (practice). */
  emergencyPlanRef: string | null;
  drill: boolean;
}

export type RiskStage =
  | 'assess'
  | 'emergency'
  | 'review'
  | 'plan'
  | 'approve'
  | 'implement'
  | 'verify'
  | 'act'
  | 'monitor'
  | 'closed';
export type TreatmentStatus =
  | 'not started'
  | 'planned'
  | 'in progress'
  | 'overdue'
  | 'verifying'
  | 'treated'
  | 'closed';

export interface RiskFilter {
  level?: string;
  category?: string;
  strategy?: string;
  owner?: string;
  stage?: RiskStage;
  open?: boolean;
  probability?: number;
  impact?: number;
  /** Heat-map drill: match the residual rather than the inherent cell. */
  residual?: boolean;
}

// Active element → register stage; the first match in this order wins (emergency outranks the rest).
const STAGES: Array<[RiskStage, string[]]> = [
  ['emergency', ['emergency', 'activate', 'activateEsc', 'restore', 'customerComms', 'notifyMgmt']],
  ['review', ['pir']],
  ['assess', ['assess']],
  ['approve', ['approvePlan']],
  ['plan', ['plan', 'treat']],
  ['implement', ['implement']],
  ['verify', ['verify']],
  ['act', ['persistentRisk']],
  ['monitor', ['watch', 'periodicReview']],
];

/** One register entry from a risk case, as of `today` (yyyy-MM-dd, for overdue treatments). */
export function riskEntryOf(row: RiskCaseRow, today: string): RiskEntry {
  const v = row.variables;
  const stage = stageOf(row);
  const deadline = text(v.treatmentDeadline)?.slice(0, 10) ?? null;
  return {
    instanceId: row.instanceId,
    riskId: row.businessKey ?? text(v.riskId),
    title: text(v.title),
    category: text(v.category),
    source: text(v.source),
    probability: int(v.probability),
    impact: int(v.impact),
    score: int(v.riskScore),
    level: text(v.riskLevel),
    strategy: text(v.strategy),
    owner: text(v.riskOwner),
    actionOwner: text(v.actionOwner),
    treatmentDeadline: deadline,
    treatmentStatus: treatmentStatusOf(stage, deadline, today),
    residualProbability: int(v.residualProbability),
    residualImpact: int(v.residualImpact),
    residualLevel: text(v.residualLevel),
    stage,
    kriName: text(v.kriName),
    pdcaCycle: int(v.pdcaCycle),
    nextReviewAt: row.nextReviewAt,
    openedAt: row.startedAt,
    closedAt: row.endedAt,
    emergencyPlanRef: text(v.emergencyPlanRef),
    drill: v.drill === true,
  };
}

/** Whether an entry passes the filter. */
export function matchesRisk(entry: RiskEntry, filter: RiskFilter): boolean {
  const cell = filter.residual
    ? { p: entry.residualProbability, i: entry.residualImpact }
    : { p: entry.probability, i: entry.impact };
  return (
    (filter.level === undefined || entry.level === filter.level) &&
    (filter.category === undefined || entry.category === filter.category) &&
    (filter.strategy === undefined || entry.strategy === filter.strategy) &&
    (filter.owner === undefined || entry.owner === filter.owner) &&
    (filter.stage === undefined || entry.stage === filter.stage) &&
    (filter.open === undefined || (entry.closedAt === null) === filter.open) &&
    (filter.probability === undefined || cell.p === filter.probability) &&
    (filter.impact === undefined || cell.i === filter.impact)
  );
}

/** Counts per probability × impact cell (1–5 each): `cells[p - 1][i - 1]`, inherent and residual. */
export function heatMapOf(entries: RiskEntry[]): { inherent: number[][]; residual: number[][] } {
  const grid = () => Array.from({ length: 5 }, () => Array<number>(5).fill(0));
  const inherent = grid();
  const residual = grid();
  for (const e of entries) {
    if (inScale(e.probability) && inScale(e.impact)) inherent[e.probability! - 1][e.impact! - 1] += 1;
    if (inScale(e.residualProbability) && inScale(e.residualImpact))
      residual[e.residualProbability! - 1][e.residualImpact! - 1] += 1;
  }
  return { inherent, residual };
}

/** The register as CSV (RFC 4180 quoting), one line per entry. */
export function riskCsv(entries: RiskEntry[]): string {
  const columns: Array<keyof RiskEntry> = [
    'riskId',
    'title',
    'category',
    'source',
    'probability',
    'impact',
    'score',
    'level',
    'strategy',
    'owner',
    'actionOwner',
    'treatmentDeadline',
    'treatmentStatus',
    'residualProbability',
    'residualImpact',
    'residualLevel',
    'stage',
    'kriName',
    'pdcaCycle',
    'nextReviewAt',
    'openedAt',
    'closedAt',
  ];
  const lines = [columns.join(','), ...entries.map((e) => columns.map((c) => csvField(e[c])).join(','))];
  return `${lines.join('\r\n')}\r\n`;
}

// helpers

function stageOf(row: RiskCaseRow): RiskStage {
  if (row.endedAt !== null) return 'closed';
  for (const [stage, elements] of STAGES) if (row.activeElements.some((e) => elements.includes(e))) return stage;
  return 'assess';
}

function treatmentStatusOf(stage: RiskStage, deadline: string | null, today: string): TreatmentStatus {
  switch (stage) {
    case 'closed':
      return 'closed';
    case 'plan':
    case 'approve':
      return 'planned';
    case 'implement':
      return deadline !== null && deadline < today ? 'overdue' : 'in progress';
    case 'verify':
    case 'act':
      return 'verifying';
    case 'monitor':
      return 'treated';
    default:
      return 'not started';
  }
}

function inScale(n: number | null | undefined): boolean {
  return typeof n === 'number' && n >= 1 && n <= 5;
}

function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  const s = String(value);
  // a leading =, +, - or @ would be read as a formula by spreadsheets
  const safe = /^[=+\-@]/.test(s) ? `'${s}` : s;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

function int(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? Math.round(value) : null;
}
