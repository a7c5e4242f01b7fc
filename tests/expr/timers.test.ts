import { describe, expect, it } from 'vitest';
import { computeTimer, nextCycleDue, type TimerDefinition } from '../../engine/expr/index.js';

const NOW = '2026-01-01T08:00:00.000Z';

function timer(type: TimerDefinition['type'], value: string, variables: Record<string, unknown> = {}) {
  return computeTimer({ type, value }, variables, NOW);
}

describe('expr/timers', () => {
  describe('duration', () => {
    it('is due one duration after now', () => {
      expect(timer('duration', 'PT4H')).toEqual({ due: '2026-01-01T12:00:00.000Z', repeat: null });
      expect(timer('duration', ' P1DT2H\n')).toEqual({ due: '2026-01-02T10:00:00.000Z', repeat: null });
    });

    it('takes the duration from a FEEL string or a FEEL duration', () => {
      expect(timer('duration', '=delay', { delay: 'PT10M' })).toEqual({
        due: '2026-01-01T08:10:00.000Z',
        repeat: null,
      });
      expect(timer('duration', '=duration("PT1H") + duration("PT1H")')).toEqual({
        due: '2026-01-01T10:00:00.000Z',
        repeat: null,
      });
    });

    it('names the value when it is not a duration', () => {
      expect(timer('duration', 'PT')).toEqual({ error: 'timer value "PT" is not an ISO 8601 duration' });
      expect(timer('duration', '-PT1H')).toEqual({
        error: 'timer value "-PT1H" is negative; durations must not be negative',
      });
      expect(timer('duration', '=delay', { delay: '4 hours' })).toEqual({
        error: 'timer value "4 hours" is not an ISO 8601 duration (from "=delay")',
      });
    });

    it('says why a FEEL value yielded nothing', () => {
      expect(timer('duration', '=delay')).toEqual({
        error: 'timer value "=delay" yielded null, not an ISO 8601 duration (Variable \'delay\' not found at 1)',
      });
    });

    it('reports a FEEL syntax error', () => {
      expect(timer('duration', '=duration(')).toEqual({
        error: 'timer value "=duration(" cannot be evaluated: unexpected end at 10',
      });
    });

    it('reports a due date beyond the representable range', () => {
      expect(timer('duration', 'P99999999Y')).toEqual({
        error: 'timer value "P99999999Y" gives a due date out of range',
      });
    });
  });

  describe('date', () => {
    it('is due at an ISO date-time with offset or Z', () => {
      expect(timer('date', '2026-12-01T09:00:00+01:00')).toEqual({ due: '2026-12-01T08:00:00.000Z', repeat: null });
      expect(timer('date', '2026-12-01T09:00:00Z')).toEqual({ due: '2026-12-01T09:00:00.000Z', repeat: null });
    });

    it('takes a local date-time as UTC and a date as midnight UTC', () => {
      expect(timer('date', '2026-12-01T09:00:00')).toEqual({ due: '2026-12-01T09:00:00.000Z', repeat: null });
      expect(timer('date', '2026-12-01')).toEqual({ due: '2026-12-01T00:00:00.000Z', repeat: null });
    });

    it('takes FEEL dates, including ones computed from the clock', () => {
      expect(timer('date', '=date and time("2026-07-01T10:00:00@Europe/Paris")')).toEqual({
        due: '2026-07-01T08:00:00.000Z',
        repeat: null,
      });
      expect(timer('date', '=now() + duration("P1D")')).toEqual({ due: '2026-01-02T08:00:00.000Z', repeat: null });
      expect(timer('date', '=deadline', { deadline: '2026-02-01' })).toEqual({
        due: '2026-02-01T00:00:00.000Z',
        repeat: null,
      });
    });

    it('keeps a date in the past, so the timer fires at once', () => {
      expect(timer('date', '2020-01-01T00:00:00Z')).toEqual({ due: '2020-01-01T00:00:00.000Z', repeat: null });
    });

    it('names the value when it is not a date-time', () => {
      expect(timer('date', '10:00')).toEqual({ error: 'timer value "10:00" is not an ISO 8601 date-time' });
      expect(timer('date', '=42')).toEqual({ error: 'timer value "=42" yielded 42, not an ISO 8601 date-time' });
    });
  });

  describe('cycle', () => {
    it('is first due one interval after now and counts the repetitions left', () => {
      expect(timer('cycle', 'R3/PT10M')).toEqual({
        due: '2026-01-01T08:10:00.000Z',
        repeat: { remaining: 2, interval: 'PT10M' },
      });
    });

    it('repeats without end when no count is given', () => {
      expect(timer('cycle', 'R/PT1H')).toEqual({
        due: '2026-01-01T09:00:00.000Z',
        repeat: { remaining: null, interval: 'PT1H' },
      });
    });

    it('is first due at the start date when one is given', () => {
      expect(timer('cycle', 'R2/2026-12-01T09:00:00Z/PT1H')).toEqual({
        due: '2026-12-01T09:00:00.000Z',
        repeat: { remaining: 1, interval: 'PT1H' },
      });
    });

    it('counts down to the last firing, then stops', () => {
      // given
      const first = timer('cycle', 'R3/PT10M');
      if ('error' in first || first.repeat === null) throw new Error('expected a cycle');
      // when
      const second = nextCycleDue(first.due, first.repeat);
      const third = second && nextCycleDue(second.due, second.repeat);
      // then
      expect(second).toEqual({ due: '2026-01-01T08:20:00.000Z', repeat: { remaining: 1, interval: 'PT10M' } });
      expect(third).toEqual({ due: '2026-01-01T08:30:00.000Z', repeat: { remaining: 0, interval: 'PT10M' } });
      expect(third && nextCycleDue(third.due, third.repeat)).toBeNull();
    });

    it('fires once for R1', () => {
      const only = timer('cycle', 'R1/PT5M');
      expect(only).toEqual({ due: '2026-01-01T08:05:00.000Z', repeat: { remaining: 0, interval: 'PT5M' } });
      expect(nextCycleDue('2026-01-01T08:05:00.000Z', { remaining: 0, interval: 'PT5M' })).toBeNull();
    });

    // issue #12: Camunda 7's Quartz cron form, read in the installation's zone (the default calendar's)
    it('reads a cron cycle in the zone it is given and repeats it without end', () => {
      const cron = computeTimer({ type: 'cycle', value: '0 0 9 * * ?' }, {}, NOW, 'Asia/Shanghai');
      const repeat = { remaining: null, interval: '0 0 9 * * ?', cron: '0 0 9 * * ?', zone: 'Asia/Shanghai' };
      expect(cron).toEqual({ due: '2026-01-02T01:00:00.000Z', repeat });
      expect(nextCycleDue('2026-01-02T01:00:00.000Z', repeat)).toEqual({ due: '2026-01-03T01:00:00.000Z', repeat });
      expect(computeTimer({ type: 'cycle', value: '30 8 * * 1-5' }, {}, NOW, 'Asia/Shanghai')).toMatchObject({
        due: '2026-01-02T00:30:00.000Z',
      });
    });

    it('reads a cron cycle in UTC when no zone is given, and in another zone when that is given', () => {
      expect(timer('cycle', '0 0 9 * * ?')).toMatchObject({ due: '2026-01-01T09:00:00.000Z', repeat: { zone: 'UTC' } });
      expect(computeTimer({ type: 'cycle', value: '0 0 10 * * ?' }, {}, NOW, 'Europe/Berlin')).toMatchObject({
        due: '2026-01-01T09:00:00.000Z',
        repeat: { zone: 'Europe/Berlin' },
      });
    });

    it('never runs out when unbounded', () => {
      expect(nextCycleDue('2026-01-01T09:00:00.000Z', { remaining: null, interval: 'PT1H' })).toEqual({
        due: '2026-01-01T10:00:00.000Z',
        repeat: { remaining: null, interval: 'PT1H' },
      });
    });

    it.each([
      [
        '0 0 9 * * ? 2027',
        'timer value "0 0 9 * * ? 2027" has a year field; cron cycles take 5 or 6 fields (seconds first)',
      ],
      ['PT1H', 'timer value "PT1H" is not an ISO 8601 repeating interval (R<n>/<duration> or R<n>/<start>/<duration>)'],
      ['R0/PT1H', 'timer value "R0/PT1H" must repeat at least once and at most 9007199254740991 times'],
      ['R/PT0S', 'timer value "R/PT0S" has a zero interval'],
      [
        'R3/PT',
        'timer value "R3/PT" has an interval that is not an ISO 8601 duration; only R<n>/<duration> and R<n>/<start>/<duration> are supported',
      ],
      [
        'R/PT1H/2026-12-01T09:00:00Z',
        'timer value "R/PT1H/2026-12-01T09:00:00Z" has an interval that is not an ISO 8601 duration; only R<n>/<duration> and R<n>/<start>/<duration> are supported',
      ],
      ['R2/tomorrow/PT1H', 'timer value "R2/tomorrow/PT1H" has a start that is not an ISO 8601 date-time'],
    ])('rejects %s', (value, error) => {
      expect(timer('cycle', value)).toEqual({ error });
    });
  });

  it('rejects a now that is not an instant', () => {
    expect(computeTimer({ type: 'duration', value: 'PT1H' }, {}, 'now')).toEqual({
      error: 'now "now" is not an ISO 8601 date-time',
    });
  });
});
