/** The types the compiled machine's guards and actions are written against. */
import { assign } from 'xstate';
import type { InstanceContext } from './effects.js';

export type Vars = Record<string, unknown>;
/** Every event a compiled machine handles: the engine's events and its own internal ones. */
export type MachineEvent = {
  type: string;
  elementId?: string;
  activationId?: string;
  variables?: Vars;
  [k: string]: unknown;
};
export interface Args {
  context: InstanceContext;
  event: MachineEvent;
}

/** xstate's `assign` bound to the machine's context and event, so `setup` checks the action table. */
export function assignTo<P extends object | undefined>(fn: (args: Args, params: P) => Partial<InstanceContext>) {
  return assign<InstanceContext, MachineEvent, P, MachineEvent, never>(fn);
}
