/**
 * Random valid BPMN models for differential tests: a forward graph of tasks and exclusive, parallel
 * and inclusive gateways (implicit splits on tasks included), loops whose back edges pass a counter
 * so every run ends, and end or terminate end events. One abstract model is written twice: with FEEL
 * for svcflow and with JavaScript conditions and scripts for bpmn-engine.
 */
import fc from 'fast-check';

export type NodeKind = 'start' | 'end' | 'terminate' | 'task' | 'xor' | 'and' | 'or' | 'counter';

export interface AbstractNode {
  id: string;
  kind: NodeKind;
}
/** `cond`: x > value; `loop`: the loop counter of `counter` is below 2; `else`: the default flow. */
export interface AbstractFlow {
  id: string;
  from: string;
  to: string;
  guard: { kind: 'x'; value: number } | { kind: 'loop'; counter: string } | { kind: 'else' } | null;
}
export interface AbstractModel {
  nodes: AbstractNode[];
  flows: AbstractFlow[];
  x: number;
}

interface Draw {
  size: number;
  kinds: Array<'task' | 'xor' | 'and' | 'or' | 'fork'>;
  parents: number[];
  extra: Array<[number, number]>;
  thresholds: number[];
  loops: Array<[number, number]>;
  terminate: boolean;
  x: number;
}

/** fast-check arbitrary of abstract models with 3–10 inner nodes. */
export const abstractModel: fc.Arbitrary<AbstractModel> = fc
  .integer({ min: 3, max: 10 })
  .chain((size) =>
    fc.record({
      size: fc.constant(size),
      kinds: fc.array(
        fc.constantFrom<'task' | 'xor' | 'and' | 'or' | 'fork'>('task', 'task', 'xor', 'and', 'or', 'fork'),
        { minLength: size, maxLength: size },
      ),
      parents: fc.array(fc.nat(), { minLength: size, maxLength: size }),
      extra: fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: size }),
      thresholds: fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 3 * size + 10, maxLength: 3 * size + 10 }),
      loops: fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 2 }),
      terminate: fc.boolean(),
      x: fc.integer({ min: 0, max: 3 }),
    }),
  )
  .map(build);

/** The model for svcflow: FEEL conditions, FEEL scripts. */
export function svcflowXml(m: AbstractModel): string {
  return document(
    m,
    (f) => {
      if (!f.guard || f.guard.kind === 'else') return '';
      return condition(f.guard.kind === 'x' ? `=x > ${f.guard.value}` : `=${counterVar(f.guard.counter)} < 2`);
    },
    (n) =>
      `<bpmn:scriptTask id="${n.id}"><bpmn:extensionElements><zeebe:script expression="${counterVar(n.id)} + 1" resultVariable="${counterVar(n.id)}" /></bpmn:extensionElements></bpmn:scriptTask>`,
  );
}

/** The same model for bpmn-engine: JavaScript conditions and scripts. */
export function bpmnEngineXml(m: AbstractModel): string {
  return document(
    m,
    (f) => {
      if (!f.guard || f.guard.kind === 'else') return '';
      const test =
        f.guard.kind === 'x'
          ? `environment.variables.x > ${f.guard.value}`
          : `environment.variables.${counterVar(f.guard.counter)} < 2`;
      return condition(`next(null, ${test})`, 'javascript');
    },
    (n) =>
      `<bpmn:scriptTask id="${n.id}" scriptFormat="javascript"><bpmn:script>environment.variables.${counterVar(n.id)} = (environment.variables.${counterVar(n.id)} || 0) + 1; next();</bpmn:script></bpmn:scriptTask>`,
  );
}

/** The initial variables: x and every loop counter at 0. */
export function variablesOf(m: AbstractModel): Record<string, number> {
  return Object.fromEntries([
    ['x', m.x],
    ...m.nodes.filter((n) => n.kind === 'counter').map((n) => [counterVar(n.id), 0]),
  ]);
}

// helpers

function counterVar(id: string): string {
  return `c_${id}`;
}

function build(d: Draw): AbstractModel {
  const inner: AbstractNode[] = d.kinds.map((k, i) => ({ id: `N${i}`, kind: k === 'fork' ? 'task' : k }));
  const forks = new Set(d.kinds.map((k, i) => (k === 'fork' ? i : -1)).filter((i) => i >= 0));
  const nodes: AbstractNode[] = [{ id: 'S', kind: 'start' }, ...inner];
  const edges: Array<[string, string]> = [['S', 'N0']];
  for (let i = 1; i < d.size; i++) edges.push([`N${d.parents[i] % i}`, `N${i}`]);
  for (const [a, b] of d.extra) {
    const from = a % d.size;
    const to = from + 1 + (b % Math.max(1, d.size - from));
    if (to < d.size) edges.push([`N${from}`, `N${to}`]);
  }
  // every inner node needs an outgoing flow, splits at least two
  let ends = 0;
  const endFor = () => {
    const id = `E${ends++}`;
    nodes.push({ id, kind: d.terminate && ends === 1 ? 'terminate' : 'end' });
    return id;
  };
  inner.forEach((n, i) => {
    const out = edges.filter(([f]) => f === n.id).length;
    const wants = n.kind === 'task' ? (forks.has(i) ? 2 : 1) : 2;
    for (let k = out; k < wants; k++) edges.push([n.id, endFor()]);
  });
  const unique = dedupe(edges);
  const flows = unique.map(([from, to], i) => ({
    id: `F${i}_${from}_${to}`,
    from,
    to,
    guard: null as AbstractFlow['guard'],
  }));
  addLoops(d, nodes, flows);
  fixGateways(nodes, flows);
  guardSplits(d, nodes, flows);
  return { nodes, flows, x: d.x };
}

function dedupe(edges: Array<[string, string]>): Array<[string, string]> {
  const seen = new Set<string>();
  return edges.filter(([a, b]) => !seen.has(`${a}>${b}`) && seen.add(`${a}>${b}`) !== undefined);
}

/** A back edge: the flow from→to is cut by a counter script and an exclusive gateway that may go back to `back`. */
function addLoops(d: Draw, nodes: AbstractNode[], flows: AbstractFlow[]): void {
  d.loops.forEach(([a, b], k) => {
    const candidates = flows.filter((f) => f.from.startsWith('N'));
    const cut = candidates[a % candidates.length];
    const fromIndex = Number(cut.from.slice(1));
    const back = `N${b % (fromIndex + 1)}`;
    const counter = `C${k}`;
    const decide = `L${k}`;
    nodes.push({ id: counter, kind: 'counter' }, { id: decide, kind: 'xor' });
    const to = cut.to;
    cut.to = counter;
    cut.id = `${cut.id}_cut`;
    flows.push(
      { id: `F_${counter}_${decide}`, from: counter, to: decide, guard: null },
      { id: `F_${decide}_back`, from: decide, to: back, guard: { kind: 'loop', counter } },
      { id: `F_${decide}_on`, from: decide, to, guard: { kind: 'else' } },
    );
  });
}

/** A gateway with one incoming and one outgoing flow is a plain task. */
function fixGateways(nodes: AbstractNode[], flows: AbstractFlow[]): void {
  for (const n of nodes) {
    if (n.kind !== 'xor' && n.kind !== 'and' && n.kind !== 'or') continue;
    const ins = flows.filter((f) => f.to === n.id).length;
    const outs = flows.filter((f) => f.from === n.id).length;
    if (ins <= 1 && outs <= 1) n.kind = 'task';
  }
}

/** Exclusive and inclusive splits get `x > k` conditions and a default; tasks with several flows fork unconditionally, or conditionally when odd. */
function guardSplits(d: Draw, nodes: AbstractNode[], flows: AbstractFlow[]): void {
  let t = 0;
  for (const n of nodes) {
    const outs = flows.filter((f) => f.from === n.id);
    if (outs.length < 2 || outs.some((f) => f.guard)) continue;
    const conditional =
      n.kind === 'xor' || n.kind === 'or' || (n.kind === 'task' && d.thresholds[t % d.thresholds.length] % 2 === 1);
    if (!conditional) continue;
    outs.forEach((f, i) => {
      f.guard =
        i === outs.length - 1 ? { kind: 'else' } : { kind: 'x', value: d.thresholds[t++ % d.thresholds.length] };
    });
  }
}

const NS =
  'xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"';

function condition(body: string, language?: string): string {
  return `<bpmn:conditionExpression xsi:type="bpmn:tFormalExpression"${language ? ` language="${language}"` : ''}>${body.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')}</bpmn:conditionExpression>`;
}

function document(m: AbstractModel, cond: (f: AbstractFlow) => string, script: (n: AbstractNode) => string): string {
  const defaults = new Map(m.flows.filter((f) => f.guard?.kind === 'else').map((f) => [f.from, f.id]));
  const element = (n: AbstractNode): string => {
    const def = defaults.has(n.id) ? ` default="${defaults.get(n.id)}"` : '';
    switch (n.kind) {
      case 'start':
        return `<bpmn:startEvent id="${n.id}" />`;
      case 'end':
        return `<bpmn:endEvent id="${n.id}" />`;
      case 'terminate':
        return `<bpmn:endEvent id="${n.id}"><bpmn:terminateEventDefinition /></bpmn:endEvent>`;
      case 'task':
        return `<bpmn:task id="${n.id}"${def} />`;
      case 'counter':
        return script(n);
      case 'xor':
        return `<bpmn:exclusiveGateway id="${n.id}"${def} />`;
      case 'and':
        return `<bpmn:parallelGateway id="${n.id}" />`;
      case 'or':
        return `<bpmn:inclusiveGateway id="${n.id}"${def} />`;
    }
  };
  const flows = m.flows.map(
    (f) => `<bpmn:sequenceFlow id="${f.id}" sourceRef="${f.from}" targetRef="${f.to}">${cond(f)}</bpmn:sequenceFlow>`,
  );
  return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions ${NS} id="Definitions_random" targetNamespace="https://svcflow.dev/test">
  <bpmn:process id="Random" isExecutable="true">
    ${[...m.nodes.map(element), ...flows].join('\n    ')}
  </bpmn:process>
</bpmn:definitions>`;
}
