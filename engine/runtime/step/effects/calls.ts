/**
 * Call activity effects. Deploy still refuses call activities (engine/bpmn/read-node.ts) until the runtime
 * starts child instances; should one reach a step anyway, the step fails and rolls back instead of dropping it.
 */
import type { EffectHandlers } from './registry.js';

const notYet = (kind: string) => () => {
  throw new Error(`${kind}: svcflow does not run call activities yet`);
};

export const callHandlers: Pick<EffectHandlers, 'call.start' | 'call.cancel' | 'call.uncaught'> = {
  'call.start': notYet('call.start'),
  'call.cancel': notYet('call.cancel'),
  // an instance that was not called has no call activity to hand an uncaught error or escalation to
  'call.uncaught': () => undefined,
};
