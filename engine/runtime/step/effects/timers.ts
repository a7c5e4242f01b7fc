/** Timer rows with absolute due instants, claimed by the scheduler. */
import { newId } from '../../definitions.js';
import type { EffectHandlers } from './registry.js';

export const timerHandlers: Pick<EffectHandlers, 'timer.schedule' | 'timer.cancel'> = {
  'timer.schedule': (run, effect) =>
    run.tx.timers.insert({
      id: newId(),
      instanceId: run.scope.instanceId,
      elementId: effect.elementId,
      activationId: effect.activationId ?? null,
      due: effect.due,
      repeat: effect.repeat,
      lockedBy: null,
      lockedUntil: null,
    }),
  'timer.cancel': (run, effect) =>
    run.tx.timers.deleteByElement(run.scope.instanceId, effect.elementId, effect.activationId),
};
