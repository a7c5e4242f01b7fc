// The DMN TCK's decision-table and hit-policy cases (tests/dmn/tck/README.md): every test case of the
// copied files is evaluated and compared with the TCK's expected result.
import { readdirSync, readFileSync } from 'node:fs';
import { Parser } from 'saxen';
import { describe, expect, it } from 'vitest';
import { evaluateDecision, readDmn } from '../../engine/dmn/index.js';

const DIR = new URL('./tck/', import.meta.url);

interface TckCase {
  id: string;
  inputs: Record<string, unknown>;
  results: Array<{ name: string; expected: unknown }>;
}
interface Node {
  tag: string;
  attrs: Record<string, string>;
  children: Node[];
  text: string;
}

/** Models svcflow refuses at deploy, with the reason the TCK case would need. */
const REFUSED: Record<string, string> = {
  '0009-invocation-arithmetic.dmn': 'business knowledge models',
};

const files = readdirSync(DIR)
  .filter((f) => f.endsWith('-test-01.xml'))
  .sort();

describe('dmn/tck', () => {
  it('has the copied TCK files', () => {
    expect(files.length).toBeGreaterThanOrEqual(20);
  });

  for (const file of files) {
    const { model, cases } = readCases(readFileSync(new URL(file, DIR), 'utf8'));
    if (REFUSED[model]) {
      it(`${model} is refused: svcflow does not run ${REFUSED[model]} yet`, async () => {
        const { document, problems } = await readDmn(readFileSync(new URL(model, DIR), 'utf8'));
        expect(document).toBeNull();
        expect(problems.map((p) => p.message).join('\n')).toContain(`svcflow does not run ${REFUSED[model]} yet`);
      });
      continue;
    }
    describe(model, () => {
      for (const c of cases) {
        it(`case ${c.id}`, async () => {
          const { document, problems } = await readDmn(readFileSync(new URL(model, DIR), 'utf8'));
          expect(problems).toEqual([]);
          for (const result of c.results) {
            const decision = Object.values(document!.decisions).find((d) => d.name === result.name)!;
            const outcome = evaluateDecision(document!, decision.id, c.inputs);
            expect(outcome.ok ? null : outcome.error).toBeNull();
            if (outcome.ok) expect(normal(outcome.evaluation.value)).toEqual(normal(result.expected));
          }
        });
      }
    });
  }
});

// helpers

function readCases(xml: string): { model: string; cases: TckCase[] } {
  const root = parse(xml);
  const model = root.children.find((c) => c.tag === 'modelName')!.text.trim();
  const cases = root.children
    .filter((c) => c.tag === 'testCase')
    .map((tc) => ({
      id: tc.attrs.id,
      inputs: Object.fromEntries(
        tc.children.filter((c) => c.tag === 'inputNode').map((n) => [n.attrs.name, tckValue(n)]),
      ),
      results: tc.children
        .filter((c) => c.tag === 'resultNode')
        .map((n) => ({ name: n.attrs.name, expected: tckValue(n.children.find((c) => c.tag === 'expected')!) })),
    }));
  return { model, cases };
}

/** A TCK value node: `<value>`, `<component name>`s (a context) or `<list><item>`s. */
function tckValue(node: Node): unknown {
  const value = node.children.find((c) => c.tag === 'value');
  if (value) return scalar(value);
  const list = node.children.find((c) => c.tag === 'list');
  if (list) return list.children.filter((c) => c.tag === 'item').map(tckValue);
  const components = node.children.filter((c) => c.tag === 'component');
  if (components.length > 0) return Object.fromEntries(components.map((c) => [c.attrs.name, tckValue(c)]));
  return null;
}

function scalar(node: Node): unknown {
  if (node.attrs['xsi:nil'] === 'true') return null;
  switch (node.attrs['xsi:type']) {
    case 'xsd:decimal':
      return Number(node.text);
    case 'xsd:boolean':
      return node.text.trim() === 'true';
    default:
      return node.text;
  }
}

function parse(xml: string): Node {
  const root: Node = { tag: '#root', attrs: {}, children: [], text: '' };
  const stack = [root];
  // saxen's own signature (engine/bpmn declares only the slice it uses)
  const parser = new Parser() as unknown as {
    on(event: string, handler: (...args: never[]) => void): typeof parser;
    parse(xml: string): void;
  };
  parser
    .on('openTag', (tag: string, attrs: () => Record<string, string>, _decode: unknown, selfClosing: boolean) => {
      const node: Node = { tag, attrs: attrs(), children: [], text: '' };
      stack.at(-1)!.children.push(node);
      if (!selfClosing) stack.push(node);
    })
    .on('closeTag', () => void stack.pop())
    .on('text', (text: string, decode: (s: string) => string) => {
      stack.at(-1)!.text += decode(text);
    })
    .parse(xml);
  return root.children[0];
}

/** Numbers compared to 10 digits (the TCK writes decimals). */
function normal(value: unknown): unknown {
  if (typeof value === 'number') return Number(value.toPrecision(10));
  if (Array.isArray(value)) return value.map(normal);
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, normal(v)]));
  return value;
}
