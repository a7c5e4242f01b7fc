/**
 * Emergency plans and drills (S4 §6.5: steps, responsible people and time limits; drills). A plan belongs
 * to a risk category; an emergency case a KRI starts carries the newest plan of its category
 * (`emergencyPlanRef`). A drill is scheduled for an instant and then started through the engine as a
 * risk-response case in emergency, like an incident, with `drill = true`, so its acknowledgement and
 * restore clocks (R-ACK, R-RESTORE) are measured like a real one. Due drills are rows a scheduler source
 * takes with compare-and-set, so a drill starts once. A drill's case is practice: the service KPIs leave it
 * out (case_facts.practice), and its response times are reported here, apart.
 */
import type { DrillClockRow, DrillRow, EmergencyPlanRow } from '../../store/index.js';
import { newId } from '../definitions.js';
import type { Engine } from '../engine.js';
import { EmergencyPlanNotFoundError } from './insight-errors.js';
import { RISK_PROCESS } from './profiles.js';

export const RISK_CATEGORIES = ['technical', 'process', 'personnel', 'external', 'customer'] as const;

/** The clocks a drill's response is measured by: acknowledgement (R-ACK) and restore (R-RESTORE). */
const ACK_ELEMENT = 'activate';
const RESTORE_ELEMENT = 'emergency';

export type PlanInput = Pick<EmergencyPlanRow, 'category' | 'title' | 'steps' | 'owner'>;

/** One response clock of a drill: business milliseconds once it closed, and met/breached (or running). */
export interface DrillClock {
  status: string;
  ms: number | null;
}

/** A drill with its plan and how fast the practice case was acknowledged and restored. */
export interface DrillView extends DrillRow {
  planTitle: string | null;
  category: string | null;
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

/** The drills of a period, summed: how many, how many started, and the response-time figures. */
export interface DrillSummary {
  drills: number;
  started: number;
  acknowledge: DrillStats;
  restore: DrillStats;
}

export class EmergencyService {
  constructor(private readonly engine: Engine) {
    engine.extend({ due: () => this.startDue() });
  }

  async createPlan(input: PlanInput): Promise<EmergencyPlanRow> {
    const row: EmergencyPlanRow = { id: newId(), ...input, createdAt: this.engine.clock.now().toISOString() };
    await this.engine.store.insight.insertPlan(row);
    return row;
  }

  /** Replaces a plan's fields (a new version of the same plan: its id, and the cases carrying it, stay). */
  async updatePlan(id: string, input: PlanInput): Promise<EmergencyPlanRow> {
    if (!(await this.engine.store.insight.updatePlan(id, input))) throw new EmergencyPlanNotFoundError(id);
    return (await this.engine.store.insight.getPlan(id))!;
  }

  listPlans(category?: string): Promise<EmergencyPlanRow[]> {
    return this.engine.store.insight.listPlans(category);
  }

  /** The newest plan of a category, if any. */
  async planFor(category: string | null): Promise<EmergencyPlanRow | null> {
    return category ? ((await this.listPlans(category))[0] ?? null) : null;
  }

  async scheduleDrill(planId: string, at: string, by: string | null): Promise<DrillRow> {
    if (!(await this.engine.store.insight.getPlan(planId))) throw new EmergencyPlanNotFoundError(planId);
    const row: DrillRow = {
      id: newId(),
      planId,
      scheduledAt: new Date(at).toISOString(),
      status: 'scheduled',
      instanceId: null,
      error: null,
      createdBy: by,
    };
    await this.engine.store.insight.insertDrill(row);
    return row;
  }

  /** Drills scheduled in [from, to) (all when absent), newest first, with their response clocks and summary. */
  async drills(period: { from?: string; to?: string } = {}): Promise<{ items: DrillView[]; summary: DrillSummary }> {
    const insight = this.engine.store.insight;
    const inPeriod = (at: string) =>
      (!period.from || Date.parse(at) >= Date.parse(period.from)) &&
      (!period.to || Date.parse(at) < Date.parse(period.to));
    const rows = (await insight.listDrills()).filter((d) => inPeriod(d.scheduledAt));
    const plans = new Map((await insight.listPlans()).map((p) => [p.id, p]));
    const ids = rows.flatMap((d) => (d.instanceId ? [d.instanceId] : []));
    const clocks = ids.length > 0 ? await insight.drillClocks(ids, [ACK_ELEMENT, RESTORE_ELEMENT]) : [];
    const items = rows.map((d): DrillView => {
      const plan = plans.get(d.planId);
      const own = clocks.filter((c) => c.instanceId === d.instanceId);
      return {
        ...d,
        planTitle: plan?.title ?? null,
        category: plan?.category ?? null,
        acknowledge: clockOf(own, ACK_ELEMENT),
        restore: clockOf(own, RESTORE_ELEMENT),
      };
    });
    return {
      items,
      summary: {
        drills: items.length,
        started: items.filter((d) => d.instanceId !== null).length,
        acknowledge: statsOf(items.map((d) => d.acknowledge)),
        restore: statsOf(items.map((d) => d.restore)),
      },
    };
  }

  listDrills(): Promise<DrillRow[]> {
    return this.engine.store.insight.listDrills();
  }

  /** Starts the drills that are due; returns how many started. */
  async startDue(): Promise<number> {
    const now = this.engine.clock.now().toISOString();
    let started = 0;
    for (const drill of await this.engine.store.insight.dueDrills(now, 10)) {
      if (!(await this.engine.store.insight.takeDrill(drill.id, { status: 'started', instanceId: null, error: null })))
        continue;
      const plan = await this.engine.store.insight.getPlan(drill.planId);
      try {
        if (!plan) throw new EmergencyPlanNotFoundError(drill.planId);
        const instance = await this.engine.startInstance({
          definitionKey: RISK_PROCESS,
          by: drill.createdBy,
          variables: {
            title: `Drill: ${plan.title}`,
            description: `Emergency drill of plan '${plan.title}' scheduled for ${drill.scheduledAt}.`,
            category: plan.category,
            source: 'incident',
            sourceRef: `drill:${drill.id}`,
            incidentOccurred: true,
            incidentSeverity: 'high',
            incidentStartedAt: now,
            emergencyPlanRef: plan.id,
            drill: true,
          },
        });
        await this.engine.store.insight.updateDrill(drill.id, {
          status: 'started',
          instanceId: instance.id,
          error: null,
        });
        started++;
      } catch (err) {
        await this.engine.store.insight.updateDrill(drill.id, {
          status: 'failed',
          instanceId: null,
          error: err instanceof Error ? err.message : String(err),
        });
      }
    }
    return started;
  }
}

// helpers

/** The newest clock of the case at the element; ms only once it closed. */
function clockOf(clocks: DrillClockRow[], elementId: string): DrillClock | null {
  const at = clocks.filter((c) => c.elementId === elementId).sort((a, b) => b.startedAt.localeCompare(a.startedAt));
  if (at.length === 0) return null;
  const closed = at[0].completedAt !== null;
  return { status: at[0].status, ms: closed ? at[0].businessMs : null };
}

/** Mean and nearest-rank median and p90 over the closed clocks; met and breached counts. */
function statsOf(clocks: Array<DrillClock | null>): DrillStats {
  const closed = clocks.filter((c): c is DrillClock & { ms: number } => c !== null && c.ms !== null);
  const sorted = closed.map((c) => c.ms).sort((a, b) => a - b);
  const n = sorted.length;
  const rank = (q: number) => (n === 0 ? null : sorted[Math.ceil(q * n) - 1]);
  return {
    n,
    mean: n === 0 ? null : Math.round(sorted.reduce((sum, v) => sum + v, 0) / n),
    median: rank(0.5),
    p90: rank(0.9),
    met: closed.filter((c) => c.status === 'met').length,
    breached: closed.filter((c) => c.status === 'breached').length,
  };
}
