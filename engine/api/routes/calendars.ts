/** /api/calendars: business calendars (working hours per weekday, holidays, make-up working days) that SLA clocks run on. */
import { calendarGaps, type SlaService, type StoredCalendar, type Weekday } from '../../runtime/index.js';
import { withProblems } from '../problem.js';
import { idParams, strictObject, type RoutePlugin } from '../schemas.js';

const interval = {
  type: 'string',
  pattern: '^\\d{2}:\\d{2}-\\d{2}:\\d{2}$',
  description: "local 'HH:mm-HH:mm'; the end may be 24:00",
} as const;
const isoDate = { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' } as const;
const day = { type: 'array', items: interval, maxItems: 12 } as const;
const week = strictObject(
  { mon: day, tue: day, wed: day, thu: day, fri: day, sat: day, sun: day } satisfies Record<Weekday, typeof day>,
  ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'],
);

const calendarBody = strictObject(
  {
    name: { type: 'string', minLength: 1, maxLength: 200 },
    zone: { type: 'string', minLength: 1, maxLength: 64, description: 'IANA time zone, e.g. Asia/Shanghai' },
    week,
    holidays: { type: 'array', items: isoDate, maxItems: 5000 },
    extraWorkingDays: {
      type: 'array',
      items: isoDate,
      maxItems: 5000,
      description: 'make-up working days (调休), worked like the first weekday with hours',
    },
  },
  ['name', 'zone', 'week', 'holidays', 'extraWorkingDays'],
);

const calendarSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    id: { type: 'string' },
    ...calendarBody.properties,
    updatedAt: { type: 'string', format: 'date-time' },
  },
  required: ['id', 'name', 'zone', 'week', 'holidays', 'extraWorkingDays', 'updatedAt'],
} as const;

const summarySchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    id: { type: 'string' },
    name: { type: 'string' },
    zone: { type: 'string' },
    week,
    updatedAt: { type: 'string', format: 'date-time' },
    holidayYears: { type: 'array', items: { type: 'integer' }, description: 'years with holiday or make-up day data' },
  },
  required: ['id', 'name', 'zone', 'week', 'holidayYears', 'updatedAt'],
} as const;

const gapSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    calendarId: { type: 'string' },
    name: { type: 'string' },
    zone: { type: 'string' },
    missingYears: { type: 'array', items: { type: 'integer' } },
    usedBy: { type: 'array', items: { type: 'string' } },
  },
  required: ['calendarId', 'name', 'zone', 'missingYears', 'usedBy'],
} as const;

/** Calendar routes; a PUT creates or replaces the whole calendar and is validated before it is stored. */
export const calendarRoutes: RoutePlugin<{ sla: SlaService }> = async (app, { sla }) => {
  app.get(
    '/calendars',
    {
      config: { auth: { roles: 'any' } },
      schema: {
        tags: ['calendars'],
        summary: 'List business calendars',
        response: withProblems({
          200: { type: 'object', properties: { items: { type: 'array', items: summarySchema } }, required: ['items'] },
        }),
      },
    },
    async () => ({ items: (await sla.calendars.list()).map(summaryOf) }),
  );

  app.get(
    '/calendars/coverage',
    {
      config: { auth: { roles: 'any' } },
      schema: {
        tags: ['calendars'],
        summary:
          'Calendars used by deployed SLAs that have no holiday data for the current year, or for the next one from 60 days before it starts',
        response: withProblems({
          200: { type: 'object', properties: { items: { type: 'array', items: gapSchema } }, required: ['items'] },
        }),
      },
    },
    async () => ({ items: await calendarGaps(sla.engine, sla, sla.engine.clock.now()) }),
  );

  app.get(
    '/calendars/:id',
    {
      config: { auth: { roles: 'any' } },
      schema: {
        tags: ['calendars'],
        summary: 'Read a business calendar',
        params: idParams,
        response: withProblems({ 200: calendarSchema }),
      },
    },
    async (request) => sla.calendars.get(request.params.id),
  );

  app.put(
    '/calendars/:id',
    {
      config: { auth: { roles: ['owner'] } },
      schema: {
        tags: ['calendars'],
        summary: 'Create or replace a business calendar',
        params: idParams,
        body: calendarBody,
        response: withProblems({ 200: calendarSchema }),
      },
    },
    async (request) => sla.calendars.put({ ...request.body, id: request.params.id }),
  );
};

// helpers

function summaryOf(calendar: StoredCalendar) {
  const years = new Set([...calendar.holidays, ...calendar.extraWorkingDays].map((d) => Number(d.slice(0, 4))));
  return {
    id: calendar.id,
    name: calendar.name,
    zone: calendar.zone,
    week: calendar.week,
    updatedAt: calendar.updatedAt,
    holidayYears: [...years].sort(),
  };
}
