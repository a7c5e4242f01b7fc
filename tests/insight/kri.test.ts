/** KRI evaluation: levels against thresholds in both directions, and one action per crossing, never per reading. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { actionOf, levelOf } from '../../engine/runtime/index.js';
import type { KriLevel } from '../../engine/store/index.js';

const complaintRate = { direction: 'above' as const, amber: 2, red: 5 };
const satisfaction = { direction: 'below' as const, amber: 85, red: 75 };

describe('insight/kri', () => {
  it('reads a level strictly beyond each threshold, in the KRI direction', () => {
    expect([1, 2, 2.01, 5, 5.5].map((v) => levelOf(complaintRate, v))).toEqual([
      'green',
      'green',
      'amber',
      'amber',
      'red',
    ]);
    expect([90, 85, 84, 75, 74.9].map((v) => levelOf(satisfaction, v))).toEqual([
      'green',
      'green',
      'amber',
      'amber',
      'red',
    ]);
  });

  it('notifies when amber is reached from green and starts the emergency when red is reached from anywhere else', () => {
    expect(actionOf('green', 'amber')).toBe('notified');
    expect(actionOf('green', 'red')).toBe('emergency');
    expect(actionOf('amber', 'red')).toBe('emergency');
    expect(actionOf('amber', 'amber')).toBeNull();
    expect(actionOf('red', 'red')).toBeNull();
    expect(actionOf('red', 'amber')).toBeNull();
    expect(actionOf('red', 'green')).toBeNull();
  });

  it('starts one emergency per entry into red over any sequence of readings', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 10, noNaN: true }), { maxLength: 60 }), (values) => {
        let level: KriLevel = 'green';
        let emergencies = 0;
        let entriesIntoRed = 0;
        for (const value of values) {
          const next = levelOf(complaintRate, value);
          if (actionOf(level, next) === 'emergency') emergencies += 1;
          if (next === 'red' && level !== 'red') entriesIntoRed += 1;
          level = next;
        }
        expect(emergencies).toBe(entriesIntoRed);
      }),
    );
  });
});
