/**
 * The start events that start instances by themselves: one row per message or signal start event and
 * one timer row per timer start event of a key's latest version. A redeploy replaces the old version's.
 */
import { problem, type Problem } from '../../bpmn/index.js';
import type { CompiledProcess } from '../../compile/index.js';
import { computeTimer } from '../../expr/index.js';
import type { StartEventRow, StartTimerRow, StoreTx } from '../../store/index.js';
import { uuidv7 } from '../ids.js';

/** Replaces the key's start event and start timer rows by the new version's; cron cycles read in `zone`. */
export async function registerStartEvents(
  tx: StoreTx,
  definition: { id: string; key: string },
  compiled: CompiledProcess,
  now: string,
  zone: string,
): Promise<void> {
  const rows = compiled.starts.flatMap((s): StartEventRow[] =>
    s.kind === 'message' || s.kind === 'signal'
      ? [
          {
            id: uuidv7(),
            definitionId: definition.id,
            definitionKey: definition.key,
            elementId: s.elementId,
            kind: s.kind,
            name: s.name,
            createdAt: now,
          },
        ]
      : [],
  );
  await tx.startEvents.replace(definition.key, rows);
  const timers: StartTimerRow[] = [];
  for (const s of compiled.starts) {
    if (s.kind !== 'timer') continue;
    const schedule = computeTimer(s.timer, {}, now, zone);
    if ('error' in schedule) continue;
    timers.push({
      id: uuidv7(),
      definitionId: definition.id,
      definitionKey: definition.key,
      elementId: s.elementId,
      due: schedule.due,
      repeat: schedule.repeat,
      lockedBy: null,
      lockedUntil: null,
    });
  }
  await tx.startTimers.replace(definition.key, timers);
}

/** Timer start events whose timer cannot be scheduled at deploy (no instance variables exist yet). */
export function timerStartProblems(compiled: CompiledProcess, now: string, zone: string): Problem[] {
  return compiled.starts.flatMap((s): Problem[] => {
    if (s.kind !== 'timer') return [];
    const schedule = computeTimer(s.timer, {}, now, zone);
    if (!('error' in schedule)) return [];
    return [
      problem(
        'TIMER_INVALID',
        s.elementId,
        'bpmn:StartEvent',
        `start event '${s.elementId}' has a timer that cannot be scheduled at deploy: ${schedule.error}`,
      ),
    ];
  });
}
