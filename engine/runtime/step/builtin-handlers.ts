/**
 * Default in-process workers for the job types of the reference processes. Notifications, surveys,
 * CRM and billing records are stored (GET /api/notifications) and published; `process.start` starts
 * the linked process. An external worker of the same type replaces a handler by fetching its jobs.
 */
import { createHash } from 'node:crypto';
import { DateTime } from 'luxon';
import type { NotificationRow, StoreTx } from '../../store/index.js';
import type { Engine } from '../engine.js';
import type { JobContext, JobHandler } from './jobs.js';
import type { DeliveryService } from '../notify/index.js';
import { runIdempotent } from './idempotency.js';

type Vars = Record<string, unknown>;

const SLOTS: Record<string, [start: number, end: number]> = {
  morning: [9, 12],
  afternoon: [13, 18],
  evening: [18, 21],
};

/** The job types that have a built-in handler. */
export const BUILTIN_JOB_TYPES = [
  'notify.customer',
  'notify.staff',
  'survey.send',
  'crm.update',
  'billing.invoice',
  'schedule.propose',
  'process.start',
] as const;

/** Registers every built-in handler on the engine, except the types listed in `except` (left to external workers); `deliveries` sends what they record. */
export function registerBuiltinHandlers(
  engine: Engine,
  options: { except?: string[]; deliveries?: DeliveryService } = {},
): void {
  const record = (ctx: JobContext, audience: Audience, extra: Vars = {}, to?: Recipient) =>
    recordNotification(engine, options.deliveries, ctx, audience, extra, to);
  const handlers: Record<string, JobHandler> = {
    'notify.customer': async (ctx) => ({ notificationId: await record(ctx, 'customer', await promise(engine, ctx)) }),
    'notify.staff': async (ctx) => {
      await record(ctx, 'staff');
      if (inputOf(ctx).template === 'sla-warning')
        for (const to of await workersOf(engine, ctx)) await record(ctx, 'staff', {}, to);
    },
    'survey.send': async (ctx) => ({ surveyId: await record(ctx, 'customer') }),
    'crm.update': async (ctx) => {
      await record(ctx, 'system');
    },
    'billing.invoice': async (ctx) => {
      const id = await record(ctx, 'system');
      return {
        invoiceId: invoiceNumber(engine, id),
      };
    },
    'schedule.propose': (ctx) => proposeSlot(engine, ctx),
    'process.start': (ctx) => startLinked(engine, ctx),
  };
  for (const [type, handler] of Object.entries(handlers)) {
    if (!options.except?.includes(type)) engine.registerHandler(type, handler);
  }
}

// helpers

/** An invoice number: the configured prefix (builtinHandlers.invoicePrefix), the local date and the record's id. */
function invoiceNumber(engine: Engine, id: string): string {
  const day = DateTime.fromJSDate(engine.clock.now(), { zone: engine.config.zone }).toFormat('yyyyMMdd');
  const prefix = engine.config.builtinHandlers.invoicePrefix;
  return `${prefix === null ? '' : `${prefix}-`}${day}-${id.slice(0, 8).toUpperCase()}`;
}

/** The job's input mappings over the instance variables: what a handler was asked to do. */
function inputOf(ctx: JobContext): Vars {
  return { ...ctx.variables, ...ctx.job.inputs };
}

type Audience = 'customer' | 'staff' | 'system';

async function recordNotification(
  engine: Engine,
  deliveries: DeliveryService | undefined,
  ctx: JobContext,
  audience: Audience,
  extra: Vars = {},
  to?: Recipient,
): Promise<string> {
  const input = inputOf(ctx);
  const row: NotificationRow = {
    id: onceId(ctx.idempotencyKey, audience, to),
    kind: ctx.job.type,
    instanceId: ctx.job.instanceId,
    definitionKey: ctx.job.definitionKey,
    elementId: ctx.job.elementId,
    toUser: audience === 'staff' ? (to ? to.user : text(input.toUser)) : null,
    toGroup: audience === 'staff' ? (to ? to.group : text(input.toGroup)) : null,
    channel: audience === 'customer' ? (text(input.channel) ?? text(input.preferredContact)) : null,
    template: text(input.template),
    payload:
      audience === 'system'
        ? ctx.job.inputs
        : { ...ctx.job.inputs, ...(audience === 'customer' ? contactOf(input) : {}), ...extra },
    createdAt: engine.clock.now().toISOString(),
  };
  // a job attempt run again (its node died before completing it) finds its record and sends nothing twice;
  // the record and its deliveries commit together, so a death between them loses no message
  const fresh = await engine.store.transaction(async (tx) => {
    if (!(await tx.notifications.insertOnce(row))) return false;
    if (audience !== 'system') await deliveries?.enqueue(row, tx);
    return true;
  });
  if (!fresh) return row.id;
  engine.publish([
    {
      type: 'notification.created',
      instanceId: row.instanceId,
      definitionKey: row.definitionKey,
      elementId: row.elementId,
      at: row.createdAt,
      data: { id: row.id, kind: row.kind, toUser: row.toUser, toGroup: row.toGroup, template: row.template },
    },
  ]);
  return row.id;
}

interface Recipient {
  user: string | null;
  group: string | null;
}

// The record's id follows from the job attempt and its recipient, so the same attempt writes the same row.
function onceId(idempotencyKey: string, audience: string, to?: Recipient): string {
  const hex = createHash('sha256')
    .update(`${idempotencyKey}|${audience}|${to?.user ?? ''}|${to?.group ?? ''}`)
    .digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/**
 * Who does the work an SLA warning is about (pattern W of domain.md): the task's assignee, or its
 * candidate groups while unclaimed; for a sub-process, the assignees (or groups) of the instance's open tasks.
 */
async function workersOf(engine: Engine, ctx: JobContext): Promise<Recipient[]> {
  const about = text(inputOf(ctx).about);
  if (!about) return [];
  const own = await engine.store.tasks.openByElement(ctx.job.instanceId, about);
  const tasks = own ? [own] : await openTasksInside(engine, ctx.job.instanceId, about);
  const already = text(inputOf(ctx).toGroup);
  const seen = new Set<string>();
  const recipients: Recipient[] = [];
  for (const task of tasks) {
    const targets: Recipient[] = task.assignee
      ? [{ user: task.assignee, group: null }]
      : task.candidateGroups.map((g) => ({ user: null, group: g }));
    for (const r of targets) {
      const key = `${r.user}|${r.group}`;
      if (r.group === already || seen.has(key)) continue;
      seen.add(key);
      recipients.push(r);
    }
  }
  return recipients;
}

/** The open tasks of an instance that sit inside a sub-process, at any depth. */
async function openTasksInside(engine: Engine, instanceId: string, scopeId: string) {
  const instance = await engine.store.instances.get(instanceId);
  if (!instance) return [];
  const { compiled } = await engine.definitions.load(instance.definitionId);
  const inside = (id: string): boolean => {
    for (let at = compiled.elementScopes[id]; at && at !== compiled.processId; at = compiled.elementScopes[at])
      if (at === scopeId) return true;
    return false;
  };
  return (await engine.store.tasks.list({ instanceId, status: 'open', limit: 100 })).items.filter((t) =>
    inside(t.elementId),
  );
}

/** `promiseOf`: the due date of that element's SLA, quoted to the customer as the promised time. */
async function promise(engine: Engine, ctx: JobContext): Promise<Vars> {
  const element = text(inputOf(ctx).promiseOf);
  if (!element) return {};
  const sla = await engine.store.sla.openByElement(ctx.job.instanceId, element);
  return sla ? { promisedBy: sla.dueAt } : {};
}

/**
 * The preferred day and slot in the installation's zone (the next day when it is missing or past), and a staff
 * member of the configured engineer group (builtinHandlers.engineerGroup; none without one).
 */
async function proposeSlot(engine: Engine, ctx: JobContext): Promise<Vars> {
  const input = inputOf(ctx);
  const { zone, builtinHandlers } = engine.config;
  const now = DateTime.fromJSDate(engine.clock.now(), { zone });
  const [from, to] = SLOTS[String(input.preferredSlot)] ?? SLOTS.morning;
  const preferred = typeof input.preferredDate === 'string' ? DateTime.fromISO(input.preferredDate, { zone }) : null;
  let day = preferred?.isValid ? preferred.startOf('day') : now.plus({ days: 1 }).startOf('day');
  if (day.set({ hour: from }) <= now) day = now.plus({ days: 1 }).startOf('day');
  const group = builtinHandlers.engineerGroup;
  const engineers = group ? await staffOf(engine, group) : [];
  await recordNotification(engine, undefined, ctx, 'system');
  return {
    proposedStart: day.set({ hour: from }).toISO(),
    proposedEnd: day.set({ hour: to }).toISO(),
    proposedEngineerId: engineers.length > 0 ? engineers[hash(ctx.job.instanceId) % engineers.length] : null,
  };
}

/**
 * Starts the linked process once per job: the start and its record (an idempotency key per job id) commit
 * together, so a job run again after its node died, or retried after a failure, finds the instance it started.
 */
async function startLinked(engine: Engine, ctx: JobContext): Promise<Vars> {
  const input = inputOf(ctx);
  const definitionKey = text(input.definitionKey);
  if (!definitionKey) throw new Error('process.start needs a definitionKey input');
  const businessKey = text(input.businessKey);
  const variables = { ...(isObject(input.variables) ? input.variables : {}), sourceJobId: ctx.job.id };
  const request = {
    scope: 'job process.start',
    owner: 'system',
    key: ctx.job.id,
    request: { definitionKey, businessKey },
  };
  const answer = await runIdempotent(
    engine.store,
    engine.clock,
    request,
    async (finish) => {
      const within = (tx: StoreTx, view: { id: string }) => finish(tx, { statusCode: 201, body: { id: view.id } });
      const started = await engine.startInstance({ definitionKey, businessKey, variables, by: 'system', within });
      return { statusCode: 201, body: { id: started.id } };
    },
    engine.idempotencyLeaseMs,
  );
  return { startedInstanceId: (answer.body as { id: string }).id };
}

/** The members of a group who do the work (staff), not the supervisors who watch it. */
async function staffOf(engine: Engine, groupId: string): Promise<string[]> {
  const members = (await engine.store.users.getGroup(groupId))?.members ?? [];
  const users = await Promise.all(members.map((m) => engine.store.users.get(m)));
  return users.filter((u) => u && !u.disabled && u.roles.includes('staff')).map((u) => u!.username);
}

function contactOf(input: Vars): Vars {
  const keys = ['customerName', 'customerPhone', 'customerEmail', 'phone', 'email', 'preferredContact'];
  return Object.fromEntries(keys.filter((k) => input[k] !== undefined).map((k) => [k, input[k]]));
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

function isObject(value: unknown): value is Vars {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function hash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (h * 31 + s.charCodeAt(i)) >>> 0;
  return h;
}
