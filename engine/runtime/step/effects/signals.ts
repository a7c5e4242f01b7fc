/** Signal subscriptions, and thrown signals as outbox rows delivered after the commit (runtime/signals). */
import { newId } from '../../definitions.js';
import { recordBroadcast } from '../../signals/broadcasts.js';
import type { EffectHandlers } from './registry.js';
import { note, record } from './run.js';

export const signalHandlers: Pick<EffectHandlers, 'signal.subscribe' | 'signal.unsubscribe' | 'signal.throw'> = {
  'signal.subscribe': (run, effect) =>
    run.tx.signals.subscribe({
      id: newId(),
      instanceId: run.scope.instanceId,
      elementId: effect.elementId,
      activationId: effect.activationId ?? null,
      signalName: effect.signalName,
      createdAt: run.scope.now,
    }),
  'signal.unsubscribe': (run, effect) =>
    run.tx.signals.unsubscribe(run.scope.instanceId, effect.elementId, effect.activationId),
  'signal.throw': async (run, effect) => {
    const { scope } = run;
    const id = await recordBroadcast(run.tx, {
      name: effect.signalName,
      variables: effect.variables,
      thrownByInstance: scope.instanceId,
      thrownBy: scope.by,
      now: scope.now,
    });
    record(run, effect.elementId, null, 'signal.thrown', { signalId: id, name: effect.signalName });
    note(run, 'signal.thrown', { elementId: effect.elementId, data: { signalId: id, name: effect.signalName } });
  },
};
