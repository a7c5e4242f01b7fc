/**
 * Builds the HTTP application: content-type parsers, the problem handler, the actor seam, OpenAPI
 * at /docs, the /api resources and the Camunda 7 compatibility subset. server.ts only listens.
 */
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import {
  ReportService,
  attachInsight,
  channelsFromEnv,
  surveySecretOf,
  type Channel,
  type Engine,
  type InsightService,
  type SlaService,
} from '../runtime/index.js';
import { corsOriginsFrom, registerCors } from './cors.js';
import { JSON_BODY_LIMIT, XML_BODY_LIMIT } from './limits.js';
import { documentRoute, tidyDocument } from './openapi.js';
import { ApiError, frameworkErrors, problemPlugin, problemSchema } from './problem.js';
import { accountRoutes } from './routes/auth.js';
import { calendarRoutes } from './routes/calendars.js';
import { camundaWellKnownRoutes } from './camunda/well-known.js';
import { camundaCompatRoutes } from './routes/camunda-compat.js';
import { zeebeRoutes } from './zeebe/index.js';
import { definitionRoutes } from './routes/definitions.js';
import { decisionRoutes } from './routes/decisions.js';
import { eventRoutes } from './routes/events.js';
import { formRoutes } from './routes/forms.js';
import { caseRoutes } from './routes/cases.js';
import { healthRoutes } from './routes/health.js';
import { incidentRoutes } from './routes/incidents.js';
import { instanceRoutes } from './routes/instances.js';
import { duplicateRoutes } from './routes/duplicates.js';
import { inboxRoutes } from './routes/inbox.js';
import { jobRoutes } from './routes/jobs.js';
import { improvementRoutes } from './routes/improvements.js';
import { kpiRoutes } from './routes/kpis.js';
import { reportRoutes } from './routes/reports.js';
import { emergencyRoutes } from './routes/emergency.js';
import { kriRoutes } from './routes/kris.js';
import { riskRoutes } from './routes/risks.js';
import { messageRoutes } from './routes/messages.js';
import { signalRoutes } from './routes/signals.js';
import { notificationRoutes } from './routes/notifications.js';
import { slaRoutes } from './routes/sla.js';
import { taskRoutes } from './routes/tasks.js';
import { webRoutes } from './routes/web.js';
import { surveyRoutes } from './routes/survey.js';
import { deliveryRoutes } from './routes/deliveries.js';
import { sharedSchemas } from './schemas.js';
import { securityPlugin, securityServices, type AuthOptions } from './security.js';

export interface AppOptions {
  engine: Engine;
  /** The SLA service attached to the engine; /api/sla and /api/calendars are served only with it. */
  sla?: SlaService;
  /** The KPI service (case facts hook); attached here over the SLA service when not given. */
  insight?: InsightService;
  /** A pino logger, pino options, true for defaults, or false for silence (the default under NODE_ENV=test). */
  logger?: boolean | object;
  /** Largest JSON body in bytes (default 1 MB); BPMN XML and multipart deployments may be 5 MB. */
  bodyLimit?: number;
  /** Sign-in token secret and password hashing cost. */
  auth?: AuthOptions;
  /** Signs the customers' survey links (default SVCFLOW_SURVEY_SECRET, else one kept in settings). */
  surveySecret?: string;
  /** The web app's vite build; default designer/dist of this package. */
  webDir?: string;
  /** How far back "New case" looks for duplicates, ISO 8601 (default SVCFLOW_DUPLICATE_WINDOW, else P7D). */
  duplicateWindow?: string;
  /** Origins allowed to call the API from a browser (default SVCFLOW_CORS_ORIGINS); none → no CORS headers. */
  corsOrigins?: string[];
  /** The e-mail channel scheduled reports go out on; default the SMTP channel of the environment (SVCFLOW_SMTP_URL), if any. */
  reportMail?: Channel | null;
}

const TAGS = [
  { name: 'definitions', description: 'Deploy BPMN and read process definitions' },
  { name: 'instances', description: 'Start, inspect and cancel process instances' },
  { name: 'tasks', description: 'User tasks: query, claim, complete' },
  { name: 'messages', description: 'Correlate messages to waiting instances' },
  { name: 'jobs', description: 'External workers: fetch and lock, complete, fail, BPMN error' },
  { name: 'incidents', description: 'Failures that need a person' },
  { name: 'forms', description: 'Task forms (form-js schemas) by form key' },
  { name: 'sla', description: 'SLA clocks in business time: live list and compliance reports' },
  { name: 'kpis', description: 'Service KPIs, volume series and targets per process' },
  { name: 'risks', description: 'Risk register, probability × impact heat map, KRIs and their readings' },
  { name: 'improvements', description: 'PDCA improvement actions raised from cases' },
  { name: 'calendars', description: 'Business calendars: working hours, holidays, make-up working days' },
  { name: 'events', description: 'Live notifications as Server-Sent Events' },
  { name: 'health', description: 'Liveness and database reachability' },
  { name: 'auth', description: 'Sign in and who am I' },
  { name: 'users', description: 'Users, groups and API tokens (admins)' },
  { name: 'notifications', description: 'What was sent to customers and staff, and how' },
  { name: 'surveys', description: 'The customer survey page of a signed link (public)' },
  { name: 'camunda-compat', description: 'A subset of the Camunda 7 REST API under /engine-rest' },
  { name: 'camunda8-compat', description: 'A subset of the Camunda 8 Orchestration Cluster REST API under /v2' },
];

// Sign-in JWTs and API tokens are bearer tokens; HTTP Basic (username and password) is for Camunda Modeler.
const SECURITY_SCHEMES = {
  bearer: { type: 'http', scheme: 'bearer', description: 'a token from POST /api/auth/login, or an API token' },
  basic: { type: 'http', scheme: 'basic' },
} as const;

/** Returns a ready-to-listen Fastify instance over the engine; it holds no state of its own. */
export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    ...loggerOptions(options.logger),
    bodyLimit: options.bodyLimit ?? JSON_BODY_LIMIT,
    // Unknown input fields are refused (400), not silently dropped; every schema error is reported.
    ajv: { customOptions: { removeAdditional: false, allErrors: true, coerceTypes: 'array' } },
    frameworkErrors,
  });
  registerParsers(app);
  await registerCors(app, options.corsOrigins ?? corsOriginsFrom(process.env.SVCFLOW_CORS_ORIGINS));
  for (const schema of [problemSchema, ...sharedSchemas]) app.addSchema(schema);
  await app.register(problemPlugin);
  const security = await securityServices(options.engine, options.auth);
  await app.register(securityPlugin, security);
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'svcflow engine API',
        version: '0.1.0',
        description: 'BPMN 2.0 workflow engine for service processes',
      },
      tags: TAGS,
      components: { securitySchemes: SECURITY_SCHEMES },
      security: [{ bearer: [] }, { basic: [] }],
    },
    // Shared schemas appear in components under their $id (Problem, Instance, Task…).
    refResolver: { buildLocalReference: (json, _base, _fragment, i) => String(json.$id ?? `def-${i}`) },
    // every route: an operationId, no empty `required`, no bogus parameters (engine/api/openapi.ts)
    transform: documentRoute,
    transformObject: tidyDocument,
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  const { engine } = options;
  // API answers carry variables and personal data: no browser or proxy may keep them
  app.addHook('onSend', async (request, reply) => {
    if (/^\/(api|engine-rest)(\/|$)/.test(request.url)) reply.header('cache-control', 'no-store');
  });
  const insight = options.insight ?? (options.sla ? attachInsight(engine, options.sla) : undefined);
  // a database from before the daily KPI roll-up builds it once, before the first request
  await insight?.ensureRollup();
  const reports = insight
    ? new ReportService(engine, insight, {
        mail:
          options.reportMail !== undefined
            ? options.reportMail
            : (channelsFromEnv().find((c) => c.name === 'email') ?? null),
      })
    : undefined;
  await app.register(healthRoutes, { engine });
  await app.register(
    async (api) => {
      for (const routes of [
        definitionRoutes,
        decisionRoutes,
        instanceRoutes,
        taskRoutes,
        messageRoutes,
        signalRoutes,
        jobRoutes,
        incidentRoutes,
        notificationRoutes,
      ]) {
        await api.register(routes, { engine });
      }
      await api.register(accountRoutes, security);
      await api.register(formRoutes, { engine });
      await api.register(eventRoutes, { engine });
      await api.register(inboxRoutes, { engine });
      await api.register(duplicateRoutes, {
        engine,
        window: options.duplicateWindow ?? process.env.SVCFLOW_DUPLICATE_WINDOW,
      });
      await api.register(deliveryRoutes, { engine });
      await api.register(caseRoutes, { engine, sla: options.sla });
      if (options.sla)
        for (const routes of [slaRoutes, calendarRoutes]) await api.register(routes, { sla: options.sla });
      if (insight)
        for (const routes of [kpiRoutes, riskRoutes, kriRoutes, improvementRoutes])
          await api.register(routes, { insight });
      if (reports) await api.register(reportRoutes, { reports });
      if (insight) await api.register(emergencyRoutes, { insight });
    },
    { prefix: '/api' },
  );
  await app.register(camundaCompatRoutes, { engine, prefix: '/engine-rest' });
  await app.register(surveyRoutes, { engine, secret: options.surveySecret ?? (await surveySecretOf(engine.store)) });
  await app.register(camundaWellKnownRoutes);
  await app.register(zeebeRoutes, { engine, prefix: '/v2' });
  await app.register(webRoutes, { distDir: options.webDir });
  return app;
}

// helpers

// A ready pino logger (it has child()) is used as is; options or booleans configure Fastify's own.
function loggerOptions(logger: AppOptions['logger']): Pick<FastifyServerOptions, 'logger' | 'loggerInstance'> {
  if (logger && typeof logger === 'object' && typeof (logger as { child?: unknown }).child === 'function') {
    return { loggerInstance: logger as FastifyBaseLogger };
  }
  return { logger: (logger ?? process.env.NODE_ENV !== 'test') as FastifyServerOptions['logger'] };
}

// JSON routes take only JSON: text/plain is refused with 415 instead of reaching a schema as a string.
function registerParsers(app: FastifyInstance): void {
  app.removeContentTypeParser('text/plain');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    const text = String(body);
    // An empty body on a bodiless action (cancel, unclaim) is no body, not malformed JSON.
    if (text.trim() === '') return done(null, undefined);
    try {
      done(null, JSON.parse(text, rejectProto));
    } catch {
      done(new ApiError('MALFORMED_JSON', 'the request body is not valid JSON'), undefined);
    }
  });
  app.addContentTypeParser(
    ['application/xml', 'text/xml'],
    { parseAs: 'string', bodyLimit: XML_BODY_LIMIT },
    (_request, body, done) => {
      done(null, String(body));
    },
  );
}

// Prototype poisoning guard, as Fastify's own JSON parser does.
function rejectProto(key: string, value: unknown): unknown {
  if (key === '__proto__') throw new Error('__proto__ is not allowed');
  if (key === 'constructor' && value !== null && typeof value === 'object' && 'prototype' in value)
    throw new Error('constructor.prototype is not allowed');
  return value;
}
