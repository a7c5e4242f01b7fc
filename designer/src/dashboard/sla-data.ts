/** What the dashboard reads from the SLA API (/api/sla, /api/sla/report) and how it sums it up. */
import { api, query } from '../app/api';
import type { Instance, Page } from '../shared/resources';

/** An SLA row with business time left, as GET /api/sla answers. */
export interface SlaItem {
  id: string;
  instanceId: string;
  definitionKey: string;
  elementId: string;
  elementName: string | null;
  kind: 'task' | 'subprocess' | 'process';
  taskId: string | null;
  priority: string | null;
  status: 'running' | 'paused' | 'met' | 'breached' | 'cancelled';
  target: string;
  dueAt: string;
  warnedAt: string | null;
  breachedAt: string | null;
  completedAt: string | null;
  assignee: string | null;
  candidateGroups: string[];
  atRisk: boolean;
  businessRemainingMs: number;
}

export interface ReportGroup { key: string | null; total: number; met: number; breached: number; compliance: number; meanBusinessMs: number; p90BusinessMs: number }

export interface Tiles { running: number; atRisk: number; breached: number; met: number; closedBreached: number; compliance: number | null; meanResolveMs: number | null }

// Business days and weeks are those of the default calendar's zone (Asia/Shanghai, UTC+8, no DST).
const ZONE_OFFSET_MS = 8 * 3_600_000;
const DAY_MS = 86_400_000;

export function fetchSla(filter: { status?: 'running' | 'at-risk' | 'breached'; definitionKey?: string; instanceId?: string; open?: boolean }, limit = 500): Promise<Page<SlaItem>> {
  const { open, ...rest } = filter;
  // the tiles show counts: the API counts every match only when asked
  return api<Page<SlaItem>>('GET', `/api/sla${query({ ...rest, open: open === undefined ? undefined : String(open), limit, total: 'true' })}`);
}

export async function fetchReport(from: Date, to: Date): Promise<ReportGroup[]> {
  const report = await api<{ groups: ReportGroup[] }>('GET', `/api/sla/report${query({ from: from.toISOString(), to: to.toISOString(), groupBy: 'definition' })}`);
  return report.groups;
}

/** The five tiles: open work counts now, compliance and mean business time to resolve this week. */
export async function fetchTiles(definitionKey: string | undefined, now = new Date()): Promise<{ tiles: Tiles; live: SlaItem[] }> {
  const [ running, atRisk, breached, week ] = await Promise.all([
    fetchSla({ status: 'running', definitionKey }, 1), fetchSla({ status: 'at-risk', definitionKey }), fetchSla({ status: 'breached', definitionKey, open: true }), fetchReport(startOfWeek(now), now),
  ]);
  const groups = week.filter((group) => !definitionKey || group.key === definitionKey);
  const live = [ ...atRisk.items, ...breached.items ].sort((a, b) => a.businessRemainingMs - b.businessRemainingMs);
  return { tiles: { running: running.total, atRisk: atRisk.total, breached: breached.total, ...summarise(groups) }, live };
}

/** Compliance % and breaches per day for the last `days` days (one report per day: the API has no groupBy=day). */
export async function fetchTrend(days: number, definitionKey: string | undefined, now = new Date()): Promise<Array<{ day: Date; compliance: number | null; breached: number; closed: number }>> {
  const today = startOfDay(now);
  const starts = Array.from({ length: days }, (_, i) => new Date(today.getTime() - (days - 1 - i) * DAY_MS));
  return Promise.all(starts.map(async (day) => {
    const groups = (await fetchReport(day, new Date(day.getTime() + DAY_MS))).filter((g) => !definitionKey || g.key === definitionKey);
    const closed = groups.reduce((sum, g) => sum + g.met + g.breached, 0);
    return { day, compliance: summarise(groups).compliance, breached: groups.reduce((sum, g) => sum + g.breached, 0), closed };
  }));
}

/** Active tokens per element (from the active instances) and open at-risk/breached SLAs per element. */
export async function fetchHeat(definitionKey: string): Promise<Map<string, { active: number; atRisk: number; breached: number }>> {
  const [ instances, atRisk, breached ] = await Promise.all([
    api<Page<Instance>>('GET', `/api/instances${query({ definitionKey, status: 'active', limit: 500 })}`),
    fetchSla({ status: 'at-risk', definitionKey }), fetchSla({ status: 'breached', definitionKey, open: true }),
  ]);
  const heat = new Map<string, { active: number; atRisk: number; breached: number }>();
  const bump = (id: string, field: 'active' | 'atRisk' | 'breached') => {
    const entry = heat.get(id) ?? { active: 0, atRisk: 0, breached: 0 };
    entry[field] += 1;
    heat.set(id, entry);
  };
  for (const instance of instances.items) for (const id of instance.activeElements) bump(id, 'active');
  for (const item of atRisk.items) bump(item.elementId, 'atRisk');
  for (const item of breached.items) bump(item.elementId, 'breached');
  return heat;
}

/** Monday 00:00 of this week in the business zone. */
export function startOfWeek(now: Date): Date {
  const day = startOfDay(now);
  const weekday = (new Date(day.getTime() + ZONE_OFFSET_MS).getUTCDay() + 6) % 7;
  return new Date(day.getTime() - weekday * DAY_MS);
}

// helpers

function startOfDay(now: Date): Date {
  const local = now.getTime() + ZONE_OFFSET_MS;
  return new Date(local - (local % DAY_MS) - ZONE_OFFSET_MS);
}

function summarise(groups: ReportGroup[]): Pick<Tiles, 'met' | 'closedBreached' | 'compliance' | 'meanResolveMs'> {
  const met = groups.reduce((sum, g) => sum + g.met, 0);
  const closedBreached = groups.reduce((sum, g) => sum + g.breached, 0);
  const closed = met + closedBreached;
  const weighted = groups.reduce((sum, g) => sum + g.meanBusinessMs * (g.met + g.breached), 0);
  return { met, closedBreached, compliance: closed === 0 ? null : (met / closed) * 100, meanResolveMs: closed === 0 ? null : weighted / closed };
}
