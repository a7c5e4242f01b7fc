/** Compile a BPMN string for tests, failing loudly with the problem list when it does not compile. */
import {
  compileBpmn,
  simulate,
  type CompiledProcess,
  type EngineEvent,
  type Simulation,
  type StateConfig,
} from '../../engine/compile/index.js';
import type { DmnDocument } from '../../engine/dmn/index.js';

export async function compileXml(xml: string): Promise<CompiledProcess> {
  const { processes, problems } = await compileBpmn(xml);
  if (problems.length > 0)
    throw new Error(
      `expected the model to compile, got:\n${problems.map((p) => `${p.code} ${p.elementId}: ${p.message}`).join('\n')}`,
    );
  return processes[0];
}

export async function problemsOf(xml: string) {
  return (await compileBpmn(xml)).problems;
}

/** The DMN documents a compiled process's business rule tasks decide with in `run`, by decision id. */
const decisionsOf = new WeakMap<CompiledProcess, Record<string, DmnDocument>>();

export function useDecisions(compiled: CompiledProcess, decisions: Record<string, DmnDocument>): CompiledProcess {
  decisionsOf.set(compiled, decisions);
  return compiled;
}

export function run(
  compiled: CompiledProcess,
  events: EngineEvent[] = [],
  variables: Record<string, unknown> = {},
): Simulation {
  const decisions = decisionsOf.get(compiled);
  return simulate(compiled, { events, variables, ...(decisions ? { decisions } : {}) });
}

/** Effects of a type, over the whole run. */
export function effectsOf<T extends string>(sim: Simulation, type: T) {
  return sim.effects.filter((e) => e.type === type) as Array<Extract<Simulation['effects'][number], { type: T }>>;
}

export const complete = (elementId: string, variables: Record<string, unknown> = {}): EngineEvent => ({
  type: 'task.completed',
  elementId,
  variables,
});
export const jobDone = (elementId: string, variables: Record<string, unknown> = {}): EngineEvent => ({
  type: 'job.completed',
  elementId,
  variables,
});
export const fire = (elementId: string): EngineEvent => ({ type: 'timer.fired', elementId });
export const receive = (elementId: string, variables: Record<string, unknown> = {}): EngineEvent => ({
  type: 'message.received',
  elementId,
  variables,
});

/** The compiled process with the element's transitions on `eventType` guarded by a guard no machine implements (xstate throws). */
export function withBrokenGuard(
  compiled: CompiledProcess,
  elementId: string,
  eventType = 'task.completed',
): CompiledProcess {
  const walk = (state: StateConfig): StateConfig => ({
    ...state,
    states: state.states && Object.fromEntries(Object.entries(state.states).map(([k, s]) => [k, walk(s)])),
    on:
      state.on &&
      Object.fromEntries(
        Object.entries(state.on).map(([type, ts]) => [
          type,
          state.id === elementId && type === eventType ? ts.map((t) => ({ ...t, guard: { type: 'svc.missing' } })) : ts,
        ]),
      ),
  });
  return { ...compiled, config: walk(compiled.config) };
}
