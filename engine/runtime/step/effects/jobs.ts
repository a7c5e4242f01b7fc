/** Job rows of service and send tasks: created pending, cancelled, retried with backoff or failed for good. */
import type { EffectOf } from '../../../compile/index.js';
import { newId } from '../../definitions.js';
import type { EffectHandlers } from './registry.js';
import { note, type StepRun } from './run.js';

export const jobHandlers: Pick<EffectHandlers, 'job.create' | 'job.cancel' | 'job.retry' | 'job.fail'> = {
  'job.create': async (run, effect) => {
    const { scope } = run;
    await run.tx.jobs.insert({
      id: newId(),
      instanceId: scope.instanceId,
      definitionKey: scope.definitionKey,
      elementId: effect.elementId,
      activationId: effect.activationId ?? null,
      type: effect.jobType,
      status: 'pending',
      retries: effect.retries,
      due: scope.now,
      inputs: effect.inputs,
      workerId: null,
      lockedUntil: null,
      errorMessage: null,
      createdAt: scope.now,
    });
    note(run, 'job.created', { elementId: effect.elementId, data: { jobType: effect.jobType } });
  },
  'job.cancel': (run, effect) =>
    run.tx.jobs.cancelByElement(run.scope.instanceId, effect.elementId, effect.activationId),
  'job.retry': (run, effect) => patchJob(run, effect),
  'job.fail': (run, effect) => patchJob(run, effect),
};

async function patchJob(run: StepRun, effect: EffectOf<'job.retry' | 'job.fail'>): Promise<void> {
  const { scope, tx } = run;
  const jobId =
    scope.jobId ?? (await tx.jobs.activeByElement(scope.instanceId, effect.elementId, effect.activationId))?.id;
  if (jobId) await tx.jobs.update(jobId, jobPatch(effect));
}

/** A job that runs again (pending from its due) or has failed for good; either way no worker holds it. */
function jobPatch(effect: EffectOf<'job.retry' | 'job.fail'>) {
  if (effect.type === 'job.fail')
    return {
      status: 'failed' as const,
      retries: 0,
      workerId: null,
      lockedUntil: null,
      errorMessage: effect.errorMessage,
    };
  const message = effect.errorMessage === undefined ? {} : { errorMessage: effect.errorMessage };
  return {
    status: 'pending' as const,
    retries: effect.retries,
    due: effect.due,
    workerId: null,
    lockedUntil: null,
    ...message,
  };
}
