/** What the dashboard reads from GET /api/kpis (docs/kpis.md defines every figure). */
import { api, query } from '../app/api';

export interface Rate {
  n: number;
  of: number;
  value: number | null;
}
export interface Stats {
  n: number;
  mean: number | null;
  median: number | null;
  p90: number | null;
}

export interface KpiSet {
  cases: { ended: number; completed: number; success: number };
  firstResponse: { wall: Stats; business: Stats };
  resolution: { wall: Stats; business: Stats };
  slaCompliance: Rate & { met: number; breached: number };
  csat: { n: number; mean: number | null; satisfied: Rate };
  nps: { n: number; score: number | null };
  firstContactResolution: Rate;
  reopenRate: Rate;
  transferRate: Rate;
  surveyResponseRate: Rate;
  completionRate: Rate;
  onTimeArrival: Rate;
  firstTimeFix: Rate;
  costPerCase: { n: number; value: number | null };
  complaintRate: { complaints: number; volume: number | null; perThousand: number | null };
  improvements: { raised: number; closed: number; closureRate: Rate };
}

export interface Backlog {
  open: number;
  ageing: { under4h: number; under1d: number; under3d: number; over3d: number };
  oldestStartedAt: string | null;
  openBreaches: number;
  atRisk: number;
  runningClocks: number;
}

export interface KpiReport {
  definitionKey: string | null;
  from: string;
  to: string;
  totals: KpiSet;
  groups: Array<{ key: string | null; kpis: KpiSet }>;
  backlog: Backlog;
  targets: Record<string, number>;
}

export type GroupBy =
  | 'day'
  | 'week'
  | 'month'
  | 'channel'
  | 'category'
  | 'priority'
  | 'group'
  | 'assignee'
  | 'touchPoint';

export function fetchKpis(filter: { process?: string; from: Date; to: Date; groupBy?: GroupBy }): Promise<KpiReport> {
  return api<KpiReport>(
    'GET',
    `/api/kpis${query({ process: filter.process, from: filter.from.toISOString(), to: filter.to.toISOString(), groupBy: filter.groupBy })}`,
  );
}

export type PeriodName = 'week' | 'month';

// Business days, weeks and months are those of Asia/Shanghai (UTC+8, no DST).
const ZONE_OFFSET_MS = 8 * 3_600_000;
const DAY_MS = 86_400_000;

/** This week (Monday 00:00) or this month in Shanghai, to now's period end, and the period before it. */
export function periodOf(
  name: PeriodName,
  now = new Date(),
): { from: Date; to: Date; previous: { from: Date; to: Date } } {
  const local = new Date(now.getTime() + ZONE_OFFSET_MS);
  if (name === 'week') {
    const weekday = (local.getUTCDay() + 6) % 7;
    const from = new Date(
      Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate() - weekday) - ZONE_OFFSET_MS,
    );
    const to = new Date(from.getTime() + 7 * DAY_MS);
    return { from, to, previous: { from: new Date(from.getTime() - 7 * DAY_MS), to: from } };
  }
  const from = new Date(Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), 1) - ZONE_OFFSET_MS);
  const to = new Date(Date.UTC(local.getUTCFullYear(), local.getUTCMonth() + 1, 1) - ZONE_OFFSET_MS);
  return {
    from,
    to,
    previous: {
      from: new Date(Date.UTC(local.getUTCFullYear(), local.getUTCMonth() - 1, 1) - ZONE_OFFSET_MS),
      to: from,
    },
  };
}

/** The last `days` days up to the end of today, Shanghai. */
export function lastDays(days: number, now = new Date()): { from: Date; to: Date } {
  const local = now.getTime() + ZONE_OFFSET_MS;
  const end = local - (local % DAY_MS) + DAY_MS - ZONE_OFFSET_MS;
  return { from: new Date(end - days * DAY_MS), to: new Date(end) };
}
