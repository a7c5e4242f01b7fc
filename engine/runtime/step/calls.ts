/**
 * Call activities across instances, inside the transaction of the step that caused them: a `call.start`
 * starts the child as an instance of its own, a `call.cancel` cancels the running children (and, through
 * their own exits, theirs), a child's end or uncaught error/escalation becomes an event of its parent.
 * Each is a normal step of the instance it concerns; what that step leaves is followed in turn, so a whole
 * cascade (a child that ends at once, a cancelled tree) commits or rolls back with the step that began it.
 */
import { callResult, type EffectOf, type EngineEvent } from '../../compile/index.js';
import type { IncidentRow, InstanceRow, StoreTx } from '../../store/index.js';
import { newId, type DefinitionRegistry, type LoadedDefinition } from '../definitions.js';
import type { FollowUp } from './effects/run.js';
import type { AppliedStep, NestedSteps } from './step.js';

/** Instances one transaction may step through calls: beyond it a call fails (a process calling itself at once). */
export const CALL_CASCADE_LIMIT = 1000;

type Pending = {
  from: AppliedStep;
  work: FollowUp | { kind: 'call.return' } | { kind: 'call.sweep' } | { kind: 'call.incidents' };
};

/** Follows the calls a step left, breadth first; true when any other instance was stepped. */
export async function followCalls(
  registry: DefinitionRegistry,
  tx: StoreTx,
  steps: NestedSteps,
  first: AppliedStep,
): Promise<boolean> {
  const queue = pendingOf(first);
  let stepped = 0;
  while (queue.length > 0) {
    const next = queue.shift() as Pending;
    const done = await follow(registry, tx, steps, next, stepped >= CALL_CASCADE_LIMIT);
    stepped += done.length;
    for (const applied of done) queue.push(...pendingOf(applied));
  }
  return stepped > 0;
}

// helpers

/** What an applied step leaves: its follow-ups, its hand-back when a called instance completed, a sweep when cancelled. */
function pendingOf(applied: AppliedStep): Pending[] {
  const pending: Pending[] = applied.followUps.map((work) => ({ from: applied, work }));
  const { instance } = applied;
  if (instance.status === 'completed' && instance.parentInstanceId)
    pending.push({ from: applied, work: { kind: 'call.return' } });
  if (instance.status === 'terminated') pending.push({ from: applied, work: { kind: 'call.sweep' } });
  if (applied.incidentsChanged && instance.parentInstanceId)
    pending.push({ from: applied, work: { kind: 'call.incidents' } });
  return pending;
}

async function follow(
  registry: DefinitionRegistry,
  tx: StoreTx,
  steps: NestedSteps,
  { from, work }: Pending,
  exhausted: boolean,
): Promise<AppliedStep[]> {
  switch (work.kind) {
    case 'call.start':
      return [await startChild(registry, tx, steps, from, work.effect, exhausted)];
    case 'call.cancel':
      return cancelChildren(tx, steps, from, work.effect.elementId, work.effect.activationId);
    case 'call.sweep':
      return cancelChildren(tx, steps, from);
    case 'call.uncaught':
      return handUp(steps, from, work.effect);
    case 'call.return':
      return handBack(registry, tx, steps, from);
    case 'call.incidents':
      return mirrorIncidents(tx, steps, from);
  }
}

/** Starts the called process as a child instance, or fails the call (an incident at the call activity). */
async function startChild(
  registry: DefinitionRegistry,
  tx: StoreTx,
  steps: NestedSteps,
  parent: AppliedStep,
  effect: EffectOf<'call.start'>,
  exhausted: boolean,
): Promise<AppliedStep> {
  const fail = (message: string) =>
    steps.step(
      parent.instance.id,
      {
        type: 'call.failed',
        elementId: effect.elementId,
        ...activation(effect.activationId),
        code: 'CALLED_PROCESS_NOT_FOUND',
        message,
      },
      parent.by,
    );
  if (exhausted)
    return fail(
      `the call of '${effect.processId}' would step more than ${CALL_CASCADE_LIMIT} instances in one transaction; a process that calls itself must wait somewhere`,
    );
  const parentDef = await registry.load(parent.instance.definitionId, tx);
  const def = await calledDefinition(registry, tx, parentDef, effect);
  if (!def) return fail(`no process '${effect.processId}'${bindingText(effect)} is deployed; deploy it and retry`);
  if (!def.compiled.noneStartEvent)
    return fail(`process '${def.row.id}' has no none start event, so a call activity cannot start it`);
  const child = await steps.start(def, {
    variables: effect.variables,
    businessKey: effect.businessKey,
    by: parent.by,
    caller: {
      parentInstanceId: parent.instance.id,
      rootInstanceId: parent.instance.rootInstanceId ?? parent.instance.id,
      elementId: effect.elementId,
      activationId: effect.activationId ?? null,
    },
  });
  await tx.history.append([
    {
      instanceId: parent.instance.id,
      elementId: effect.elementId,
      elementType: 'callActivity',
      event: 'call.started',
      at: child.instance.startedAt,
      by: parent.by,
      details: { calledInstanceId: child.instance.id, definitionId: def.row.id },
    },
  ]);
  return child;
}

/**
 * The definition a call binds to: the latest version of the key (default), a given version, the latest
 * with a version tag, or the version deployed with the calling definition. Deleted versions are never called.
 */
async function calledDefinition(
  registry: DefinitionRegistry,
  tx: StoreTx,
  caller: LoadedDefinition,
  effect: EffectOf<'call.start'>,
): Promise<LoadedDefinition | null> {
  const key = effect.processId;
  if (effect.binding === 'latest') {
    const row = await tx.definitions.latestByKey(key);
    return row ? registry.load(row.id, tx) : null;
  }
  if (effect.binding === 'version') {
    const row = await tx.definitions.get(`${key}:${effect.version}`);
    return row && !row.deletedAt ? registry.load(row.id, tx) : null;
  }
  if (effect.binding === 'deployment') {
    const deploymentId = caller.row.deploymentId;
    if (!deploymentId) return null;
    const page = await tx.definitions.list({ key, deploymentId, limit: 1 });
    return page.items[0] ? registry.load(page.items[0].id, tx) : null;
  }
  for (let offset = 0; ; offset += 100) {
    const page = await tx.definitions.list({ key, offset, limit: 100 });
    for (const row of page.items) {
      const def = await registry.load(row.id, tx);
      if (def.compiled.versionTag === effect.versionTag) return def;
    }
    if (page.items.length < 100) return null;
  }
}

function bindingText(effect: EffectOf<'call.start'>): string {
  if (effect.binding === 'version') return ` in version ${effect.version}`;
  if (effect.binding === 'versionTag') return ` with version tag '${effect.versionTag}'`;
  if (effect.binding === 'deployment') return ' in the deployment of the calling process';
  return '';
}

/** Cancels the running children of an instance (of one call activity, or all of them). */
async function cancelChildren(
  tx: StoreTx,
  steps: NestedSteps,
  parent: AppliedStep,
  elementId?: string,
  activationId?: string,
): Promise<AppliedStep[]> {
  const children = await tx.instances.runningChildren(parent.instance.id, elementId, activationId);
  const done: AppliedStep[] = [];
  for (const child of children) done.push(await steps.step(child.id, { type: 'instance.cancel' }, parent.by));
  return done;
}

/** A called instance's uncaught error or escalation, thrown at its call activity in the parent. */
async function handUp(
  steps: NestedSteps,
  child: AppliedStep,
  effect: EffectOf<'call.uncaught'>,
): Promise<AppliedStep[]> {
  const link = callerOf(child.instance);
  if (!link) return [];
  const event: EngineEvent =
    effect.kind === 'error'
      ? {
          type: 'error.thrown',
          elementId: link.elementId,
          ...activation(link.activationId),
          errorCode: effect.code,
          ...(effect.message === undefined ? {} : { message: effect.message }),
          ...(effect.variables === undefined ? {} : { variables: effect.variables }),
        }
      : { type: 'escalation.thrown', elementId: link.elementId, escalationCode: effect.code };
  return [await steps.step(link.parentInstanceId, event, child.by)];
}

/** A completed child's variables, mapped by its call activity's out rules, complete the call activity. */
async function handBack(
  registry: DefinitionRegistry,
  tx: StoreTx,
  steps: NestedSteps,
  child: AppliedStep,
): Promise<AppliedStep[]> {
  const link = callerOf(child.instance);
  if (!link) return [];
  const parent = await tx.instances.get(link.parentInstanceId);
  // a parent that ended first (cancelled with the child in this transaction) takes nothing back
  if (!parent || parent.status === 'completed' || parent.status === 'terminated') return [];
  const def = await registry.load(parent.definitionId, tx);
  const call = def.compiled.calls?.[link.elementId];
  if (!call) return [];
  const result = callResult(call, def.compiled.callOutputs?.[link.elementId] ?? [], child.instance.variables);
  const event: EngineEvent = result.error
    ? {
        type: 'call.failed',
        elementId: link.elementId,
        ...activation(link.activationId),
        code: 'EXPRESSION_FAILED',
        message: `the output mappings of the call failed: ${result.error}`,
      }
    : { type: 'call.completed', elementId: link.elementId, ...activation(link.activationId), variables: result.values };
  return [await steps.step(parent.id, event, child.by)];
}

/**
 * A called instance's open incidents, mirrored up its call chain as Camunda 7 chains them: each calling
 * instance has one incident at its call activity per open incident of the instance it called
 * (`CALLED_INSTANCE_INCIDENT`, naming it as the cause and the bottom of the chain as the root cause), resolved
 * once its cause is. A call activity with any such incident puts its instance in `incident`.
 */
async function mirrorIncidents(tx: StoreTx, steps: NestedSteps, from: AppliedStep): Promise<AppliedStep[]> {
  const done: AppliedStep[] = [];
  let row = from.instance;
  for (let depth = 0; depth < CALL_CASCADE_LIMIT; depth++) {
    const link = callerOf(row);
    const parent = link && (await tx.instances.get(link.parentInstanceId));
    if (!link || !parent) break;
    const mirrored = await mirrorOnto(tx, parent, link.elementId, row, from);
    if (!mirrored.changed) break;
    if (mirrored.toggle !== null)
      done.push(
        await steps.step(
          parent.id,
          { type: 'call.incident', elementId: link.elementId, open: mirrored.toggle },
          from.by,
        ),
      );
    row = (await tx.instances.get(parent.id)) ?? parent;
  }
  return done;
}

/**
 * One level of the mirror: the caller's incidents at the call activity whose cause is no longer open are
 * resolved, the child's open incidents not yet mirrored are raised. An ended caller takes no new incidents
 * (it may have ended before its child in the same step). `toggle`: the call activity's mark to set, when it changes.
 */
async function mirrorOnto(
  tx: StoreTx,
  parent: InstanceRow,
  elementId: string,
  child: InstanceRow,
  from: AppliedStep,
): Promise<{ changed: boolean; toggle: boolean | null }> {
  const over = parent.status === 'completed' || parent.status === 'terminated';
  const childEnded = child.status === 'completed' || child.status === 'terminated';
  const open = childEnded ? [] : await tx.incidents.openOf(child.id);
  const chain = await tx.incidents.openCausedAt(parent.id, elementId);
  const openIds = new Set(open.map((i) => i.id));
  let changed = false;
  let left = 0;
  for (const mirrored of chain) {
    const causeId = mirrored.causeIncidentId ?? '';
    const causeOpen = openIds.has(causeId) || (await tx.incidents.get(causeId))?.status === 'open';
    if (causeOpen) left++;
    else {
      await tx.incidents.resolve(mirrored.id, from.at);
      changed = true;
    }
  }
  const mirroredCauses = new Set(chain.map((i) => i.causeIncidentId));
  for (const cause of over ? [] : open.filter((i) => !mirroredCauses.has(i.id))) {
    await raiseMirror(tx, parent, elementId, child, cause, from);
    changed = true;
    left++;
  }
  const toggle = !over && chain.length > 0 !== left > 0 ? left > 0 : null;
  return { changed, toggle };
}

async function raiseMirror(
  tx: StoreTx,
  parent: InstanceRow,
  elementId: string,
  child: InstanceRow,
  cause: IncidentRow,
  from: AppliedStep,
): Promise<void> {
  const id = newId();
  const rootCauseIncidentId = cause.rootCauseIncidentId ?? cause.id;
  const message =
    cause.code === 'CALLED_INSTANCE_INCIDENT'
      ? cause.message
      : `the called instance '${child.id}' (${child.definitionKey}) has an incident at '${cause.elementId}': ${cause.message}`;
  await tx.incidents.insert({
    id,
    instanceId: parent.id,
    definitionKey: parent.definitionKey,
    elementId,
    code: 'CALLED_INSTANCE_INCIDENT',
    message,
    jobId: null,
    status: 'open',
    createdAt: from.at,
    resolvedAt: null,
    causeIncidentId: cause.id,
    rootCauseIncidentId,
  });
  await tx.history.append([
    {
      instanceId: parent.id,
      elementId,
      elementType: 'callActivity',
      event: 'incident.raised',
      at: from.at,
      by: from.by,
      details: {
        incidentId: id,
        code: 'CALLED_INSTANCE_INCIDENT',
        message,
        calledInstanceId: child.id,
        causeIncidentId: cause.id,
        rootCauseIncidentId,
      },
    },
  ]);
}

function callerOf(
  row: InstanceRow,
): { parentInstanceId: string; elementId: string; activationId: string | null } | null {
  if (!row.parentInstanceId || !row.callerElementId) return null;
  return {
    parentInstanceId: row.parentInstanceId,
    elementId: row.callerElementId,
    activationId: row.callerActivationId ?? null,
  };
}

function activation(activationId: string | null | undefined): { activationId?: string } {
  return activationId ? { activationId } : {};
}
