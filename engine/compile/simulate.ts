/**
 * A pure simulator: drives a compiled process through its ProcessMachine with a script of events,
 * the snapshot going through JSON between steps as in the runtime, and records what was entered,
 * left and asked for.
 */
import type { Effect, EngineEvent } from './effects.js';
import type { CompiledProcess } from './machine-config.js';
import type { DecisionEnv } from './decision-env.js';
import {
  processMachine,
  type MachineOutcome,
  type MachineStatus,
  type ProcessMachine,
  type ProcessSnapshot,
} from './process-machine.js';

export interface SimulationStep {
  event: EngineEvent | { type: 'start' };
  effects: Effect[];
  activeElements: string[];
}

export interface Simulation {
  /** Element ids in the order they were entered. */
  visited: string[];
  /** Element ids in the order they were left. */
  left: string[];
  steps: SimulationStep[];
  effects: Effect[];
  /** 'done' once the instance has ended (completed or terminated). */
  status: 'active' | 'done';
  /** Where the machine says the instance stands. */
  machineStatus: MachineStatus;
  variables: Record<string, unknown>;
  activeElements: string[];
  /** The last persisted snapshot. */
  snapshot: ProcessSnapshot;
}

/** Runs `events` against a fresh instance of the process and returns the trace. */
/** `decisions`: the DMN documents business rule tasks evaluate, by decision id (or `id:version`, `id@versionTag` for other bindings). */
export function simulate(
  compiled: CompiledProcess,
  options: {
    variables?: Record<string, unknown>;
    events?: EngineEvent[];
    now?: string;
    machine?: ProcessMachine;
    startEvent?: string;
    decisions?: DecisionEnv['decisions'];
  } = {},
): Simulation {
  const machine = options.machine ?? processMachine(compiled);
  const now = options.now ?? '2026-01-05T09:00:00.000Z';
  const env = options.decisions ? { decisions: options.decisions } : undefined;
  let last: MachineOutcome = machine.start(
    { variables: options.variables ?? {}, startEvent: options.startEvent },
    now,
    env,
  );
  const steps: SimulationStep[] = [
    { event: { type: 'start' }, effects: last.effects, activeElements: last.activeElements },
  ];
  for (const event of options.events ?? []) {
    last = machine.step(JSON.parse(JSON.stringify(last.snapshot)), event, now, env);
    steps.push({ event, effects: last.effects, activeElements: last.activeElements });
  }
  const effects = steps.flatMap((s) => s.effects);
  return {
    visited: effects.flatMap((e) => (e.type === 'element.entered' ? [e.elementId] : [])),
    left: effects.flatMap((e) => (e.type === 'element.left' ? [e.elementId] : [])),
    steps,
    effects,
    status: last.status === 'completed' || last.status === 'terminated' ? 'done' : 'active',
    machineStatus: last.status,
    variables: last.variables,
    activeElements: last.activeElements,
    snapshot: last.snapshot,
  };
}
