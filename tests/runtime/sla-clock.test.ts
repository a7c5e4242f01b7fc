import { describe, expect, it } from 'vitest';
import { formatBusinessMs } from '../../engine/runtime/index.js';
import { seedCalendars } from '../../engine/runtime/calendar/calendar-seeds.js';
import {
  closeRow,
  dueCheck,
  pauseRow,
  recordCheck,
  resumeRow,
  scheduleOf,
} from '../../engine/runtime/sla/sla-clock.js';
import type { SlaRow } from '../../engine/store/index.js';
import { anSla, shanghai } from '../helpers/sla.js';
import { anInstance, aDefinition } from '../helpers/store-rows.js';

const [calendar] = seedCalendars('Asia/Shanghai');
const H = 3_600_000;

/** A running PT4H row started Mon 09:00 Shanghai with warnings at 50 % and 75 %. */
function row(over: Partial<SlaRow> = {}): SlaRow {
  const base = anSla(anInstance(aDefinition()), {
    startedAt: shanghai('2026-11-23 09:00'),
    warnAt: [0.5, 0.75],
    ...over,
  });
  return { ...base, ...scheduleOf(calendar, base), ...over };
}

describe('runtime/sla-clock', () => {
  it('schedules warnings at fractions of the target and the breach at the due, in business time', () => {
    expect(row({ startedAt: shanghai('2026-11-23 16:00') })).toMatchObject({
      warningsDue: [shanghai('2026-11-23 18:00'), shanghai('2026-11-24 10:00')],
      dueAt: shanghai('2026-11-24 11:00'),
      nextCheckAt: shanghai('2026-11-23 18:00'),
    });
  });

  it('fires a missed warning before the breach, one check at a time', () => {
    let r = row();
    const late = shanghai('2026-11-23 15:00');
    const fired: string[] = [];
    for (let check = dueCheck(r, late); check; check = dueCheck(r, late)) {
      fired.push(`${check.kind}@${check.at}`);
      r = { ...r, ...recordCheck(r, check) };
    }
    expect(fired).toEqual([
      `warning@${shanghai('2026-11-23 11:00')}`,
      `warning@${shanghai('2026-11-23 12:00')}`,
      `breach@${shanghai('2026-11-23 13:00')}`,
    ]);
    expect(r).toMatchObject({ status: 'breached', nextCheckAt: null, warnedAt: shanghai('2026-11-23 12:00') });
  });

  it('stands still while any pauser is active and moves due by the paused business time on the last resume', () => {
    let r = row();
    r = { ...r, ...pauseRow(r, shanghai('2026-11-23 10:00')) };
    r = { ...r, ...pauseRow(r, shanghai('2026-11-23 11:00')) };
    r = { ...r, ...resumeRow(calendar, r, shanghai('2026-11-23 12:00')) };
    expect(r).toMatchObject({ status: 'paused', pauseDepth: 1, pauseCount: 1, nextCheckAt: null });
    r = { ...r, ...resumeRow(calendar, r, shanghai('2026-11-24 10:00')) };
    expect(r).toMatchObject({
      status: 'running',
      pauseDepth: 0,
      pausedMs: 9 * H,
      pausedSince: null,
      dueAt: shanghai('2026-11-24 13:00'),
    });
  });

  it('closes completed work met by the due and breached after it; cancelled work is cancelled unless breached', () => {
    expect(closeRow(calendar, row(), shanghai('2026-11-23 13:00'), true)).toMatchObject({
      status: 'met',
      newlyBreached: false,
      patch: { businessMs: 4 * H },
    });
    expect(closeRow(calendar, row(), shanghai('2026-11-23 13:01'), true)).toMatchObject({
      status: 'breached',
      newlyBreached: true,
      patch: { breachedAt: shanghai('2026-11-23 13:00') },
    });
    expect(closeRow(calendar, row(), shanghai('2026-11-23 14:00'), false).status).toBe('cancelled');
    expect(
      closeRow(
        calendar,
        row({ status: 'breached', breachedAt: shanghai('2026-11-23 13:00') }),
        shanghai('2026-11-23 14:00'),
        false,
      ).status,
    ).toBe('breached');
  });

  it('measures a row paused at completion up to its pause', () => {
    const paused = { ...row(), ...pauseRow(row(), shanghai('2026-11-23 10:00')) };
    expect(closeRow(calendar, paused, shanghai('2026-11-24 10:00'), true)).toMatchObject({
      status: 'met',
      patch: { businessMs: H, pausedMs: 9 * H },
    });
  });

  it.each([
    [4 * H + 20 * 60_000, '4h 20m'],
    [45 * 60_000, '45m'],
    [-(65 * 60_000), '-1h 5m'],
    [-12_500, '-12s'],
    [0, '0s'],
    [27 * H, '27h 0m'],
  ])('writes %i ms as %s', (ms, text) => {
    expect(formatBusinessMs(ms)).toBe(text);
  });
});
