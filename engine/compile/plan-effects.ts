/**
 * The actions a transition returned → the effects the runtime persists. Pure: expressions are
 * evaluated against the context each action saw, and `now` is given, never read.
 */
import type { Assignment, Mapping } from '../bpmn/model.js';
import { computeTimer, DEFAULT_CRON_ZONE, evaluateMappings, parseIsoDuration, resolveValue } from '../expr/index.js';
import type { Effect, InstanceContext, TaskSpec } from './effects.js';
import type { EffectSpec } from './machine-config.js';
import { conditionError, scopeOf, scriptError } from './machine.js';
import { decide } from './decision-env.js';
import { loopVarsOf, visibleVars } from './multi-instance.js';
import { planCall } from './call-effects.js';

/** The shape of an executable action xstate's transition() returns. */
export interface ReturnedAction {
  type: string;
  params?: unknown;
  info?: { context?: unknown; event?: unknown };
}

type Vars = Record<string, unknown>;

/**
 * Maps returned actions to effects in order; an expression that fails becomes an incident effect for its element.
 * Cron timer cycles are read in `cronZone` (the installation's zone).
 */
export function planEffects(
  actions: readonly ReturnedAction[],
  now: string,
  cronZone: string = DEFAULT_CRON_ZONE,
): Effect[] {
  const effects: Effect[] = [];
  for (const action of actions) {
    if (action.type !== 'svc.effect') continue;
    const context = (action.info?.context ?? { variables: {}, locals: {} }) as InstanceContext;
    const event = (action.info?.event ?? {}) as Vars;
    effects.push(...planScoped(action.params as EffectSpec, context, event, now, cronZone));
  }
  return effects;
}

const CANCELS = new Set([
  'task.cancel',
  'job.cancel',
  'timer.cancel',
  'message.unsubscribe',
  'signal.unsubscribe',
  'call.cancel',
]);
const ARMS = new Set([
  'task.create',
  'job.create',
  'timer.schedule',
  'message.subscribe',
  'signal.subscribe',
  'call.start',
]);
// an eventless multi-instance activity's failing instance is its newest activation
const CHECKS = new Set(['script.check', 'decision.check']);

/**
 * Plans an effect for the activation it belongs to: what a wait state arms goes to its newest
 * activation, a cancel to every running one (or to the one the event names), a job's retry or
 * failure to the event's.
 */
function planScoped(spec: EffectSpec, context: InstanceContext, event: Vars, now: string, cronZone: string): Effect[] {
  const owner = spec.owner ?? spec.elementId;
  const running = context.activations?.[owner] ?? [];
  const named = typeof event.activationId === 'string' ? event.activationId : undefined;
  if (CANCELS.has(spec.kind)) {
    const ids = spec.only === 'event' ? [named] : running.length > 0 ? running : [undefined];
    return ids.map((activationId) =>
      withActivation({ type: spec.kind, elementId: spec.elementId } as Effect, activationId),
    );
  }
  // a retried multi-instance call starts the children of the instances that could not start theirs
  if (spec.kind === 'call.start' && spec.retry)
    return (context.callFailures?.[spec.elementId] ?? []).flatMap((id) =>
      planOne(spec, context, event, now, id, cronZone).map((e) => withActivation(e, id)),
    );
  const activationId =
    ARMS.has(spec.kind) || CHECKS.has(spec.kind)
      ? running[running.length - 1]
      : spec.kind === 'job.fail' || spec.kind === 'job.retry'
        ? named
        : undefined;
  return planOne(spec, context, event, now, activationId, cronZone).map((e) => withActivation(e, activationId));
}

function withActivation(effect: Effect, activationId: string | undefined): Effect {
  if (activationId === undefined) return effect;
  if (effect.type === 'task.create') return { ...effect, task: { ...effect.task, activationId } };
  return effect.type === 'incident.raise' ? effect : ({ ...effect, activationId } as Effect);
}

// helpers

function planOne(
  spec: EffectSpec,
  context: InstanceContext,
  event: Vars,
  now: string,
  activationId: string | undefined,
  cronZone: string,
): Effect[] {
  const vars = scopeOf(context, spec.elementId, activationId);
  switch (spec.kind) {
    case 'element.entered':
    case 'element.left':
      return [{ type: spec.kind, elementId: spec.elementId, elementType: spec.elementType }];
    case 'task.create':
      return planTask(spec, context, now, activationId);
    case 'job.create': {
      const inputs = evaluateMappings(spec.inputs, { ...visibleVars(context), ...loopVarsOf(context, activationId) });
      if (inputs.error) return [failed(spec.elementId, `an input mapping failed: ${inputs.error}`)];
      if (!spec.message)
        return [
          {
            type: 'job.create',
            elementId: spec.elementId,
            jobType: spec.jobType,
            retries: spec.retries,
            inputs: inputs.values,
          },
        ];
      const key =
        spec.message.correlationKey === null
          ? { value: null, error: null }
          : resolveValue(spec.message.correlationKey, vars);
      if (key.error)
        return [failed(spec.elementId, `the correlation key "${spec.message.correlationKey}" failed: ${key.error}`)];
      const message = {
        name: spec.message.name,
        correlationKey: key.value === null || key.value === undefined ? null : String(key.value),
        variables: inputs.values,
      };
      return [
        {
          type: 'job.create',
          elementId: spec.elementId,
          jobType: spec.jobType,
          retries: spec.retries,
          inputs: { message },
        },
      ];
    }
    case 'job.fail':
      return planJobFailure(spec, event, now);
    case 'call.start':
    case 'call.incident':
    case 'call.uncaught':
      return planCall(spec, context, event, activationId);
    case 'job.retry':
      return [
        { type: 'job.retry', elementId: spec.elementId, retries: Math.max(1, Number(event.retries ?? 1)), due: now },
      ];
    case 'timer.schedule': {
      const timer = computeTimer(spec.timer, vars, now, cronZone);
      if ('error' in timer) return [failed(spec.elementId, timer.error)];
      return [
        { type: 'timer.schedule', elementId: spec.elementId, timer: spec.timer, due: timer.due, repeat: timer.repeat },
      ];
    }
    case 'message.subscribe': {
      const key = spec.correlationKey === null ? { value: null, error: null } : resolveValue(spec.correlationKey, vars);
      if (key.error)
        return [failed(spec.elementId, `the correlation key "${spec.correlationKey}" failed: ${key.error}`)];
      const correlationKey = key.value === null || key.value === undefined ? null : String(key.value);
      return [{ type: 'message.subscribe', elementId: spec.elementId, messageName: spec.messageName, correlationKey }];
    }
    case 'signal.subscribe':
      return [{ type: 'signal.subscribe', elementId: spec.elementId, signalName: spec.signalName }];
    case 'signal.throw':
      return planSignalThrow(spec, context);
    case 'sla.start': {
      const target = resolveValue(spec.sla.target, vars);
      if (target.error || typeof target.value !== 'string' || 'error' in parseIsoDuration(target.value)) {
        return [
          failed(
            spec.elementId,
            `the SLA target "${spec.sla.target}" did not give an ISO 8601 duration${target.error ? `: ${target.error}` : ''}`,
          ),
        ];
      }
      return [{ type: 'sla.start', elementId: spec.elementId, sla: spec.sla, target: target.value }];
    }
    case 'incident.raise':
      return [planIncident(spec, context, event)];
    case 'script.check': {
      const error = scriptError(spec.expression, vars);
      return [
        {
          type: 'incident.raise',
          elementId: spec.elementId,
          code: 'EXPRESSION_FAILED',
          message: `script of '${spec.elementId}' failed: ${error ?? 'unknown error'} (expression: ${spec.expression})`,
        },
      ];
    }
    case 'decision.check': {
      const outcome = decide(spec.call, vars, spec.elementId);
      // the guard saw a failure in the same step; a decision that now succeeds cannot happen, it would be a bug
      return [
        {
          type: 'incident.raise',
          elementId: spec.elementId,
          code: outcome.ok ? 'STEP_FAILED' : outcome.code,
          message: outcome.ok ? `business rule task '${spec.elementId}' failed` : outcome.message,
        },
      ];
    }
    case 'sla.pause':
    case 'sla.resume':
      return [{ type: spec.kind, elementId: spec.elementId, reason: spec.reason }];
    case 'instance.terminate':
      return [{ type: 'instance.terminate', elementId: spec.elementId }];
    default:
      return [{ type: spec.kind, elementId: spec.elementId }];
  }
}

/**
 * A thrown signal carries what the thrower passes: Camunda 7 `camunda:in` (every variable with
 * variables="all", single ones source → target), then the event's input mappings (Camunda 8); nothing else.
 */
function planSignalThrow(spec: Extract<EffectSpec, { kind: 'signal.throw' }>, context: InstanceContext): Effect[] {
  const passed = spec.passed;
  const seen = visibleVars(context);
  const variables: Vars = passed?.all ? { ...seen } : {};
  for (const m of passed?.mappings ?? []) if (m.source in seen) variables[m.target] = seen[m.source];
  const inputs = evaluateMappings(spec.inputs, seen);
  if (inputs.error) return [failed(spec.elementId, `an input mapping of the signal throw failed: ${inputs.error}`)];
  return [
    {
      type: 'signal.throw',
      elementId: spec.elementId,
      signalName: spec.signalName,
      variables: { ...variables, ...inputs.values },
    },
  ];
}

/** With retries left the job runs again after the backoff; without, it fails and the element has an incident. */
function planJobFailure(spec: Extract<EffectSpec, { kind: 'job.fail' }>, event: Vars, now: string): Effect[] {
  const message = String(event.message ?? '');
  const retries = Math.max(0, Number(event.retries ?? 0));
  if (retries > 0) {
    const due = new Date(Date.parse(now) + Math.max(0, Number(event.retryBackoffMs ?? 0))).toISOString();
    return [{ type: 'job.retry', elementId: spec.elementId, retries, due, errorMessage: message }];
  }
  return [
    { type: 'job.fail', elementId: spec.elementId, errorMessage: message },
    {
      type: 'incident.raise',
      elementId: spec.elementId,
      code: 'JOB_FAILED',
      message: `job '${spec.jobType}' of '${spec.elementId}' failed and has no retries left: ${message}`,
    },
  ];
}

function planTask(
  spec: Extract<EffectSpec, { kind: 'task.create' }>,
  context: InstanceContext,
  now: string,
  activationId?: string,
): Effect[] {
  const vars = scopeOf(context, spec.elementId, activationId);
  const a: Assignment = spec.assignment;
  const assignee = resolveOptional(a.assignee, vars);
  const priority = resolveOptional(a.priority, vars);
  const due = resolveOptional(a.dueDate, vars);
  const followUp = resolveOptional(a.followUpDate, vars);
  const groups = resolveList(a.candidateGroups, vars);
  const users = resolveList(a.candidateUsers, vars);
  const inputs = evaluateMappings(spec.inputs as Mapping[], {
    ...visibleVars(context),
    ...loopVarsOf(context, activationId),
  });
  const error =
    assignee.error ?? priority.error ?? due.error ?? followUp.error ?? groups.error ?? users.error ?? inputs.error;
  if (error) return [failed(spec.elementId, `the assignment of user task '${spec.elementId}' failed: ${error}`)];
  const task: TaskSpec = {
    elementId: spec.elementId,
    name: spec.name,
    assignee:
      assignee.value === null || assignee.value === undefined || assignee.value === '' ? null : String(assignee.value),
    candidateUsers: users.values,
    candidateGroups: groups.values,
    priority: toPriority(priority.value),
    due: toInstant(due.value, now),
    followUp: toInstant(followUp.value, now),
    formKey: spec.formKey,
    inputs: inputs.values,
  };
  return [{ type: 'task.create', task }];
}

function planIncident(
  spec: Extract<EffectSpec, { kind: 'incident.raise' }>,
  context: InstanceContext,
  event: Vars,
): Effect {
  if (spec.code === 'UNHANDLED_ERROR') {
    const code = String(event.errorCode ?? '');
    const source = String(event.elementId ?? spec.elementId);
    const detail = event.message ? `: ${String(event.message)}` : '';
    return {
      type: 'incident.raise',
      elementId: source,
      code: 'UNHANDLED_ERROR',
      message: `BPMN error '${code}' thrown at '${source}' was not caught by any error boundary event${detail}`,
    };
  }
  for (const expression of spec.conditions ?? []) {
    const error = conditionError(expression, visibleVars(context));
    if (error) {
      return {
        type: 'incident.raise',
        elementId: spec.elementId,
        code: 'CONDITION_FAILED',
        message: `condition "${expression}" of '${spec.elementId}' cannot decide: ${error}`,
      };
    }
  }
  return { type: 'incident.raise', elementId: spec.elementId, code: spec.code, message: spec.message };
}

function failed(elementId: string, message: string): Effect {
  return { type: 'incident.raise', elementId, code: 'EXPRESSION_FAILED', message };
}

function resolveOptional(raw: string | null, vars: Vars): { value: unknown; error: string | null } {
  return raw === null || raw === '' ? { value: null, error: null } : resolveValue(raw, vars);
}

/** A candidate list: literal ids, or expressions giving an id or a list of ids. */
function resolveList(raw: string[], vars: Vars): { values: string[]; error: string | null } {
  const values: string[] = [];
  for (const item of raw) {
    const { value, error } = resolveValue(item, vars);
    if (error) return { values, error };
    for (const v of Array.isArray(value) ? value : [value])
      if (v !== null && v !== undefined && v !== '') values.push(String(v));
  }
  return { values: [...new Set(values)], error: null };
}

/** A task priority from an evaluated value: a rounded number, 50 when it gives none. */
export function toPriority(value: unknown): number {
  const n = typeof value === 'number' ? value : Number(value);
  return value === null || value === undefined || value === '' || !Number.isFinite(n) ? 50 : Math.round(n);
}

/** A due date: an ISO instant as is, an ISO duration counted from now. */
function toInstant(value: unknown, now: string): string | null {
  if (value === null || value === undefined || value === '') return null;
  const text = String(value);
  if (text.startsWith('P')) {
    const timer = computeTimer({ type: 'duration', value: text }, {}, now);
    return 'error' in timer ? null : timer.due;
  }
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}
