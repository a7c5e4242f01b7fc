/**
 * Derives a case's fact row from its instance after a step: pure, given the previous fact, the
 * step's scope and a business-time function. The KPIs read only these rows (docs/kpis.md).
 */
import type { CaseFact, InstanceRow } from '../../store/index.js';
import type { StepScope } from '../step/effect-executor.js';
import type { CaseFieldConfig } from '../engine-config.js';
import type { KpiProfile } from './profiles.js';

/** What the fact needs beyond the instance: the end event reached and business time between two instants. */
export interface FactContext {
  profile: KpiProfile;
  /** The variables each fact is read from (config caseFields); a fact without one stays empty. */
  fields: CaseFieldConfig;
  endElement: string | null;
  /** The business duration of the process-level SLA clock when the case has one (it leaves out waiting on the customer). */
  processClockMs: number | null;
  businessMs(fromIso: string, toIso: string): number;
}

// A field visit is on time when the engineer arrives within this margin of the appointment (domain.md §3).
const ON_TIME_MARGIN_MS = 30 * 60_000;

/** The fact row after this step. */
export function nextFact(
  previous: CaseFact | null,
  instance: InstanceRow,
  scope: StepScope,
  context: FactContext,
): CaseFact {
  const vars = instance.variables;
  const v = (name: keyof CaseFieldConfig): unknown => {
    const variable = context.fields[name];
    return variable === null ? undefined : vars[variable];
  };
  const ended = instance.status === 'completed' || instance.status === 'terminated';
  const resolved = instance.status === 'completed';
  const firstResponse = firstResponseOf(previous, instance, scope, context);
  return {
    instanceId: instance.id,
    definitionKey: instance.definitionKey,
    businessKey: instance.businessKey,
    status: instance.status,
    startedAt: instance.startedAt,
    endedAt: instance.endedAt,
    endElement: ended ? context.endElement : null,
    success: ended ? isSuccess(instance, context) : null,
    channel: text(v('channel')),
    category: text(v('category')),
    priority: text(v('priority')),
    group: text(vars[context.profile.groupVariable]),
    assignee: completedTask(scope) ? scope.by : (previous?.assignee ?? null),
    touchPoint: text(v('touchPoint')),
    ...firstResponse,
    // time to resolve is measured on completed cases only: a cancelled case was not resolved
    resolutionMs: resolved && instance.endedAt ? Date.parse(instance.endedAt) - Date.parse(instance.startedAt) : null,
    resolutionBusinessMs:
      resolved && instance.endedAt
        ? (context.processClockMs ?? context.businessMs(instance.startedAt, instance.endedAt))
        : null,
    satisfaction: integer(v('satisfaction')),
    nps: integer(v('nps')),
    surveySent: typeof v('survey') === 'string' || (previous?.surveySent ?? false),
    firstContactResolution: booleanOrNull(v('firstContactResolution')),
    reopened: (integer(v('reopenCount')) ?? 0) > 0,
    transferred: (integer(v('transferCount')) ?? 0) > 0,
    visitCount: integer(v('visitCount')),
    onTime: onTimeOf(v('arrivedAt'), v('appointmentStart')),
    cost: costOf(previous, scope, context.fields.cost),
    // a drill (started by the emergency service with `drill: true`) is practice from its start on; the flag
    // never leaves a case
    practice: vars.drill === true || (previous?.practice ?? false),
  };
}

// helpers

function completedTask(scope: StepScope): boolean {
  return scope.event?.type === 'task.completed';
}

/** First response: the completion of the case's first user task (kept once set). */
function firstResponseOf(
  previous: CaseFact | null,
  instance: InstanceRow,
  scope: StepScope,
  context: FactContext,
): Pick<CaseFact, 'firstResponseAt' | 'firstResponseMs' | 'firstResponseBusinessMs'> {
  if (previous?.firstResponseAt)
    return {
      firstResponseAt: previous.firstResponseAt,
      firstResponseMs: previous.firstResponseMs,
      firstResponseBusinessMs: previous.firstResponseBusinessMs,
    };
  if (!completedTask(scope)) return { firstResponseAt: null, firstResponseMs: null, firstResponseBusinessMs: null };
  return {
    firstResponseAt: scope.now,
    firstResponseMs: Date.parse(scope.now) - Date.parse(instance.startedAt),
    firstResponseBusinessMs: context.businessMs(instance.startedAt, scope.now),
  };
}

function isSuccess(instance: InstanceRow, context: FactContext): boolean {
  if (instance.status !== 'completed') return false;
  const ends = context.profile.successEnds;
  return ends === null || (context.endElement !== null && ends.includes(context.endElement));
}

function onTimeOf(arrivedAt: unknown, appointmentStart: unknown): boolean | null {
  const arrived = Date.parse(String(arrivedAt ?? ''));
  const appointment = Date.parse(String(appointmentStart ?? ''));
  if (Number.isNaN(arrived) || Number.isNaN(appointment)) return null;
  return arrived <= appointment + ON_TIME_MARGIN_MS;
}

/** Cost per case: the sum of the cost variable each completed task reported. */
function costOf(previous: CaseFact | null, scope: StepScope, variable: string | null): number | null {
  const event = scope.event;
  const reported =
    variable !== null && event?.type === 'task.completed' && event.variables ? event.variables[variable] : undefined;
  if (typeof reported !== 'number' || !Number.isFinite(reported)) return previous?.cost ?? null;
  return (previous?.cost ?? 0) + reported;
}

function booleanOrNull(value: unknown): boolean | null {
  return typeof value === 'boolean' ? value : null;
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

function integer(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? Math.round(value) : null;
}
