/** Elements entered and left, and terminate end events: history rows only. */
import type { EffectHandlers } from './registry.js';
import { record } from './run.js';

export const elementHandlers: Pick<
  EffectHandlers,
  'element.entered' | 'element.left' | 'instance.terminate' | 'instance.complete'
> = {
  'element.entered': (run, effect) => record(run, effect.elementId, effect.elementType, effect.type),
  'element.left': (run, effect) => record(run, effect.elementId, effect.elementType, effect.type),
  'instance.terminate': (run, effect) => record(run, effect.elementId, 'endEvent', 'instance.terminated'),
  // the step writes the ended instance's row, history and notification itself
  'instance.complete': () => undefined,
};
