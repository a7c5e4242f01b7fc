/**
 * The effect handlers of a step, one per effect kind: every kind the compiler emits must have one (the
 * mapped type makes a new kind without a handler a type error), so no effect is silently dropped. A
 * service that owns some kinds (the SLA clock owns `sla.*`) replaces their handlers through
 * `Engine.extend`. SLA effects run last, in their order: an SLA starting on a user task finds its task.
 */
import type { Effect, EffectOf, EffectType } from '../../../compile/index.js';
import { callHandlers } from './calls.js';
import { elementHandlers } from './elements.js';
import { incidentHandlers } from './incidents.js';
import { jobHandlers } from './jobs.js';
import { messageHandlers } from './messages.js';
import type { StepRun } from './run.js';
import { signalHandlers } from './signals.js';
import { slaHandlers } from './sla.js';
import { taskHandlers } from './tasks.js';
import { timerHandlers } from './timers.js';

export type EffectHandler<T extends EffectType> = (run: StepRun, effect: EffectOf<T>) => Promise<void> | void;
export type EffectHandlers = { [T in EffectType]: EffectHandler<T> };

const LAST: ReadonlySet<EffectType> = new Set(['sla.start', 'sla.stop', 'sla.pause', 'sla.resume', 'sla.cancel']);

export class EffectRegistry {
  private readonly handlers: EffectHandlers = {
    ...elementHandlers,
    ...taskHandlers,
    ...timerHandlers,
    ...messageHandlers,
    ...signalHandlers,
    ...jobHandlers,
    ...incidentHandlers,
    ...slaHandlers,
    ...callHandlers,
  };

  /** Replaces the handlers of the kinds given. */
  use(handlers: Partial<EffectHandlers>): void {
    Object.assign(this.handlers, handlers);
  }

  /** Applies a step's effects in order, the SLA kinds after all others. */
  async apply(run: StepRun, effects: Effect[]): Promise<void> {
    const kept = withoutSupersededCancels(effects);
    for (const effect of kept) if (!LAST.has(effect.type)) await this.run(run, effect);
    for (const effect of kept) if (LAST.has(effect.type)) await this.run(run, effect);
  }

  private run(run: StepRun, effect: Effect): Promise<void> | void {
    return (this.handlers[effect.type] as EffectHandler<EffectType>)(run, effect);
  }
}

/** An SLA that is cancelled on exit and stopped by the completion transition in the same step was completed. */
function withoutSupersededCancels(effects: Effect[]): Effect[] {
  const stopped = new Set(
    effects.filter((e) => e.type === 'sla.stop').map((e) => (e as { elementId: string }).elementId),
  );
  if (stopped.size === 0) return effects;
  return effects.filter((e) => !(e.type === 'sla.cancel' && stopped.has(e.elementId)));
}
