/** Message subscriptions of waiting elements. */
import { newId } from '../../definitions.js';
import type { EffectHandlers } from './registry.js';

export const messageHandlers: Pick<EffectHandlers, 'message.subscribe' | 'message.unsubscribe'> = {
  'message.subscribe': (run, effect) =>
    run.tx.subscriptions.insert({
      id: newId(),
      instanceId: run.scope.instanceId,
      elementId: effect.elementId,
      activationId: effect.activationId ?? null,
      messageName: effect.messageName,
      correlationKey: effect.correlationKey,
      createdAt: run.scope.now,
    }),
  'message.unsubscribe': (run, effect) =>
    run.tx.subscriptions.deleteByElement(run.scope.instanceId, effect.elementId, effect.activationId),
};
