/**
 * A pure simulator: drives a compiled process with a script of events, round-tripping the snapshot
 * through JSON between steps as the runtime does, and records what was entered, left and asked for.
 */
import { initialTransition, transition, type AnyStateMachine } from 'xstate';
import type { Effect, EngineEvent, InstanceContext } from './effects.js';
import type { CompiledProcess } from './machine-config.js';
import { createProcessMachine } from './machine.js';
import { planEffects, type ReturnedAction } from './plan-effects.js';

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
  status: 'active' | 'done';
  variables: Record<string, unknown>;
  activeElements: string[];
  /** The last persisted snapshot. */
  snapshot: unknown;
}

/** Runs `events` against a fresh instance of the process and returns the trace. */
export function simulate(compiled: CompiledProcess, options: { variables?: Record<string, unknown>; events?: EngineEvent[]; now?: string; machine?: AnyStateMachine } = {}): Simulation {
  const machine = options.machine ?? createProcessMachine(compiled);
  const now = options.now ?? '2026-01-05T09:00:00.000Z';
  const steps: SimulationStep[] = [];
  let [snapshot, actions] = initialTransition(machine, { variables: options.variables ?? {} });
  let persisted = roundTrip(machine, snapshot);
  steps.push({ event: { type: 'start' }, effects: planEffects(actions as ReturnedAction[], now), activeElements: activeElementsOf(compiled, persisted.value) });
  for (const event of options.events ?? []) {
    const restored = machine.resolveState(persisted as never);
    [snapshot, actions] = transition(machine, restored, event);
    persisted = roundTrip(machine, snapshot);
    steps.push({ event, effects: planEffects(actions as ReturnedAction[], now), activeElements: activeElementsOf(compiled, persisted.value) });
  }
  const effects = steps.flatMap((s) => s.effects);
  return {
    visited: effects.filter((e) => e.type === 'element.entered').map((e) => (e as { elementId: string }).elementId),
    left: effects.filter((e) => e.type === 'element.left').map((e) => (e as { elementId: string }).elementId),
    steps, effects,
    status: persisted.status === 'done' ? 'done' : 'active',
    variables: (persisted.context as InstanceContext).variables,
    activeElements: steps[steps.length - 1].activeElements,
    snapshot: persisted,
  };
}

/** The BPMN elements a snapshot's state value is resting in, in document-independent sorted order. */
export function activeElementsOf(compiled: CompiledProcess, value: unknown): string[] {
  const found = new Set<string>();
  const walk = (v: unknown): void => {
    if (typeof v === 'string') {
      if (compiled.activeStates[v]) found.add(compiled.activeStates[v]);
      return;
    }
    if (v && typeof v === 'object') {
      for (const [key, child] of Object.entries(v)) {
        if (compiled.activeStates[key]) found.add(compiled.activeStates[key]);
        walk(child);
      }
    }
  };
  walk(value);
  return [...found].sort();
}

// helpers

interface Persisted { value: unknown; context: unknown; status: string }

function roundTrip(machine: AnyStateMachine, snapshot: unknown): Persisted & Record<string, unknown> {
  return JSON.parse(JSON.stringify(machine.getPersistedSnapshot(snapshot as never)));
}
