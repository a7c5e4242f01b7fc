/** What the emergency-plans page reads and posts: /api/emergency-plans and /api/drills. */
import { api } from '../app/api';

export const CATEGORIES = ['technical', 'process', 'personnel', 'external', 'customer'] as const;
export type Category = (typeof CATEGORIES)[number];

export interface Plan {
  id: string;
  category: Category;
  title: string;
  steps: string;
  owner: string;
  createdAt: string;
}
export type PlanInput = Pick<Plan, 'category' | 'title' | 'steps' | 'owner'>;

export interface DrillClock {
  status: string;
  ms: number | null;
}
export interface Drill {
  id: string;
  planId: string;
  planTitle: string | null;
  category: Category | null;
  scheduledAt: string;
  status: 'scheduled' | 'started' | 'failed';
  instanceId: string | null;
  error: string | null;
  acknowledge: DrillClock | null;
  restore: DrillClock | null;
}
export interface DrillStats {
  n: number;
  mean: number | null;
  median: number | null;
  p90: number | null;
  met: number;
  breached: number;
}
export interface Drills {
  items: Drill[];
  summary: { drills: number; started: number; acknowledge: DrillStats; restore: DrillStats };
}

export async function fetchPlans(): Promise<Plan[]> {
  return (await api<{ items: Plan[] }>('GET', '/api/emergency-plans')).items;
}

export function savePlan(id: string | null, plan: PlanInput): Promise<Plan> {
  return id
    ? api<Plan>('PUT', `/api/emergency-plans/${encodeURIComponent(id)}`, { body: plan })
    : api<Plan>('POST', '/api/emergency-plans', { body: plan });
}

export function scheduleDrill(planId: string, at: string): Promise<Drill> {
  return api<Drill>('POST', `/api/emergency-plans/${encodeURIComponent(planId)}/drills`, { body: { at } });
}

export function fetchDrills(): Promise<Drills> {
  return api<Drills>('GET', '/api/drills');
}
