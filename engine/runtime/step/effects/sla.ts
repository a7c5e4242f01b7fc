/** SLA effects belong to the SLA service, which replaces these handlers when attached; without it they do nothing. */
import type { EffectHandlers } from './registry.js';

const none = () => undefined;

export const slaHandlers: Pick<EffectHandlers, 'sla.start' | 'sla.stop' | 'sla.pause' | 'sla.resume' | 'sla.cancel'> = {
  'sla.start': none,
  'sla.stop': none,
  'sla.pause': none,
  'sla.resume': none,
  'sla.cancel': none,
};
