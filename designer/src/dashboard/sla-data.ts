/** What the dashboard reads from the SLA API (/api/sla) and the instances: the live list and the heat map's counts. */
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

export function fetchSla(
  filter: { status?: 'running' | 'at-risk' | 'breached'; definitionKey?: string; instanceId?: string; open?: boolean },
  limit = 500,
): Promise<Page<SlaItem>> {
  const { open, ...rest } = filter;
  // the tiles show counts: the API counts every match only when asked
  return api<Page<SlaItem>>(
    'GET',
    `/api/sla${query({ ...rest, open: open === undefined ? undefined : String(open), limit, total: 'true' })}`,
  );
}

/** The live list: at-risk and breached open clocks, most urgent first. */
export async function fetchLive(definitionKey: string | undefined): Promise<SlaItem[]> {
  const [atRisk, breached] = await Promise.all([
    fetchSla({ status: 'at-risk', definitionKey }),
    fetchSla({ status: 'breached', definitionKey, open: true }),
  ]);
  return [...atRisk.items, ...breached.items].sort((a, b) => a.businessRemainingMs - b.businessRemainingMs);
}

/** Counts per element of the heat map, and the instances behind them (its drill-down). */
export interface HeatCell {
  active: number;
  atRisk: number;
  breached: number;
  instanceIds: string[];
}

/** Active tokens per element (from the active instances) and open at-risk/breached SLAs per element. */
export async function fetchHeat(definitionKey: string): Promise<Map<string, HeatCell>> {
  const [instances, atRisk, breached] = await Promise.all([
    api<Page<Instance>>('GET', `/api/instances${query({ definitionKey, status: 'active', limit: 500 })}`),
    fetchSla({ status: 'at-risk', definitionKey }),
    fetchSla({ status: 'breached', definitionKey, open: true }),
  ]);
  const heat = new Map<string, HeatCell>();
  const bump = (id: string, field: 'active' | 'atRisk' | 'breached', instanceId: string) => {
    const entry = heat.get(id) ?? { active: 0, atRisk: 0, breached: 0, instanceIds: [] };
    entry[field] += 1;
    if (!entry.instanceIds.includes(instanceId)) entry.instanceIds.push(instanceId);
    heat.set(id, entry);
  };
  for (const instance of instances.items) for (const id of instance.activeElements) bump(id, 'active', instance.id);
  for (const item of atRisk.items) bump(item.elementId, 'atRisk', item.instanceId);
  for (const item of breached.items) bump(item.elementId, 'breached', item.instanceId);
  return heat;
}
