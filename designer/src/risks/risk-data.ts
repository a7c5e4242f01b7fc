/** What the risk register page reads and posts: /api/risks (JSON and CSV) and /api/kris. */
import { api, authHeaders, query } from '../app/api';

export interface RiskEntry {
  instanceId: string;
  riskId: string | null;
  title: string | null;
  category: string | null;
  probability: number | null;
  impact: number | null;
  score: number | null;
  level: string | null;
  strategy: string | null;
  owner: string | null;
  treatmentDeadline: string | null;
  treatmentStatus: string;
  stage: string;
  nextReviewAt: string | null;
  closedAt: string | null;
}

export interface RiskFilter {
  level?: string;
  category?: string;
  stage?: string;
  open?: boolean;
  probability?: number;
  impact?: number;
}

export interface Register {
  items: RiskEntry[];
  total: number;
  heatMap: { inherent: number[][]; residual: number[][] };
}

export interface Kri {
  id: string;
  name: string;
  unit: string;
  direction: 'above' | 'below';
  amber: number;
  red: number;
  owner: string;
  riskId: string | null;
  level: 'green' | 'amber' | 'red';
  lastValue: number | null;
  lastAt: string | null;
}
export interface KriReading {
  value: number;
  observedAt: string;
  level: Kri['level'];
  action: 'notified' | 'emergency' | null;
  startedInstanceId: string | null;
}

const params = (filter: RiskFilter) =>
  query({
    level: filter.level,
    category: filter.category,
    stage: filter.stage,
    open: filter.open === undefined ? undefined : String(filter.open),
    probability: filter.probability,
    impact: filter.impact,
  });

export function fetchRegister(filter: RiskFilter): Promise<Register> {
  return api<Register>('GET', `/api/risks${params(filter)}`);
}

/** The filtered register as a CSV file download. */
export async function downloadCsv(filter: RiskFilter): Promise<void> {
  const response = await fetch(`/api/risks${params(filter)}`, { headers: { Accept: 'text/csv', ...authHeaders() } });
  if (!response.ok) throw new Error(`${response.status} ${response.statusText}`);
  const url = URL.createObjectURL(await response.blob());
  const link = Object.assign(document.createElement('a'), { href: url, download: 'risk-register.csv' });
  link.click();
  URL.revokeObjectURL(url);
}

export async function fetchKris(): Promise<Kri[]> {
  return (await api<{ items: Kri[] }>('GET', '/api/kris')).items;
}

export function defineKri(kri: Omit<Kri, 'id' | 'level' | 'lastValue' | 'lastAt'>): Promise<Kri> {
  return api<Kri>('POST', '/api/kris', { body: kri });
}

export async function postReading(id: string, value: number): Promise<{ kri: Kri; reading: KriReading }> {
  return api('POST', `/api/kris/${encodeURIComponent(id)}/readings`, { body: { value } });
}

export async function fetchReadings(id: string): Promise<KriReading[]> {
  return (await api<{ items: KriReading[] }>('GET', `/api/kris/${encodeURIComponent(id)}/readings`)).items;
}
