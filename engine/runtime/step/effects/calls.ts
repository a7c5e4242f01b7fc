/**
 * Call activity effects. Each concerns another instance (the child a call activity starts or cancels, the
 * parent an uncaught error or escalation goes to), so the handler only leaves it as a follow-up: the step
 * (engine/runtime/step/calls.ts) does it once this instance's row is written, in the same transaction.
 */
import type { EffectHandlers } from './registry.js';

export const callHandlers: Pick<EffectHandlers, 'call.start' | 'call.cancel' | 'call.uncaught'> = {
  'call.start': (run, effect) => {
    run.followUps.push({ kind: 'call.start', effect });
  },
  'call.cancel': (run, effect) => {
    run.followUps.push({ kind: 'call.cancel', effect });
  },
  'call.uncaught': (run, effect) => {
    run.followUps.push({ kind: 'call.uncaught', effect });
  },
};
