import { describe, expect, it } from 'vitest';
import { evaluateMappings, isExpression, resolveValue } from '../../engine/expr/index.js';

describe('expr/mappings', () => {
  describe('evaluateMappings', () => {
    it('writes each target with the value of its source', () => {
      const result = evaluateMappings([{ source: '=amount * 2', target: 'double' }], { amount: 21 });
      expect(result).toEqual({ values: { double: 42 }, error: null, warnings: [] });
    });

    it('lets each source see the targets computed before it', () => {
      const mappings = [
        { source: '=amount * 2', target: 'double' },
        { source: '=double + 1', target: 'next' },
      ];
      expect(evaluateMappings(mappings, { amount: 1 }).values).toEqual({ double: 2, next: 3 });
    });

    it('creates nested contexts for a dotted target', () => {
      const result = evaluateMappings([{ source: '="Ada"', target: 'customer.name.first' }], {});
      expect(result.values).toEqual({ customer: { name: { first: 'Ada' } } });
    });

    it('spreads an existing context into a dotted target without changing the variables', () => {
      // given
      const variables = { customer: { id: 7, tier: 'gold' } };
      // when
      const result = evaluateMappings([{ source: '=customer.id + 1', target: 'customer.next' }], variables);
      // then
      expect(result.values).toEqual({ customer: { id: 7, tier: 'gold', next: 8 } });
      expect(variables).toEqual({ customer: { id: 7, tier: 'gold' } });
    });

    it('merges several dotted targets into the same context', () => {
      const mappings = [
        { source: '="Ada"', target: 'customer.name' },
        { source: '=customer.name + "!"', target: 'customer.greeting' },
      ];
      expect(evaluateMappings(mappings, { customer: 'not a context' }).values).toEqual({
        customer: { name: 'Ada', greeting: 'Ada!' },
      });
    });

    it('returns a context result as a whole, ready to spread', () => {
      const result = evaluateMappings([{ source: '={ a: 1, b: [1, 2] }', target: 'data' }], {});
      expect(result.values).toEqual({ data: { a: 1, b: [1, 2] } });
    });

    it('fails as a whole, naming the target and source, when a source is not valid FEEL', () => {
      const mappings = [
        { source: '=1', target: 'ok' },
        { source: '=a +', target: 'total' },
      ];
      expect(evaluateMappings(mappings, {})).toEqual({
        values: {},
        error: 'mapping to "total" from "=a +" failed: unexpected end at 4',
        warnings: [],
      });
    });

    it('rejects empty path segments and reserved names in targets', () => {
      expect(evaluateMappings([{ source: '=1', target: 'a..b' }], {}).error).toBe(
        'mapping target "a..b" is not a variable name or dotted path',
      );
      expect(evaluateMappings([{ source: '=1', target: '__proto__.x' }], {}).error).toBe(
        'mapping target "__proto__.x" uses a reserved name',
      );
    });

    it('passes on warnings prefixed with the target', () => {
      expect(evaluateMappings([{ source: '=missing', target: 'x' }], {}).warnings).toEqual([
        'mapping to "x": Variable \'missing\' not found at 1',
      ]);
    });
  });

  describe('resolveValue', () => {
    it('returns a literal as it is', () => {
      expect(resolveValue('demo', { demo: 'no' })).toEqual({ value: 'demo', error: null, warnings: [] });
    });

    it('evaluates a value starting with "=" as FEEL', () => {
      expect(resolveValue('=assignee', { assignee: 'ada' }).value).toBe('ada');
    });

    it('evaluates a Camunda 7 ${…} value as FEEL', () => {
      expect(resolveValue("${priority == 'high'}", { priority: 'high' }).value).toBe(true);
    });

    it('keeps null as null', () => {
      expect(resolveValue(null, {})).toEqual({ value: null, error: null, warnings: [] });
    });

    it('tells expressions from literals', () => {
      expect([' =x', '${x}', '#{x}', 'x', 'PT4H', '$x'].map(isExpression)).toEqual([
        true,
        true,
        true,
        false,
        false,
        false,
      ]);
    });
  });
});
