/**
 * Compile benchmark: a generated 1,000-node model through read → validate → compile, each stage
 * timed on its own, and the per-version machine cache of the definition registry.
 */
import { readBpmn, validateModel } from '../engine/bpmn/index.js';
import { compileBpmn, compileProcess, processMachine, type CompiledProcess } from '../engine/compile/index.js';
import { checkFeel } from '../engine/expr/index.js';
import { Engine } from '../engine/runtime/index.js';
import { elementMix, largeProcessXml, largeUnstructuredXml } from './models.js';
import type { BenchResult } from './report.js';
import { tempStore } from './sqlite.js';
import { round, sample, summarise, timed, type Summary } from './stats.js';

export interface CompileOptions {
  nodes: number;
  runs: number;
  warmup: number;
}

const TARGET_MS = 100;

/** Times each compile stage over `runs` runs after `warmup`, then the registry's first and second load. */
export async function benchCompile(options: CompileOptions): Promise<BenchResult> {
  const { xml, nodes } = largeProcessXml(options.nodes);
  const document = (await readBpmn(xml)).document;
  if (!document) throw new Error('the generated model does not read');
  const model = document.processes[0];
  const compiled = await compiledOrThrow(xml);
  const measure = async (fn: () => unknown): Promise<Stage> => {
    const { wall, cpu } = await sample(fn, options.runs, options.warmup);
    return { ...summarise(wall), cpuMedian: summarise(cpu).median };
  };
  const stages: Record<string, Stage> = {
    'compileBpmn(xml) total': await measure(() => compileBpmn(xml)),
    'readBpmn (moddle parse + IR)': await measure(() => readBpmn(xml)),
    'validateModel (incl. FEEL checks)': await measure(() => validateModel(document, { checkExpression: checkFeel })),
    'compileProcess(model)': await measure(() => compileProcess(model)),
    'processMachine(compiled)': await measure(() => processMachine(compiled)),
  };
  const unstructured = largeUnstructuredXml(options.nodes);
  await compiledOrThrow(unstructured.xml);
  stages[`compileBpmn(xml) total, unstructured ${unstructured.nodes}-node model`] = await measure(() =>
    compileBpmn(unstructured.xml),
  );
  const cache = await measureCache(xml);
  return report({ nodes, bytes: xml.length, mix: elementMix(xml) }, stages, cache, options);
}

// helpers

type Stage = Summary & { cpuMedian: number };

interface CacheFigures {
  deployMs: number;
  firstLoadMs: number;
  secondLoadMs: number;
}

async function compiledOrThrow(xml: string): Promise<CompiledProcess> {
  const { processes, problems } = await compileBpmn(xml);
  if (problems.length > 0)
    throw new Error(`the generated model has ${problems.length} problem(s); first: ${problems[0].message}`);
  return processes[0];
}

// A second engine on the same store starts with an empty cache, so its first load compiles from the stored XML.
async function measureCache(xml: string): Promise<CacheFigures> {
  const bench = await tempStore('compile');
  try {
    const deployed = await timed(() => new Engine({ store: bench.store }).deploy(xml));
    const fresh = new Engine({ store: bench.store });
    const id = deployed.value[0].id;
    const first = await timed(() => fresh.definitions.load(id));
    const second = await timed(() => fresh.definitions.load(id));
    return { deployMs: deployed.ms, firstLoadMs: first.ms, secondLoadMs: second.ms };
  } finally {
    await bench.close();
  }
}

function report(
  model: { nodes: number; bytes: number; mix: Record<string, number> },
  stages: Record<string, Stage>,
  cache: CacheFigures,
  options: CompileOptions,
): BenchResult {
  const { nodes, bytes, mix } = model;
  const total = stages['compileBpmn(xml) total'];
  const rows = Object.entries(stages).map(([name, s]) => [
    name,
    ms(s.median),
    ms(s.p90),
    ms(s.min),
    ms(s.max),
    ms(s.cpuMedian),
  ]);
  return {
    name: 'compile',
    tables: [
      {
        title: `Compile a generated ${nodes}-node model (${round(bytes / 1024, 0)} KB XML; ${options.runs} runs after ${options.warmup} warm-up)`,
        head: ['stage', 'median ms', 'p90 ms', 'min ms', 'max ms', 'CPU median ms'],
        rows,
      },
      {
        title: 'Compiled machines are cached per definition version (Engine.definitions.load)',
        head: ['call', 'ms'],
        rows: [
          ['deploy (compile + insert)', ms(cache.deployMs)],
          ['load #1 on a fresh engine (compiles)', ms(cache.firstLoadMs)],
          ['load #2 (cached)', ms(cache.secondLoadMs, 4)],
        ],
      },
    ],
    notes: [
      `model mix: ${Object.entries(mix)
        .map(([type, n]) => `${n} ${type}`)
        .join(', ')}`,
      'CPU time includes V8 GC helper threads; on a shared machine min and CPU median show the cost better than the wall median',
    ],
    checks: [
      { name: `compileBpmn median < ${TARGET_MS} ms`, ok: total.median < TARGET_MS, figure: `${ms(total.median)} ms` },
      ...Object.entries(stages)
        .filter(([name]) => name.includes('unstructured'))
        .map(([name, s]) => ({
          name: `${name} median < ${TARGET_MS} ms`,
          ok: s.median < TARGET_MS,
          figure: `${ms(s.median)} ms`,
        })),
    ],
    json: {
      nodes,
      xmlBytes: bytes,
      mix,
      runs: options.runs,
      stages: Object.fromEntries(
        Object.entries(stages).map(([name, s]) => [
          name,
          { median: ms(s.median), p90: ms(s.p90), min: ms(s.min), cpuMedian: ms(s.cpuMedian) },
        ]),
      ),
      cache: {
        deployMs: ms(cache.deployMs),
        firstLoadMs: ms(cache.firstLoadMs),
        secondLoadMs: ms(cache.secondLoadMs, 4),
      },
    },
  };
}

const ms = (n: number, digits = 2) => round(n, digits);
