/** Incidents: raised with the job that caused them, resolved when their element runs again. */
import { newId } from '../../definitions.js';
import type { EffectHandlers } from './registry.js';
import { note, record } from './run.js';

export const incidentHandlers: Pick<EffectHandlers, 'incident.raise' | 'incident.resolve'> = {
  'incident.raise': async (run, effect) => {
    const { scope } = run;
    const id = newId();
    // a multiple event's trigger is shown as the event; the trigger is kept for the retry
    const owner = run.definition.compiled.elementOwners?.[effect.elementId];
    await run.tx.incidents.insert({
      id,
      instanceId: scope.instanceId,
      definitionKey: scope.definitionKey,
      elementId: owner ?? effect.elementId,
      ...(owner ? { triggerId: effect.elementId } : {}),
      code: effect.code,
      message: effect.message,
      jobId: scope.jobId,
      status: 'open',
      createdAt: scope.now,
      resolvedAt: null,
    });
    const details = { incidentId: id, code: effect.code, message: effect.message };
    record(run, effect.elementId, null, 'incident.raised', details);
    note(run, 'incident.raised', { elementId: effect.elementId, data: { ...details } });
  },
  'incident.resolve': (run, effect) =>
    run.tx.incidents.resolveByElement(run.scope.instanceId, effect.elementId, run.scope.now),
};
