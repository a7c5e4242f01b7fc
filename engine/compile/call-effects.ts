/** Plans a call activity's effects: the child's start (key, binding, variables in), its failures and hand-offs. */
import type { Effect, InstanceContext } from './effects.js';
import type { EffectSpec } from './machine-config.js';
import { activationKey } from './activations.js';
import { callInput } from './call-activity.js';
import { evaluateMappings, resolveValue } from '../expr/index.js';
import { loopVarsOf, visibleVars } from './multi-instance.js';

type Vars = Record<string, unknown>;
type CallSpec = Extract<EffectSpec, { kind: 'call.start' | 'call.incident' | 'call.uncaught' }>;

export function planCall(spec: CallSpec, context: InstanceContext, event: Vars, activationId?: string): Effect[] {
  if (spec.kind === 'call.incident')
    return [
      {
        type: 'incident.raise',
        elementId: spec.elementId,
        code: event.code === 'EXPRESSION_FAILED' ? 'EXPRESSION_FAILED' : 'CALLED_PROCESS_NOT_FOUND',
        message: String(event.message ?? ''),
      },
    ];
  if (spec.kind === 'call.uncaught') {
    // an SLA's warning or breach belongs to its element, never to a calling process
    if (event.source === 'sla') return [];
    const code = String((spec.uncaught === 'error' ? event.errorCode : event.escalationCode) ?? '');
    const variables = isVars(event.variables) ? { variables: event.variables } : {};
    const message = typeof event.message === 'string' ? { message: event.message } : {};
    return [
      {
        type: 'call.uncaught',
        elementId: String(event.elementId ?? spec.elementId),
        kind: spec.uncaught,
        code,
        ...message,
        ...variables,
      },
    ];
  }
  const loop = loopVarsOf(context, activationId) ?? {};
  const own = activationId === undefined ? undefined : context.locals[activationKey(activationId)];
  // inside a multi-instance sub-process the call sees its instance's loop variables too
  const base = { ...visibleVars(context), ...loop };
  // the input mappings were evaluated on entry into the element's locals; without any they are evaluated here
  const locals =
    own ?? context.locals[spec.elementId] ?? (spec.inputs.length > 0 ? evaluateMappings(spec.inputs, base).values : {});
  const key = resolveValue(spec.call.processId, { ...base, ...locals });
  if (key.error || typeof key.value !== 'string' || key.value === '')
    return [
      {
        type: 'incident.raise',
        elementId: spec.elementId,
        code: 'EXPRESSION_FAILED',
        message: `the called process id "${spec.call.processId}" ${key.error ? `failed: ${key.error}` : 'gave no process id (a non-empty string)'}`,
      },
    ];
  const passed = callInput(spec.call, base, { ...loop, ...locals });
  if (passed.error)
    return [{ type: 'incident.raise', elementId: spec.elementId, code: 'EXPRESSION_FAILED', message: passed.error }];
  return [
    {
      type: 'call.start',
      elementId: spec.elementId,
      processId: key.value,
      binding: spec.call.binding,
      version: spec.call.version,
      versionTag: spec.call.versionTag,
      variables: passed.variables,
      businessKey: passed.businessKey,
    },
  ];
}

function isVars(value: unknown): value is Vars {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
