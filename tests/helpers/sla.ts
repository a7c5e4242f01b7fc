/** An engine with the SLA service attached, and what it published, for SLA tests. */
import { DateTime } from 'luxon';
import { attachSla, type EngineNotification, type SlaService } from '../../engine/runtime/index.js';
import type { InstanceRow, SlaRow, Store } from '../../engine/store/index.js';
import { engineOn, type TestEngine } from './engine.js';
import { FakeClock } from './fake-clock.js';
import { at, T0, uid } from './store-rows.js';

export interface SlaTestEngine extends TestEngine {
  sla: SlaService;
  /** Every notification the engine published, in order. */
  notes: EngineNotification[];
}

/** An engine on the store with the SLA service attached, recording its notifications. */
export async function slaEngineOn(
  store: Store,
  clock = new FakeClock(shanghai('2026-11-23 08:00')),
  nodeId = 'node-a',
): Promise<SlaTestEngine> {
  const t = engineOn(store, clock, nodeId);
  const sla = await attachSla(t.engine);
  const notes: EngineNotification[] = [];
  t.engine.events.on('notification', (note: EngineNotification) => notes.push(note));
  return { ...t, sla, notes };
}

/** A Shanghai wall-clock time ('2026-11-23 09:00') as a UTC ISO instant with milliseconds. */
export function shanghai(local: string): string {
  return DateTime.fromISO(local.replace(' ', 'T'), { zone: 'Asia/Shanghai' }).toUTC().toISO()!;
}

/** The notifications of some types, as `type@Shanghai time` lines. */
export function noteLines(notes: EngineNotification[], prefix = 'sla.'): string[] {
  return notes
    .filter((n) => n.type.startsWith(prefix))
    .map((n) => `${n.type}@${DateTime.fromISO(n.at, { zone: 'Asia/Shanghai' }).toFormat('ccc dd HH:mm')}`);
}

/** A running SLA row of the instance (task SLA on 'Task_review', PT4H from T0), for store and API tests. */
export function anSla(instance: InstanceRow, over: Partial<SlaRow> = {}): SlaRow {
  return {
    id: uid('sla'),
    instanceId: instance.id,
    definitionKey: instance.definitionKey,
    elementId: 'Task_review',
    elementName: 'Review complaint',
    kind: 'task',
    taskId: null,
    priority: null,
    calendarId: 'default',
    target: 'PT4H',
    targetMs: 4 * 3_600_000,
    targetExpression: null,
    warnAt: [0.75],
    warningsDue: [at(180)],
    nextWarning: 0,
    warningCode: 'sla-warning',
    breachCode: 'sla-breach',
    status: 'running',
    startedAt: T0,
    dueAt: at(240),
    pausedMs: 0,
    pauseCount: 0,
    pauseDepth: 0,
    pausedSince: null,
    warnedAt: null,
    breachedAt: null,
    completedAt: null,
    businessMs: null,
    holidayDataMissing: false,
    nextCheckAt: at(180),
    lockedBy: null,
    lockedUntil: null,
    ...over,
  };
}
