import { describe, expect, it } from 'vitest';
import {
  addDuration,
  durationToMillis,
  parseIsoDateTime,
  parseIsoDuration,
  toInstant,
} from '../../engine/expr/index.js';

const HOUR = 3_600_000;

describe('expr/iso-duration', () => {
  describe('parseIsoDuration', () => {
    it.each([
      ['PT4H', 4 * HOUR],
      ['P3D', 72 * HOUR],
      ['P1DT2H', 26 * HOUR],
      ['P2W', 14 * 24 * HOUR],
      ['PT0.5S', 500],
      ['PT1.5H', 1.5 * HOUR],
      ['PT0S', 0],
      [' pt10m ', 600_000],
    ])('accepts %s', (text, millis) => {
      const parsed = parseIsoDuration(text);
      expect('duration' in parsed && parsed.duration.toMillis()).toBe(millis);
    });

    it.each([
      ['PT', '"PT" is not an ISO 8601 duration'],
      ['P', '"P" is not an ISO 8601 duration'],
      ['P1DT', '"P1DT" is not an ISO 8601 duration'],
      ['4h', '"4h" is not an ISO 8601 duration'],
      ['', '"" is not an ISO 8601 duration'],
      ['-PT1H', '"-PT1H" is negative; durations must not be negative'],
      ['PT-1H', '"PT-1H" is negative; durations must not be negative'],
      ['P1.5M', '"P1.5M" has fractional years or months; use whole units'],
      ['PT1.5H30M', '"PT1.5H30M" has a fraction before its last unit; only the smallest unit may have one'],
      [`PT${'9'.repeat(400)}S`, `"PT${'9'.repeat(400)}S" is out of range`],
    ])('rejects %s', (text, error) => {
      expect(parseIsoDuration(text)).toEqual({ error });
    });
  });

  describe('addDuration', () => {
    it('adds time units to an instant and answers in canonical UTC form', () => {
      expect(addDuration('2026-01-01T10:00:00+02:00', 'PT4H')).toBe('2026-01-01T12:00:00.000Z');
    });

    it('counts a day as 24 hours, also across a daylight-saving change in Europe', () => {
      expect(addDuration('2026-03-28T12:00:00Z', 'P1D')).toBe('2026-03-29T12:00:00.000Z');
    });

    it('adds months on the calendar, clamping to the last day of a shorter month', () => {
      expect(addDuration('2026-01-31T09:00:00Z', 'P1M')).toBe('2026-02-28T09:00:00.000Z');
      expect(addDuration('2028-01-31T09:00:00Z', 'P1M')).toBe('2028-02-29T09:00:00.000Z');
    });

    it('adds weeks', () => {
      expect(addDuration('2026-01-01T00:00:00Z', 'P2W')).toBe('2026-01-15T00:00:00.000Z');
    });

    it('throws a RangeError naming the bad input', () => {
      expect(() => addDuration('soon', 'PT1H')).toThrow(new RangeError('"soon" is not an ISO 8601 date-time'));
      expect(() => addDuration('2026-01-01T00:00:00Z', 'PT')).toThrow('"PT" is not an ISO 8601 duration');
    });
  });

  describe('durationToMillis', () => {
    it('measures days as 24 hours and months casually as 30 days', () => {
      expect(durationToMillis('P1DT1H')).toBe(25 * HOUR);
      expect(durationToMillis('P1M')).toBe(30 * 24 * HOUR);
    });
  });

  describe('parseIsoDateTime', () => {
    it('takes a date-time without offset as UTC and a date alone as midnight UTC', () => {
      expect(toInstant('2026-12-01T09:00:00')).toBe('2026-12-01T09:00:00.000Z');
      expect(toInstant('2026-12-01T09:00')).toBe('2026-12-01T09:00:00.000Z');
      expect(toInstant('2026-12-01')).toBe('2026-12-01T00:00:00.000Z');
    });

    it('applies an offset', () => {
      expect(toInstant('2026-12-01T09:00:00.250+05:30')).toBe('2026-12-01T03:30:00.250Z');
    });

    it('rejects forms that would need a clock or are not calendar dates', () => {
      expect(parseIsoDateTime('10:00')).toEqual({ error: '"10:00" is not an ISO 8601 date-time' });
      expect(parseIsoDateTime('2026-W01')).toEqual({ error: '"2026-W01" is not an ISO 8601 date-time' });
      expect(parseIsoDateTime('2026-02-30')).toEqual({
        error: '"2026-02-30" is not a valid date-time (unit out of range)',
      });
    });
  });
});
