/**
 * Deployments as a unit: listed with their definition versions, and deleted (Camunda 7's
 * `DELETE /deployment/{id}`). Without `cascade` a deployment whose versions have running instances
 * is kept; with it those instances are cancelled first, each in its own step, so their tasks, jobs,
 * timers and SLA clocks end as on any cancellation and their history says who cancelled them.
 */
import type { DefinitionRow, DeploymentRow, Page, Paging } from '../store/index.js';
import type { DefinitionRegistry } from './definitions.js';
import { DeploymentInUseError, DeploymentNotFoundError, EngineError } from './errors.js';
import { registerStartEvents } from './signals/start-events.js';
import { runStep, type StepDeps } from './step/step.js';

/** A deployment and the definition versions it brought. */
export interface DeploymentView extends DeploymentRow {
  definitions: Array<Omit<DefinitionRow, 'xml'>>;
}

const CANCEL_BATCH = 100;

export class DeploymentService {
  constructor(
    private readonly deps: StepDeps,
    private readonly registry: DefinitionRegistry,
  ) {}

  async list(filter: { name?: string } & Paging): Promise<Page<DeploymentRow>> {
    return this.deps.store.deployments.list(filter);
  }

  /** A deployment that is not deleted, with its versions. */
  async get(id: string): Promise<DeploymentView> {
    const row = await this.deps.store.deployments.get(id);
    if (!row || row.deletedAt) throw new DeploymentNotFoundError(id);
    return { ...row, definitions: await this.definitionsOf(id) };
  }

  /**
   * Deletes a deployment: its versions are no longer listed or started (the latest remaining version of
   * each key becomes the latest), their finished instances keep their history. Running instances refuse
   * the delete (DEPLOYMENT_IN_USE) unless `cascade`, which cancels them first.
   */
  async delete(id: string, options: { cascade?: boolean; by?: string | null } = {}): Promise<DeploymentView> {
    const deployment = await this.get(id);
    const ids = deployment.definitions.map((d) => d.id);
    if (ids.length > 0) {
      const running = (await this.deps.store.statistics.runningByDefinition(ids)).reduce((sum, r) => sum + r.count, 0);
      if (running > 0 && !options.cascade) throw new DeploymentInUseError(id, running);
      if (running > 0) await this.cancelRunning(ids, options.by ?? null);
    }
    const at = this.deps.clock.now().toISOString();
    await this.deps.store.transaction(async (tx) => {
      await tx.definitions.markDeleted(id, at);
      await tx.deployments.markDeleted(id, at);
      // message and signal start events follow the latest version that remains, as after a redeploy
      for (const key of new Set(deployment.definitions.map((d) => d.key))) {
        const latest = await tx.definitions.latestByKey(key);
        if (latest)
          await registerStartEvents(tx, latest, (await this.registry.load(latest.id, tx)).compiled, at, this.deps.zone);
        else await tx.startEvents.replace(key, []);
      }
    });
    this.registry.forgetDeleted(deployment.definitions, at);
    return deployment;
  }

  // helpers

  private async definitionsOf(id: string): Promise<Array<Omit<DefinitionRow, 'xml'>>> {
    const out: Array<Omit<DefinitionRow, 'xml'>> = [];
    for (let offset = 0; ; offset += 500) {
      const page = await this.deps.store.definitions.list({ deploymentId: id, offset, limit: 500 });
      out.push(...page.items);
      if (page.items.length < 500) return out;
    }
  }

  // A child instance may end with its parent, so each id is cancelled only while it still runs.
  private async cancelRunning(definitionIds: string[], by: string | null): Promise<void> {
    const tried = new Set<string>();
    for (;;) {
      const batch = await this.deps.store.statistics.runningIds(definitionIds, CANCEL_BATCH);
      if (batch.length === 0) return;
      for (const instanceId of batch) {
        if (tried.has(instanceId)) throw new Error(`instance '${instanceId}' still runs after its cancellation`);
        tried.add(instanceId);
        await runStep(this.deps, instanceId, { type: 'instance.cancel' }, { by }).catch((err: unknown) => {
          if (!(err instanceof EngineError && err.code === 'INSTANCE_NOT_ACTIVE')) throw err;
        });
      }
    }
  }
}
