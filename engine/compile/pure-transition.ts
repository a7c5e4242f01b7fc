/**
 * xstate's pure `transition` and `initialTransition`, without the actor each of them builds per call:
 * xstate's own functions construct an inert actor for every transition, and the actor's constructor
 * computes the machine's initial snapshot — a whole initial transition thrown away on every step. Our
 * machines spawn and invoke nothing, so one inert scope per machine serves every call; each call gets its
 * own action collector, so the transitions stay pure and independent.
 */
import { type AnyMachineSnapshot, type AnyStateMachine, createActor } from 'xstate';

interface InertScope {
  self: unknown;
  system: unknown;
  [key: string]: unknown;
}

const scopes = new WeakMap<AnyStateMachine, InertScope>();

/** The next snapshot and the actions to execute for `event` in `snapshot`; executes nothing. */
export function pureTransition(
  machine: AnyStateMachine,
  snapshot: AnyMachineSnapshot,
  event: unknown,
): [AnyMachineSnapshot, unknown[]] {
  const actions: unknown[] = [];
  const next = machine.transition(snapshot, event as never, scopeFor(machine, actions) as never);
  return [next, actions];
}

/** The initial snapshot for `input` and the actions to execute; executes nothing. */
export function pureInitialTransition(machine: AnyStateMachine, input: unknown): [AnyMachineSnapshot, unknown[]] {
  const actions: unknown[] = [];
  const next = machine.getInitialSnapshot(scopeFor(machine, actions) as never, input);
  return [next, actions];
}

function scopeFor(machine: AnyStateMachine, actions: unknown[]): InertScope {
  let base = scopes.get(machine);
  if (!base) {
    const self = createActor(machine);
    base = {
      self,
      system: (self as unknown as { system: unknown }).system,
      defer: () => {},
      id: '',
      logger: () => {},
      sessionId: '',
      stopChild: () => {},
      emit: () => {},
    };
    scopes.set(machine, base);
  }
  return { ...base, actionExecutor: (action: unknown) => actions.push(action) };
}
