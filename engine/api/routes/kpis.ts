/** /api/kpis: service KPIs per process from the engine's own rows; /api/volumes: the denominators of rates; targets per process. */
import { bucketsOf, thisWeek, type InsightService, type KpiGroupBy } from '../../runtime/index.js';
import { reportScopeOf } from '../scopes.js';
import { ApiError, withProblems } from '../problem.js';
import { strictObject, type RoutePlugin } from '../schemas.js';

const dateTime = { type: 'string', format: 'date-time' } as const;
const isoDate = { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' } as const;
const key = { type: 'string', minLength: 1, maxLength: 200 } as const;
const MAX_BUCKETS = 400;

export const KPI_GROUPINGS = [
  'day',
  'week',
  'month',
  'channel',
  'category',
  'priority',
  'group',
  'assignee',
  'touchPoint',
] as const;

/** The KPI names a target may be set for (docs/kpis.md). */
export const KPI_NAMES = [
  'firstResponseBusinessMs',
  'resolutionBusinessMs',
  'slaCompliance',
  'csatMean',
  'csatSatisfied',
  'nps',
  'firstContactResolution',
  'reopenRate',
  'transferRate',
  'surveyResponseRate',
  'complaintRate',
  'completionRate',
  'onTimeArrival',
  'firstTimeFix',
  'costPerCase',
  'backlog',
  'improvementClosureRate',
] as const;

const kpiQuery = strictObject({
  process: { ...key, description: 'a process key; all processes when absent' },
  from: { ...dateTime, description: "inclusive; default: Monday 00:00 of this week in the installation's zone" },
  to: { ...dateTime, description: 'exclusive; default: a week after from' },
  groupBy: { type: 'string', enum: [...KPI_GROUPINGS] },
  series: { ...key, description: 'the volume series complaint rates divide by (default service-orders)' },
});

const kpiReport = {
  type: 'object',
  additionalProperties: true,
  description: 'totals, groups (each with the same KPI set), backlog, targets; see docs/kpis.md',
} as const;

const volumesBody = strictObject(
  {
    series: { type: 'string', minLength: 1, maxLength: 64, default: 'service-orders' },
    counts: {
      type: 'array',
      minItems: 1,
      maxItems: 1000,
      items: strictObject({ day: isoDate, count: { type: 'integer', minimum: 0 } }, ['day', 'count']),
    },
  },
  ['counts'],
);

const kpiTarget = { type: ['number', 'null'] } as const;
const targetsBody = strictObject(
  {
    targets: {
      type: 'object',
      additionalProperties: false,
      description: 'KPI name → target (null removes it)',
      properties: Object.fromEntries(KPI_NAMES.map((name) => [name, kpiTarget])) as Record<
        (typeof KPI_NAMES)[number],
        typeof kpiTarget
      >,
    },
  },
  ['targets'],
);

interface KpiQuerystring {
  process?: string;
  from?: string;
  to?: string;
  groupBy?: KpiGroupBy;
  series?: string;
}

/** KPI routes: owners see every process's figures, supervisors those of their groups, service managers and admins everything. */
export const kpiRoutes: RoutePlugin<{ insight: InsightService }> = async (app, { insight }) => {
  app.get(
    '/kpis',
    {
      config: { auth: { roles: ['supervisor', 'owner'] } },
      schema: {
        tags: ['kpis'],
        summary:
          'KPIs of cases ended and SLA clocks closed in [from, to), optionally grouped, with the open backlog and targets',
        querystring: kpiQuery,
        response: withProblems({ 200: kpiReport }),
      },
    },
    async (request) => {
      const { from, to } = periodOf(request.query, insight.now(), insight.zone);
      if (Date.parse(from) >= Date.parse(to))
        throw new ApiError('BAD_REQUEST', `the period is empty: from (${from}) must be before to (${to})`);
      const { groupBy } = request.query;
      if (
        (groupBy === 'day' || groupBy === 'week' || groupBy === 'month') &&
        bucketsOf(from, to, groupBy, insight.zone).length > MAX_BUCKETS
      ) {
        throw new ApiError(
          'BAD_REQUEST',
          `the period spans more than ${MAX_BUCKETS} ${groupBy}s; narrow it or group by a longer unit`,
        );
      }
      return insight.kpis({
        definitionKey: request.query.process,
        from,
        to,
        groupBy,
        volumeSeries: request.query.series,
        scopeGroups: reportScopeOf(request.actor),
      });
    },
  );

  app.get(
    '/kpis/elements',
    {
      config: { auth: { roles: ['supervisor', 'owner'] } },
      schema: {
        tags: ['kpis'],
        summary:
          "A process's performance per diagram element over the cases started in [from, to) (default: the last 30 days): counts, durations, waits, SLA breaches, gateway paths",
        querystring: strictObject({ process: key, from: dateTime, to: dateTime }, ['process']),
        response: withProblems({
          200: { type: 'object', additionalProperties: true, description: 'cases, sampled, elements[], paths[]' },
        }),
      },
    },
    async (request) => {
      const now = insight.now().getTime();
      const to = request.query.to ? new Date(request.query.to).toISOString() : new Date(now + 1).toISOString();
      const from = request.query.from
        ? new Date(request.query.from).toISOString()
        : new Date(Date.parse(to) - 30 * 86_400_000).toISOString();
      if (Date.parse(from) >= Date.parse(to))
        throw new ApiError('BAD_REQUEST', `the period is empty: from (${from}) must be before to (${to})`);
      return {
        definitionKey: request.query.process,
        from,
        to,
        ...(await insight.elementPerformance(request.query.process, from, to, reportScopeOf(request.actor))),
      };
    },
  );

  app.post(
    '/volumes',
    {
      config: { auth: { roles: ['owner', 'worker'] } },
      schema: {
        tags: ['kpis'],
        summary: 'Post daily counts of a volume series (service orders, customers): the denominator of complaint rates',
        body: volumesBody,
        response: withProblems({ 204: { type: 'null' } }),
      },
    },
    async (request, reply) => {
      await insight.putVolumes(request.body.series, request.body.counts);
      return reply.code(204).send();
    },
  );

  app.get(
    '/kpis/targets/:key',
    {
      config: { auth: { roles: ['supervisor', 'owner'] } },
      schema: {
        tags: ['kpis'],
        summary: "A process's KPI targets",
        params: strictObject({ key }, ['key']),
        response: withProblems({ 200: { type: 'object', additionalProperties: { type: 'number' } } }),
      },
    },
    async (request) => insight.targets(request.params.key),
  );

  app.put(
    '/kpis/targets/:key',
    {
      config: { auth: { roles: ['owner'] } },
      schema: {
        tags: ['kpis'],
        summary: "Set a process's KPI targets (process owners)",
        params: strictObject({ key }, ['key']),
        body: targetsBody,
        response: withProblems({ 200: { type: 'object', additionalProperties: { type: 'number' } } }),
      },
    },
    async (request) => insight.putTargets(request.params.key, request.body.targets),
  );
};

// helpers

function periodOf(query: KpiQuerystring, now: Date, zone: string): { from: string; to: string } {
  const week = thisWeek(now, zone);
  const from = query.from ? new Date(query.from).toISOString() : week.from;
  const to = query.to
    ? new Date(query.to).toISOString()
    : query.from
      ? new Date(Date.parse(from) + 7 * 86_400_000).toISOString()
      : week.to;
  return { from, to };
}
