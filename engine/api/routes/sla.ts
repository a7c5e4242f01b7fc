/** /api/sla: the supervisors' live SLA list (most urgent first) and compliance reports. */
import { DateTime } from 'luxon';
import type { SlaService } from '../../runtime/index.js';
import type { SlaGroupBy } from '../../store/index.js';
import { reportScopeOf } from '../scopes.js';
import { ApiError, withProblems } from '../problem.js';
import { pagingProperties, strictObject, type RoutePlugin } from '../schemas.js';

const str = { type: 'string' } as const;
const nullableStr = { type: ['string', 'null'] } as const;
const dateTime = { type: 'string', format: 'date-time' } as const;
const nullableDateTime = { type: ['string', 'null'], format: 'date-time' } as const;
const int = { type: 'integer' } as const;

const listQuery = strictObject({
  status: {
    type: 'string',
    enum: ['running', 'paused', 'at-risk', 'breached', 'met', 'cancelled'],
    description: 'running includes paused; at-risk is warned and not breached',
  },
  definitionKey: { type: 'string', minLength: 1 },
  assignee: { type: 'string', minLength: 1, description: "the current assignee of the SLA's task" },
  candidateGroup: { type: 'string', minLength: 1 },
  instanceId: { type: 'string', minLength: 1 },
  open: { type: 'boolean', description: 'true: not yet closed; false: closed' },
  total: { type: 'boolean', default: false, description: 'also count every match (costs a full count)' },
  ...pagingProperties,
});

const reportQuery = strictObject({
  from: { ...dateTime, description: "inclusive; default: Monday 00:00 of this week in the installation's zone" },
  to: { ...dateTime, description: 'exclusive; default: a week after from' },
  groupBy: { type: 'string', enum: ['definition', 'element', 'priority', 'assignee', 'group'], default: 'definition' },
});

const slaItem = {
  type: 'object',
  additionalProperties: false,
  properties: {
    id: str,
    instanceId: str,
    definitionKey: str,
    elementId: str,
    elementName: nullableStr,
    kind: { type: 'string', enum: ['task', 'subprocess', 'process'] },
    taskId: nullableStr,
    assignee: nullableStr,
    candidateGroups: { type: 'array', items: str },
    priority: nullableStr,
    status: { type: 'string', enum: ['running', 'paused', 'met', 'breached', 'cancelled'] },
    atRisk: { type: 'boolean' },
    calendarId: str,
    target: str,
    targetMs: int,
    warnAt: { type: 'array', items: { type: 'number' } },
    warningsDue: { type: 'array', items: dateTime },
    startedAt: dateTime,
    dueAt: dateTime,
    warnedAt: nullableDateTime,
    breachedAt: nullableDateTime,
    completedAt: nullableDateTime,
    pausedMs: int,
    pauseCount: int,
    pausedSince: nullableDateTime,
    businessMs: { type: ['integer', 'null'] },
    businessRemainingMs: { type: 'integer', description: 'business time left; negative when overdue' },
    remaining: { type: 'string', description: "e.g. '3h 20m'" },
    holidayDataMissing: {
      type: 'boolean',
      description: 'the due date falls in a year the calendar has no holiday data for',
    },
  },
  required: [
    'id',
    'instanceId',
    'definitionKey',
    'elementId',
    'kind',
    'status',
    'dueAt',
    'businessRemainingMs',
    'remaining',
  ],
} as const;

const reportGroup = {
  type: 'object',
  additionalProperties: false,
  properties: {
    key: { ...nullableStr, description: 'null for SLAs without one (no task, no priority)' },
    total: int,
    met: int,
    breached: int,
    compliance: { type: 'number', description: 'met ÷ (met + breached), percent' },
    meanBusinessMs: int,
    p90BusinessMs: { type: 'integer', description: 'nearest rank' },
  },
  required: ['key', 'total', 'met', 'breached', 'compliance', 'meanBusinessMs', 'p90BusinessMs'],
} as const;

const reportSchema = {
  type: 'object',
  additionalProperties: false,
  properties: { from: dateTime, to: dateTime, groupBy: str, groups: { type: 'array', items: reportGroup } },
  required: ['from', 'to', 'groupBy', 'groups'],
} as const;

interface ReportQuery {
  from?: string;
  to?: string;
  groupBy: SlaGroupBy;
}

/** SLA routes: durations are business milliseconds of each SLA's calendar. */
export const slaRoutes: RoutePlugin<{ sla: SlaService }> = async (app, { sla }) => {
  app.get(
    '/sla',
    {
      config: { auth: { roles: ['supervisor', 'owner'] } },
      schema: {
        tags: ['sla'],
        summary: 'SLA clocks, most urgent (earliest due) first, with business time left',
        querystring: listQuery,
        response: withProblems({
          200: {
            type: 'object',
            properties: { items: { type: 'array', items: slaItem }, total: int },
            required: ['items'],
          },
        }),
      },
    },
    async (request) => {
      const { total, ...filter } = request.query;
      return sla.queries.list({ ...filter, withTotal: total, scopeGroups: reportScopeOf(request.actor) });
    },
  );

  app.get(
    '/sla/report',
    {
      config: { auth: { roles: ['supervisor', 'owner'] } },
      schema: {
        tags: ['sla'],
        summary: 'Compliance, counts, mean and p90 business duration of SLAs closed met or breached in [from, to)',
        querystring: reportQuery,
        response: withProblems({ 200: reportSchema }),
      },
    },
    async (request) => {
      const { from, to } = period(request.query, sla.queries.now(), sla.engine.config.zone);
      if (Date.parse(from) >= Date.parse(to))
        throw new ApiError('BAD_REQUEST', `the period is empty: from (${from}) must be before to (${to})`);
      return sla.queries.report({
        from,
        to,
        groupBy: request.query.groupBy,
        scopeGroups: reportScopeOf(request.actor),
      });
    },
  );
};

// helpers

// The dashboard's default period: this week, Monday to Sunday in the installation's zone (domain.md §3).
function period(query: ReportQuery, now: Date, zone: string): { from: string; to: string } {
  const from = query.from ? DateTime.fromISO(query.from) : DateTime.fromJSDate(now, { zone }).startOf('week');
  const to = query.to ? DateTime.fromISO(query.to) : from.plus({ weeks: 1 });
  return { from: from.toUTC().toISO()!, to: to.toUTC().toISO()! };
}
