import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDuration, checkFeel, computeTimer, evaluateFeel, nextCycleDue } from '../../engine/expr/index.js';

const instant = fc
  .date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date('2100-12-31T23:59:59Z'), noInvalidDate: true })
  .map((date) => date.toISOString());

const duration = fc
  .record(
    {
      Y: fc.nat(50),
      M: fc.nat(30),
      W: fc.nat(10),
      D: fc.nat(400),
      H: fc.nat(100),
      m: fc.nat(1000),
      S: fc.nat(100000),
    },
    { requiredKeys: [] },
  )
  .filter((parts) => Object.keys(parts).length > 0)
  .map(({ Y, M, W, D, H, m, S }) => {
    const date =
      `${Y === undefined ? '' : `${Y}Y`}${M === undefined ? '' : `${M}M`}` +
      `${W === undefined ? '' : `${W}W`}${D === undefined ? '' : `${D}D`}`;
    const time = `${H === undefined ? '' : `${H}H`}${m === undefined ? '' : `${m}M`}${S === undefined ? '' : `${S}S`}`;
    return `P${date}${time === '' ? '' : `T${time}`}`;
  });

const FEEL_TOKENS = [
  'a',
  'b.c',
  '1',
  '2.5',
  '"x"',
  'null',
  'true',
  '+',
  '-',
  '*',
  '=',
  '!=',
  '<',
  '>=',
  '(',
  ')',
  '[',
  ']',
  '..',
  '{',
  '}',
  ':',
  ',',
  'and',
  'or',
  'not(',
  'if',
  'then',
  'else',
  'in',
  'for',
  'return',
  'some',
  'satisfies',
  'date("2026-01-01")',
  'duration("PT1H")',
  'now()',
  '${',
  '&&',
  '==',
  '!',
  "'s'",
  '=',
  ' ',
  '?',
  '@"PT1H"',
];
const feelish = fc.array(fc.constantFrom(...FEEL_TOKENS), { maxLength: 12 }).map((tokens) => tokens.join(' '));
const anyText = fc.oneof(fc.string({ maxLength: 40 }), fc.string({ unit: 'binary', maxLength: 20 }), feelish);

describe('expr/properties', () => {
  it('adding a duration never moves an instant backwards and keeps instants in order', () => {
    fc.assert(
      fc.property(instant, instant, duration, (t1, t2, d) => {
        const [early, late] = t1 <= t2 ? [t1, t2] : [t2, t1];
        expect(addDuration(early, d) >= early).toBe(true);
        expect(addDuration(early, d) <= addDuration(late, d)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('evaluateFeel never throws and always answers with JSON-able data', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const result = evaluateFeel(text, { a: 1, b: { c: 'x' } });
        expect(JSON.parse(JSON.stringify(result))).toEqual(result);
      }),
      { numRuns: 400 },
    );
  });

  it('checkFeel reports exactly the syntax errors evaluateFeel meets', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const syntax = checkFeel(text);
        const { error } = evaluateFeel(text, {}, { now: '2026-01-01T00:00:00Z' });
        if (syntax === null) {
          expect(error === null || error.startsWith('evaluation failed')).toBe(true);
        } else {
          expect(error).toBe(syntax);
        }
      }),
      { numRuns: 400 },
    );
  });

  it('a cycle of n repetitions fires exactly n times, one interval apart', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 30 }), instant, (n, now) => {
        const first = computeTimer({ type: 'cycle', value: `R${n}/PT15M` }, {}, now);
        if ('error' in first || first.repeat === null) throw new Error('expected a cycle');
        const dues = [first.due];
        for (
          let next = nextCycleDue(first.due, first.repeat);
          next !== null;
          next = nextCycleDue(next.due, next.repeat)
        ) {
          dues.push(next.due);
        }
        expect(dues).toHaveLength(n);
        expect(Date.parse(dues[n - 1]) - Date.parse(now)).toBe(n * 15 * 60_000);
      }),
      { numRuns: 100 },
    );
  });

  it('evaluation is deterministic for the same expression, variables and clock', () => {
    fc.assert(
      fc.property(feelish, (text) => {
        const options = { now: '2026-05-05T05:05:05Z' };
        expect(evaluateFeel(text, { a: 2 }, options)).toEqual(evaluateFeel(text, { a: 2 }, options));
      }),
      { numRuns: 200 },
    );
  });
});
