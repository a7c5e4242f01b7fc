/** engine/compile: BPMN → validated, compiled, executable process definitions, and the one door to their machines. */
import { readBpmn, validateModel, type Problem } from '../bpmn/index.js';
import { checkFeel } from '../expr/index.js';
import { compileProcess } from './compile.js';
import type { CompiledProcess } from './machine-config.js';

export { compileProcess } from './compile.js';
export { processMachine, type ProcessMachine, type MachineOutcome, type MachineStatus, type ProcessSnapshot } from './process-machine.js';
export { MESSAGE_JOB_TYPE, type ProcessMessages } from './messages.js';
export { simulate, type Simulation, type SimulationStep } from './simulate.js';
export type { CompiledProcess, StateConfig } from './machine-config.js';
export type * from './effects.js';

/** Reads, validates and compiles every process of a BPMN document, collecting all problems. */
export async function compileBpmn(xml: string, limits?: { maxBytes?: number; maxElements?: number; maxDepth?: number }): Promise<{ processes: CompiledProcess[]; problems: Problem[] }> {
  const { document, problems } = await readBpmn(xml, limits);
  if (!document) return { processes: [], problems };
  const all = [...problems, ...validateModel(document, { checkExpression: checkFeel })];
  if (all.length > 0) return { processes: [], problems: all };
  const processes: CompiledProcess[] = [];
  for (const model of document.processes) {
    const result = compileProcess(model);
    if (result.compiled) processes.push(result.compiled);
    all.push(...result.problems);
  }
  return { processes: all.length > 0 ? [] : processes, problems: all };
}
