import { describe, expect, it } from 'vitest';
import { seedCalendars } from '../../engine/runtime/calendar/calendar-seeds.js';

describe('runtime/calendar-seeds', () => {
  it('the default calendar knows the 2026 National Day holidays and the weekend days worked in lieu', () => {
    const [mainland] = seedCalendars('Asia/Shanghai');
    expect(mainland.holidays.filter((day) => day.startsWith('2026-10'))).toEqual([
      '2026-10-01',
      '2026-10-02',
      '2026-10-03',
      '2026-10-04',
      '2026-10-05',
      '2026-10-06',
      '2026-10-07',
    ]);
    expect(mainland.extraWorkingDays.filter((day) => day.startsWith('2026'))).toEqual([
      '2026-01-04',
      '2026-02-14',
      '2026-02-28',
      '2026-05-09',
      '2026-09-20',
      '2026-10-10',
    ]);
  });
});
