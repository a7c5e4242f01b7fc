/**
 * Every effect kind the compiler emits has a handler: `EffectHandlers` maps every kind, so a registry
 * missing one does not compile (checked by `npm run typecheck`), and applying effects writes their rows.
 */
import { describe, expect, it } from 'vitest';
import type { EffectHandlers } from '../../engine/runtime/index.js';
import { EffectRegistry } from '../../engine/runtime/step/effect-executor.js';
import { newRun } from '../../engine/runtime/step/effects/run.js';

describe('runtime: effect handlers', () => {
  it('refuses, at compile time, a handler table that leaves an effect kind out', () => {
    const none = () => undefined;
    // @ts-expect-error 'sla.cancel' (and every kind not listed) has no handler
    const partial: EffectHandlers = { 'sla.start': none, 'sla.stop': none };
    expect(Object.keys(partial)).toHaveLength(2);
  });

  it('runs the SLA kinds after every other effect of the step, each kind through its own handler', async () => {
    const registry = new EffectRegistry();
    const order: string[] = [];
    const log = (run: unknown, effect: { type: string }) => void order.push(effect.type);
    registry.use({ 'sla.start': log, 'sla.pause': log, 'element.entered': log, 'timer.cancel': log });
    const run = newRun({} as never, scopeOf(), {} as never);
    await registry.apply(run, [
      { type: 'sla.start', elementId: 'Task_a', target: 'PT1H', sla: {} as never },
      { type: 'element.entered', elementId: 'Task_a', elementType: 'userTask' },
      { type: 'sla.pause', elementId: 'Task_a', reason: 'waiting' },
      { type: 'timer.cancel', elementId: 'Timer_a' },
    ]);
    expect(order).toEqual(['element.entered', 'timer.cancel', 'sla.start', 'sla.pause']);
  });

  it('drops the exit cancel of an SLA the same step stops (it was completed, not cancelled)', async () => {
    const registry = new EffectRegistry();
    const order: string[] = [];
    const log = (run: unknown, effect: { type: string }) => void order.push(effect.type);
    registry.use({ 'sla.stop': log, 'sla.cancel': log });
    await registry.apply(newRun({} as never, scopeOf(), {} as never), [
      { type: 'sla.cancel', elementId: 'Task_a' },
      { type: 'sla.stop', elementId: 'Task_a' },
      { type: 'sla.cancel', elementId: 'Task_b' },
    ]);
    expect(order).toEqual(['sla.stop', 'sla.cancel']);
  });
});

function scopeOf() {
  return { instanceId: 'i-1', definitionKey: 'p', now: '2026-01-01T00:00:00.000Z', by: null, jobId: null, event: null };
}
