import { describe, expect, it } from 'vitest';
import { checkFeel, evaluateCondition, evaluateFeel, normalizeExpression } from '../../engine/expr/index.js';

describe('expr/feel', () => {
  describe('normalizeExpression', () => {
    it('strips a leading "=" and surrounding whitespace', () => {
      expect(normalizeExpression('  = amount > 100 \n')).toBe('amount > 100');
    });

    it('leaves plain FEEL as it is, apart from outer whitespace', () => {
      expect(normalizeExpression(' priority = "high" ')).toBe('priority = "high"');
    });

    it('converts a Camunda 7 JUEL condition to FEEL', () => {
      expect(normalizeExpression("${amount > 100 && priority == 'high'}")).toBe('amount > 100 and priority = "high"');
    });
  });

  describe('evaluateFeel', () => {
    it('compares strings and numbers', () => {
      const variables = { amount: 150, priority: 'high' };
      expect(evaluateFeel('amount > 100 and priority = "high"', variables)).toEqual({
        value: true,
        error: null,
        warnings: [],
      });
    });

    it('evaluates lists, filters and built-in functions', () => {
      expect(evaluateFeel('sum(items[item > 1])', { items: [1, 2, 3] }).value).toBe(5);
      expect(evaluateFeel('count(tags) = 2 and list contains(tags, "vip")', { tags: ['vip', 'new'] }).value).toBe(true);
    });

    it('reads nested contexts by path and builds new contexts', () => {
      const variables = { customer: { address: { city: 'Lyon' } } };
      expect(evaluateFeel('customer.address.city', variables).value).toBe('Lyon');
      expect(evaluateFeel('{ city: customer.address.city, vip: false }', variables).value).toEqual({
        city: 'Lyon',
        vip: false,
      });
    });

    it('tests membership in ranges and lists with in', () => {
      expect(evaluateFeel('score in [1..10]', { score: 10 }).value).toBe(true);
      expect(evaluateFeel('score in (1..10)', { score: 10 }).value).toBe(false);
      expect(evaluateFeel('score in > 5', { score: 7 }).value).toBe(true);
      expect(evaluateFeel('channel in ["mail", "phone"]', { channel: 'phone' }).value).toBe(true);
    });

    it('yields null for a missing variable without an error, and reports a warning', () => {
      expect(evaluateFeel('amount > 100', {})).toEqual({
        value: null,
        error: null,
        warnings: ["Variable 'amount' not found at 0"],
      });
    });

    it('compares with null as FEEL does', () => {
      expect(evaluateFeel('reason = null', { reason: null }).value).toBe(true);
      expect(evaluateFeel('reason != null', { reason: 'late' }).value).toBe(true);
    });

    it('gives a zoned date and time as a UTC instant', () => {
      expect(evaluateFeel('date and time("2026-07-01T10:00:00@Europe/Paris")', {}).value).toBe(
        '2026-07-01T08:00:00.000Z',
      );
      expect(evaluateFeel('date and time("2026-01-01T10:00:00Z") + duration("PT4H")', {}).value).toBe(
        '2026-01-01T14:00:00.000Z',
      );
    });

    it('gives a date and time without a zone as its local ISO text', () => {
      expect(evaluateFeel('date and time("2026-01-01T10:00:00")', {}).value).toBe('2026-01-01T10:00:00');
    });

    it('gives dates, times and durations as ISO 8601 text', () => {
      const result = evaluateFeel(
        '{ d: date("2026-01-01"), t: time("10:30:00"), dt: duration("P1DT2H"), ym: duration("P1Y2M") }',
        {},
      );
      expect(result.value).toEqual({ d: '2026-01-01', t: '10:30:00', dt: 'P1DT2H', ym: 'P1Y2M' });
    });

    it('gives a range as a plain object', () => {
      expect(evaluateFeel('[1..5)', {}).value).toEqual({ start: 1, end: 5, startIncluded: true, endIncluded: false });
    });

    it('turns values without a JSON form into null with a warning', () => {
      const result = evaluateFeel('{ f: function(a) a + 1, n: x }', { x: Number.NaN });
      expect(result.value).toEqual({ f: null, n: null });
      expect(result.warnings).toHaveLength(2);
    });

    it('reports an exception inside feelin as an error instead of throwing', () => {
      const result = evaluateFeel('date and time("+275760-09-13T00:00:00Z") + duration("P1D")', {});
      expect(result.error).toMatch(/^evaluation failed: /);
    });

    it('keeps feelin exception messages short', () => {
      // feelin throws "unsupported range: <function source>..null" for a comparison with a function
      const { error } = evaluateFeel('< string', {});
      expect(error).toMatch(/^evaluation failed: unsupported range: /);
      expect(error?.length).toBeLessThanOrEqual(180);
    });

    it('reports a syntax error with the same message as checkFeel', () => {
      expect(evaluateFeel('priority = ', { priority: 'high' })).toEqual({
        value: null,
        error: 'unexpected end at 11',
        warnings: [],
      });
    });
  });

  describe('time', () => {
    // feelin's own now()/today() read the system clock (Temporal.Now) and take no clock argument;
    // svcflow shadows both with context functions so evaluation stays deterministic.
    it('never reads the system clock: without a clock now() yields null with a warning', () => {
      const result = evaluateFeel('now()', {});
      expect(result.value).toBeNull();
      expect(result.warnings).toEqual(['now() needs the engine clock and none was given; it yields null']);
    });

    it('answers now() and today() from the clock passed in', () => {
      const options = { now: '2026-03-01T23:30:00-02:00' };
      expect(evaluateFeel('now() + duration("PT1H")', {}, options).value).toBe('2026-03-02T02:30:00.000Z');
      expect(evaluateFeel('today()', {}, options).value).toBe('2026-03-02');
    });

    it('lets a process variable named now win over the clock function', () => {
      expect(evaluateFeel('now', { now: 'from the process' }, { now: '2026-01-01T00:00:00Z' }).value).toBe(
        'from the process',
      );
    });

    it('rejects a clock value that is not an instant', () => {
      expect(evaluateFeel('now()', {}, { now: 'yesterday' }).error).toBe(
        'clock value "yesterday" is not an ISO 8601 date-time',
      );
    });
  });

  describe('checkFeel', () => {
    it('accepts valid FEEL, with or without "="', () => {
      expect(checkFeel('amount > 100 and priority = "high"')).toBeNull();
      expect(checkFeel('= if vip then "fast" else "normal"')).toBeNull();
    });

    it('reports an unexpected end with its offset into the raw text', () => {
      expect(checkFeel('priority = ')).toBe('unexpected end at 11');
      expect(checkFeel('=priority = ')).toBe('unexpected end at 12');
      expect(checkFeel('')).toBe('unexpected end at 0');
    });

    it('reports a syntax error at the offset of the bad token', () => {
      expect(checkFeel('a +* b')).toBe('syntax error at 3');
      expect(checkFeel('= a +* b')).toBe('syntax error at 5');
      expect(checkFeel('1 2')).toBe('syntax error at 2');
    });

    it('refuses a JUEL form it cannot translate, quoting it and saying what to write instead', () => {
      expect(checkFeel('${vip ? 1 : 2}')).toBe(
        'JUEL "vip ? 1 : 2" cannot be translated to FEEL: the conditional operator `a ? b : c` is not supported; use FEEL `if a then b else c`',
      );
    });
  });

  describe('evaluateCondition', () => {
    it('takes a Camunda 7 JUEL condition as FEEL', () => {
      const condition = "${amount > 100 && priority == 'high'}";
      expect(evaluateCondition(condition, { amount: 150, priority: 'high' }).value).toBe(true);
      expect(evaluateCondition(condition, { amount: 150, priority: 'low' }).value).toBe(false);
    });

    it('is true only for FEEL true', () => {
      expect(evaluateCondition('true', {})).toEqual({ value: true, error: null, warnings: [] });
      expect(evaluateCondition('false', {}).value).toBe(false);
    });

    it('counts null as false without an error', () => {
      expect(evaluateCondition('amount > 100', {})).toMatchObject({ value: false, error: null });
    });

    it('counts a non-boolean as false and says so in a warning', () => {
      expect(evaluateCondition('"yes"', {})).toEqual({
        value: false,
        error: null,
        warnings: ['the condition yielded "yes", not a boolean; it counts as false'],
      });
    });

    it('reports a syntax error as an error', () => {
      expect(evaluateCondition('amount >', { amount: 1 })).toEqual({
        value: false,
        error: 'unexpected end at 8',
        warnings: [],
      });
    });
  });
});
