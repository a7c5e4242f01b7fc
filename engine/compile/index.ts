/** engine/compile: BPMN → validated, compiled, executable process definitions, and the one door to their machines. */
import { loadBpmn, type Problem } from '../bpmn/index.js';
import { checkFeel } from '../expr/index.js';
import { compileProcess } from './compile.js';
import type { CompiledProcess } from './machine-config.js';

export { compileProcess } from './compile.js';
export {
  elementLocals,
  processMachine,
  type ProcessMachine,
  type MachineOptions,
  type MachineOutcome,
  type MachineStatus,
  type ProcessSnapshot,
} from './process-machine.js';
export { ListenerFailure } from './listeners.js';
export { MESSAGE_JOB_TYPE, type ProcessMessages } from './messages.js';
export { toPriority } from './plan-effects.js';
export { simulate, type Simulation, type SimulationStep } from './simulate.js';
export { decisionKey, type DecisionEnv } from './decision-env.js';
export { callResult } from './call-activity.js';
export type { CompiledProcess, StateConfig } from './machine-config.js';
export type * from './effects.js';

/**
 * The one entry point from BPMN XML to compiled processes: reads and validates with `loadBpmn` (FEEL
 * checked), then compiles; deploy, the CLI's validate and compile, and every API that takes BPMN use it,
 * so they report the same problems for the same file.
 */
export async function compileBpmn(
  xml: string,
  limits?: { maxBytes?: number; maxElements?: number; maxDepth?: number },
): Promise<{ processes: CompiledProcess[]; problems: Problem[] }> {
  const { document, problems } = await loadBpmn(xml, { ...limits, checkExpression: checkFeel });
  if (!document || problems.length > 0) return { processes: [], problems };
  const processes: CompiledProcess[] = [];
  const all: Problem[] = [];
  for (const model of document.processes) {
    const result = compileProcess(model);
    if (result.compiled) processes.push(result.compiled);
    all.push(...result.problems);
  }
  return { processes: all.length > 0 ? [] : processes, problems: all };
}
