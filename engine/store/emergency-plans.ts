/** The emergency_plans and drills tables. */
import { type Db, isoOut, isoOutOrNull } from './columns.js';

export interface EmergencyPlanRow {
  id: string;
  category: string;
  title: string;
  steps: string;
  owner: string;
  createdAt: string;
}
export interface DrillRow {
  id: string;
  planId: string;
  scheduledAt: string;
  status: 'scheduled' | 'started' | 'failed';
  instanceId: string | null;
  error: string | null;
  createdBy: string | null;
}

/** A closed or open SLA clock of a drill's case, at the elements that measure its response. */
export interface DrillClockRow {
  instanceId: string;
  elementId: string;
  status: string;
  startedAt: string;
  completedAt: string | null;
  businessMs: number | null;
}

export interface EmergencyPlanRepository {
  insertPlan(row: EmergencyPlanRow): Promise<void>;
  /** Replaces a plan's category, title, steps and owner; false when there is no such plan. */
  updatePlan(id: string, patch: Pick<EmergencyPlanRow, 'category' | 'title' | 'steps' | 'owner'>): Promise<boolean>;
  /** The SLA clocks of these cases at these elements (the drills' response clocks). */
  drillClocks(instanceIds: string[], elementIds: string[]): Promise<DrillClockRow[]>;
  listPlans(category?: string): Promise<EmergencyPlanRow[]>;
  getPlan(id: string): Promise<EmergencyPlanRow | null>;
  insertDrill(row: DrillRow): Promise<void>;
  listDrills(): Promise<DrillRow[]>;
  dueDrills(now: string, limit: number): Promise<DrillRow[]>;
  /** Moves a drill on from `scheduled`; false when another node took it. */
  takeDrill(id: string, patch: Pick<DrillRow, 'status' | 'instanceId' | 'error'>): Promise<boolean>;
  updateDrill(id: string, patch: Pick<DrillRow, 'status' | 'instanceId' | 'error'>): Promise<void>;
}

export function emergencyPlanRepository(db: Db): EmergencyPlanRepository {
  const plan = (r: Record<string, unknown>): EmergencyPlanRow => ({
    id: String(r.id),
    category: String(r.category),
    title: String(r.title),
    steps: String(r.steps),
    owner: String(r.owner),
    createdAt: String(r.created_at),
  });
  const drill = (r: Record<string, unknown>): DrillRow => ({
    id: String(r.id),
    planId: String(r.plan_id),
    scheduledAt: String(r.scheduled_at),
    status: r.status as DrillRow['status'],
    instanceId: r.instance_id == null ? null : String(r.instance_id),
    error: r.error == null ? null : String(r.error),
    createdBy: r.created_by == null ? null : String(r.created_by),
  });
  return {
    insertPlan: async (r) => {
      await db('emergency_plans').insert({
        id: r.id,
        category: r.category,
        title: r.title,
        steps: r.steps,
        owner: r.owner,
        created_at: r.createdAt,
      });
    },
    updatePlan: async (id, p) =>
      (await db('emergency_plans')
        .where({ id })
        .update({ category: p.category, title: p.title, steps: p.steps, owner: p.owner })) > 0,
    async drillClocks(instanceIds, elementIds) {
      const out: DrillClockRow[] = [];
      for (let i = 0; i < instanceIds.length; i += 500) {
        const rows: Array<Record<string, unknown>> = await db('slas')
          .select('instance_id', 'element_id', 'status', 'started_at', 'completed_at', 'business_ms')
          .whereIn('instance_id', instanceIds.slice(i, i + 500))
          .whereIn('element_id', elementIds)
          .whereNot('status', 'cancelled');
        for (const r of rows)
          out.push({
            instanceId: String(r.instance_id),
            elementId: String(r.element_id),
            status: String(r.status),
            startedAt: isoOut(r.started_at),
            completedAt: isoOutOrNull(r.completed_at),
            businessMs: r.business_ms == null ? null : Number(r.business_ms),
          });
      }
      return out;
    },
    async listPlans(category) {
      const query = db('emergency_plans').orderBy([{ column: 'category' }, { column: 'created_at', order: 'desc' }]);
      if (category) query.where({ category });
      return (await query).map(plan);
    },
    async getPlan(id) {
      const row = await db('emergency_plans').where({ id }).first();
      return row ? plan(row) : null;
    },
    insertDrill: async (r) => {
      await db('drills').insert({
        id: r.id,
        plan_id: r.planId,
        scheduled_at: r.scheduledAt,
        status: r.status,
        instance_id: r.instanceId,
        error: r.error,
        created_by: r.createdBy,
      });
    },
    listDrills: async () => (await db('drills').orderBy('scheduled_at', 'desc')).map(drill),
    dueDrills: async (now, limit) =>
      (
        await db('drills')
          .where('status', 'scheduled')
          .where('scheduled_at', '<=', now)
          .orderBy('scheduled_at')
          .limit(limit)
      ).map(drill),
    takeDrill: async (id, p) =>
      (await db('drills')
        .where({ id, status: 'scheduled' })
        .update({ status: p.status, instance_id: p.instanceId, error: p.error })) > 0,
    updateDrill: async (id, p) => {
      await db('drills').where({ id }).update({ status: p.status, instance_id: p.instanceId, error: p.error });
    },
  };
}
