/** The case_facts table: one row per instance, written by the insight hook inside each step's transaction. */
import type { CaseFact } from './insight-types.js';
import { type Db, isoIn, isoInOrNull, isoOut, isoOutOrNull } from './columns.js';

const TABLE = 'case_facts';

/** Inserts or replaces the case's fact row. */
export async function putFact(db: Db, fact: CaseFact): Promise<void> {
  await db(TABLE).insert(toRow(fact)).onConflict('instance_id').merge();
}

/** The case's fact row, or null before its first step. */
export async function getFact(db: Db, instanceId: string): Promise<CaseFact | null> {
  const row = await db(TABLE).where({ instance_id: instanceId }).first();
  return row ? fromRow(row) : null;
}

/** Fact rows in instance-id order after `afterId` (paging a rebuild of the roll-up). */
export async function getFactRows(db: Db, afterId: string | null, limit: number): Promise<CaseFact[]> {
  const query = db(TABLE).orderBy('instance_id').limit(limit);
  if (afterId !== null) query.where('instance_id', '>', afterId);
  return (await query).map(fromRow);
}

/** The last end event the instance entered (its history, newest first, served by (instance_id, id)). */
export async function lastEndEvent(db: Db, instanceId: string): Promise<string | null> {
  const row = await db('history')
    .select('element_id')
    .where({ instance_id: instanceId, event: 'element.entered', element_type: 'endEvent' })
    .orderBy('id', 'desc')
    .first();
  return row?.element_id ?? null;
}

// helpers

function toRow(f: CaseFact): Record<string, unknown> {
  return {
    instance_id: f.instanceId,
    definition_key: f.definitionKey,
    business_key: f.businessKey,
    status: f.status,
    started_at: isoIn(f.startedAt),
    ended_at: isoInOrNull(f.endedAt),
    end_element: f.endElement,
    success: bit(f.success),
    channel: f.channel,
    category: f.category,
    priority: f.priority,
    grp: f.group,
    assignee: f.assignee,
    touch_point: f.touchPoint,
    first_response_at: isoInOrNull(f.firstResponseAt),
    first_response_ms: f.firstResponseMs,
    first_response_bms: f.firstResponseBusinessMs,
    resolution_ms: f.resolutionMs,
    resolution_bms: f.resolutionBusinessMs,
    satisfaction: f.satisfaction,
    nps: f.nps,
    survey_sent: bit(f.surveySent),
    fcr: bit(f.firstContactResolution),
    reopened: bit(f.reopened),
    transferred: bit(f.transferred),
    visit_count: f.visitCount,
    on_time: bit(f.onTime),
    cost: f.cost,
    practice: f.practice ? 1 : 0,
  };
}

function fromRow(r: Record<string, unknown>): CaseFact {
  return {
    instanceId: String(r.instance_id),
    definitionKey: String(r.definition_key),
    businessKey: str(r.business_key),
    status: String(r.status),
    startedAt: isoOut(r.started_at),
    endedAt: isoOutOrNull(r.ended_at),
    endElement: str(r.end_element),
    success: bool(r.success),
    channel: str(r.channel),
    category: str(r.category),
    priority: str(r.priority),
    group: str(r.grp),
    assignee: str(r.assignee),
    touchPoint: str(r.touch_point),
    firstResponseAt: isoOutOrNull(r.first_response_at),
    firstResponseMs: num(r.first_response_ms),
    firstResponseBusinessMs: num(r.first_response_bms),
    resolutionMs: num(r.resolution_ms),
    resolutionBusinessMs: num(r.resolution_bms),
    satisfaction: num(r.satisfaction),
    nps: num(r.nps),
    surveySent: bool(r.survey_sent) ?? false,
    firstContactResolution: bool(r.fcr),
    reopened: bool(r.reopened) ?? false,
    transferred: bool(r.transferred) ?? false,
    visitCount: num(r.visit_count),
    onTime: bool(r.on_time),
    cost: num(r.cost),
    practice: bool(r.practice) ?? false,
  };
}

function bit(value: boolean | null): number | null {
  return value === null ? null : value ? 1 : 0;
}

function bool(value: unknown): boolean | null {
  return value == null ? null : Number(value) === 1;
}

function num(value: unknown): number | null {
  return value == null ? null : Number(value);
}

function str(value: unknown): string | null {
  return value == null ? null : String(value);
}
