/** /api/reports: weekly and monthly KPI reports as XLSX, PDF or CSV; /api/report-schedules: e-mailing them on a schedule. */
import { REPORT_FORMATS, REPORT_KINDS, REPORT_PERIODS, type ReportService } from '../../runtime/index.js';
import { hasRole } from '../access.js';
import { actorId } from '../actor.js';
import { ApiError, withProblems } from '../problem.js';
import { idParams, strictObject, type RoutePlugin } from '../schemas.js';
import { reportScopeOf } from '../scopes.js';

const key = { type: 'string', minLength: 1, maxLength: 200 } as const;
const lang = { type: 'string', enum: ['en', 'zh'] } as const;

const reportQuery = strictObject({
  period: { type: 'string', enum: [...REPORT_PERIODS], default: 'week' },
  at: {
    type: 'string',
    format: 'date-time',
    description: 'any instant in the week or month to report; default: the last full one',
  },
  process: key,
  format: { type: 'string', enum: [...REPORT_FORMATS], default: 'xlsx' },
  lang: { ...lang, default: 'en' },
});

const scheduleBody = strictObject(
  {
    kind: { type: 'string', enum: [...REPORT_KINDS] },
    period: { type: 'string', enum: [...REPORT_PERIODS] },
    format: { type: 'string', enum: ['xlsx', 'pdf'], default: 'xlsx' },
    lang: { ...lang, default: 'zh' },
    process: key,
    recipients: {
      type: 'array',
      minItems: 1,
      maxItems: 50,
      items: { type: 'string', format: 'email', maxLength: 254 },
    },
  },
  ['kind', 'period', 'recipients'],
);

const schedule = {
  type: 'object',
  additionalProperties: true,
  description:
    'a report schedule: kind, period, format, lang, definitionKey, recipients, nextRunAt, lastSentAt, lastError',
} as const;

/** Supervisors and owners download reports (supervisors' figures are scoped as in /api/kpis); owners and service managers schedule them. */
export const reportRoutes: RoutePlugin<{ reports: ReportService }> = async (app, { reports }) => {
  app.get(
    '/reports/:kind',
    {
      config: { auth: { roles: ['supervisor', 'owner'] } },
      schema: {
        tags: ['kpis'],
        summary: 'A weekly or monthly service-quality, feedback or risk report as an XLSX, PDF or CSV download',
        params: strictObject({ kind: { type: 'string', enum: [...REPORT_KINDS] } }, ['kind']),
        querystring: reportQuery,
        produces: ['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'application/pdf', 'text/csv'],
        response: withProblems({ 200: { type: 'string', format: 'binary' } }),
      },
    },
    async (request, reply) => {
      const { period, at, process, format, lang: language } = request.query;
      const file = await reports.render(
        { kind: request.params.kind, period, at, process, lang: language, scopeGroups: reportScopeOf(request.actor) },
        format,
      );
      return reply
        .type(file.contentType)
        .header('content-disposition', `attachment; filename="${file.fileName}"`)
        .send(file.content);
    },
  );

  app.get(
    '/report-schedules',
    {
      config: { auth: { roles: ['supervisor', 'owner'] } },
      schema: {
        tags: ['kpis'],
        summary: 'Scheduled report e-mails',
        response: withProblems({
          200: { type: 'object', properties: { items: { type: 'array', items: schedule } }, required: ['items'] },
        }),
      },
    },
    async () => ({ items: await reports.list() }),
  );

  app.post(
    '/report-schedules',
    {
      config: { auth: { roles: ['supervisor', 'owner'] } },
      schema: {
        tags: ['kpis'],
        summary:
          'E-mail a report every week or month (08:00 in the configured zone after the period) to the addresses given',
        body: scheduleBody,
        response: withProblems({ 201: schedule }),
      },
    },
    async (request, reply) => {
      // a scoped supervisor would mail figures of other groups: scheduling is for owners and service managers
      if (!hasRole(request.actor!, ['owner']) && reportScopeOf(request.actor) !== undefined) {
        throw new ApiError('FORBIDDEN', 'only process owners and service managers schedule report e-mails');
      }
      return reply.code(201).send(await reports.create(request.body, actorId(request)));
    },
  );

  app.get(
    '/report-schedules/:id',
    {
      config: { auth: { roles: ['supervisor', 'owner'] } },
      schema: {
        tags: ['kpis'],
        summary: 'A report schedule with its last runs',
        params: idParams,
        response: withProblems({ 200: schedule }),
      },
    },
    async (request) => reports.get(request.params.id),
  );

  app.delete(
    '/report-schedules/:id',
    {
      config: { auth: { roles: ['owner'] } },
      schema: {
        tags: ['kpis'],
        summary: 'Stop a report schedule',
        params: idParams,
        response: withProblems({ 204: { type: 'null' } }),
      },
    },
    async (request, reply) => {
      await reports.remove(request.params.id);
      return reply.code(204).send();
    },
  );
};
