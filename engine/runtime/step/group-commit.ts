/**
 * Group commit: many steps in one database transaction, each step a unit (savepoint) of it, so a
 * failing step is undone alone while the others commit together. Notifications wait for the commit.
 */
import type { GroupUnit, StoreTx } from '../../store/index.js';
import type { EngineNotification } from './effect-executor.js';
import type { StepDeps } from './step.js';

/** Runs fn with step deps whose transactions are units of one group; publishes what they announced once it committed. */
export async function inGroup<T>(
  deps: StepDeps,
  fn: (grouped: StepDeps, unit: GroupUnit, tx: StoreTx) => Promise<T>,
): Promise<T> {
  const notes: EngineNotification[] = [];
  const result = await deps.store.group((unit, tx) => {
    const grouped: StepDeps = {
      ...deps,
      store: { ...deps.store, transaction: unit },
      publish: (n) => {
        notes.push(...n);
      },
    };
    return fn(grouped, unit, tx);
  });
  deps.publish(notes);
  return result;
}
