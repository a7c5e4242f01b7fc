import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadBpmn, readBpmn } from '../../engine/bpmn/index.js';
import { fixture } from './fixtures.js';

const VALID = ['camunda7-complaint.bpmn', 'camunda8-callback.bpmn', 'bpmnio-collaboration.bpmn'].map(fixture);

/** One edit to a document: delete, duplicate or replace a slice, or insert markup-ish noise. */
const mutation = fc.record({
  at: fc.nat(),
  length: fc.nat({ max: 40 }),
  kind: fc.constantFrom('delete', 'duplicate', 'insert'),
  noise: fc.oneof(
    fc.string({ maxLength: 20 }),
    fc.constantFrom('<', '>', '"', '/>', '</bpmn:task>', '<bpmn:process id="x">', '&', ']]>', 'id="S"', '='),
  ),
});

interface Edit {
  at: number;
  length: number;
  kind: string;
  noise: string;
}

function mutate(xml: string, edits: Edit[]): string {
  return edits.reduce((text, { at, length, kind, noise }) => {
    const start = at % (text.length + 1);
    const slice = text.slice(start, start + length);
    if (kind === 'delete') return text.slice(0, start) + text.slice(start + length);
    if (kind === 'duplicate') return text.slice(0, start) + slice + slice + text.slice(start + length);
    return text.slice(0, start) + noise + text.slice(start);
  }, xml);
}

describe('bpmn/read: never throws', () => {
  it('returns a result for arbitrary strings', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 300 }), async (text) => {
        const result = await readBpmn(text);
        expect(Array.isArray(result.problems)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('returns a result, and problems when there is no document, for randomly mutated valid diagrams', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...VALID),
        fc.array(mutation, { minLength: 1, maxLength: 4 }),
        async (xml, edits) => {
          const result = await loadBpmn(mutate(xml, edits), { checkExpression: () => null });
          if (!result.document) expect(result.problems.length).toBeGreaterThan(0);
          for (const problem of result.problems) expect(problem.message).toMatch(/\S/);
        },
      ),
      { numRuns: 200 },
    );
  });
});
