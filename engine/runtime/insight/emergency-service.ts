/**
 * Emergency plans and drills (S4 §6.5: steps, responsible people and time limits; drills). A plan belongs
 * to a risk category; an emergency case a KRI starts carries the newest plan of its category
 * (`emergencyPlanRef`). A drill is scheduled for an instant and then started through the engine as a
 * risk-response case in emergency, like an incident, with `drill = true`, so its acknowledgement and
 * restore clocks (R-ACK, R-RESTORE) are measured like a real one. Due drills are rows a scheduler source
 * takes with compare-and-set, so a drill starts once.
 */
import type { DrillRow, EmergencyPlanRow } from '../../store/index.js';
import { newId } from '../definitions.js';
import type { Engine } from '../engine.js';
import { EmergencyPlanNotFoundError } from './insight-errors.js';
import { RISK_PROCESS } from './profiles.js';

export const RISK_CATEGORIES = ['technical', 'process', 'personnel', 'external', 'customer'] as const;

export class EmergencyService {
  constructor(private readonly engine: Engine) {
    engine.extend({ due: () => this.startDue() });
  }

  async createPlan(input: {
    category: string;
    title: string;
    steps: string;
    owner: string;
  }): Promise<EmergencyPlanRow> {
    const row: EmergencyPlanRow = { id: newId(), ...input, createdAt: this.engine.clock.now().toISOString() };
    await this.engine.store.insight.insertPlan(row);
    return row;
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
