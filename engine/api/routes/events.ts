/**
 * /api/events: the engine's notifications (task.*, sla.*, instance.*, incident.*) as Server-Sent Events
 * for live dashboards, with a heartbeat comment so proxies keep the stream open. Every event has an
 * `id:`; a client that reconnects with `Last-Event-ID` first gets what it missed from the node's recent
 * events, or a `stream.reset` event when they are no longer held (this node restarted or too much
 * happened), telling it to reload what it shows.
 */
import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { canSeeInstance, visibilityOf, type Engine, type EngineNotification } from '../../runtime/index.js';
import { hasRole } from '../access.js';
import type { Actor } from '../actor.js';
import { ApiError } from '../problem.js';
import { strictObject, type RoutePlugin } from '../schemas.js';

export interface EventRoutesOptions {
  engine: Engine;
  /** Milliseconds between heartbeat comments (default 15 s). */
  heartbeatMs?: number;
  /** Open streams one caller may hold at once (default 5); one more is 429. */
  maxStreamsPerUser?: number;
  /** How many recent events a reconnecting client can catch up on (default 1000). */
  replay?: number;
}

interface Logged {
  id: number;
  note: EngineNotification;
}

const query = strictObject({
  types: {
    type: 'array',
    items: { type: 'string', minLength: 1 },
    description: "type prefixes to receive, e.g. 'sla' or 'task.created'; repeat or comma-separate; default all",
  },
});

/** The SSE route; each event is `event: <type>` with the notification as JSON data. */
export const eventRoutes: RoutePlugin<EventRoutesOptions> = async (
  app,
  { engine, heartbeatMs = 15_000, maxStreamsPerUser = 5, replay = 1000 },
) => {
  const open = new Set<ServerResponse>();
  const perUser = new Map<string, number>();
  // ids are `<boot>.<n>`: a different boot means the events before it are gone
  const boot = randomBytes(4).toString('hex');
  const recent: Logged[] = [];
  const ids = new WeakMap<EngineNotification, number>();
  let last = 0;
  // registered before any stream, so every note has its id when the streams see it
  const record = (note: EngineNotification) => {
    last += 1;
    ids.set(note, last);
    recent.push({ id: last, note });
    if (recent.length > replay) recent.shift();
  };
  engine.events.on('notification', record);
  app.addHook('onClose', async () => {
    engine.events.off('notification', record);
  });
  // Fastify waits for open connections on close; the streams end first.
  app.addHook('preClose', async () => {
    for (const res of open) res.end();
  });

  app.get(
    '/events',
    {
      config: { auth: { roles: 'any' } },
      schema: {
        tags: ['events'],
        summary:
          'A Server-Sent Events stream of task, SLA, instance and incident notifications (staff: task changes and notifications addressed to them)',
        querystring: query,
        produces: ['text/event-stream'],
      },
    },
    (request, reply) => {
      const prefixes = (request.query.types ?? [])
        .flatMap((t) => t.split(','))
        .map((t) => t.trim())
        .filter(Boolean);
      const who = request.actor?.id ?? '';
      if ((perUser.get(who) ?? 0) >= maxStreamsPerUser)
        throw new ApiError(
          'RATE_LIMITED',
          `at most ${maxStreamsPerUser} event streams per user are open at once; close one first`,
        );
      perUser.set(who, (perUser.get(who) ?? 0) + 1);
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      res.write(': connected\n\n');
      const filter = streamFilter(engine, request.actor ?? null);
      const write = (id: number | undefined, note: Partial<EngineNotification> & { type: string }) => {
        if (prefixes.length === 0 || prefixes.some((p) => note.type === p || note.type.startsWith(`${p}.`))) {
          res.write(
            `${id === undefined ? '' : `id: ${boot}.${id}\n`}event: ${note.type}\ndata: ${JSON.stringify(note)}\n\n`,
          );
        }
      };
      // notes are checked in order, one after another, so the stream keeps the engine's order
      let queue = Promise.resolve();
      const send = (full: EngineNotification, id = ids.get(full)) => {
        queue = queue
          .then(() => filter(full))
          .then(
            (note) => {
              if (note && !res.writableEnded) write(id, note);
            },
            () => undefined,
          );
      };
      const missed = catchUp(request.headers['last-event-id'], boot, recent, last);
      if (missed === 'reset') write(last, { type: 'stream.reset', at: engine.clock.now().toISOString() });
      else for (const entry of missed) send(entry.note, entry.id);
      const heartbeat = setInterval(() => res.write(': heartbeat\n\n'), heartbeatMs);
      engine.events.on('notification', send);
      open.add(res);
      res.on('close', () => {
        perUser.set(who, (perUser.get(who) ?? 1) - 1);
        if (perUser.get(who) === 0) perUser.delete(who);
        clearInterval(heartbeat);
        engine.events.off('notification', send);
        open.delete(res);
      });
    },
  );
};

// helpers

/** What a client reconnecting with this Last-Event-ID missed: the events after it, or 'reset' when they are not held. */
function catchUp(
  header: string | string[] | undefined,
  boot: string,
  recent: Logged[],
  last: number,
): Logged[] | 'reset' {
  const lastEventId = Array.isArray(header) ? header[0] : header;
  if (!lastEventId) return [];
  const [from, n] = lastEventId.split('.');
  const seen = Number(n);
  if (from !== boot || !Number.isInteger(seen) || seen > last) return 'reset';
  if (seen === last) return [];
  const oldest = recent[0]?.id ?? last + 1;
  if (seen + 1 < oldest) return 'reset';
  return recent.filter((entry) => entry.id > seen);
}

type StreamFilter = (note: EngineNotification) => Promise<(Partial<EngineNotification> & { type: string }) | null>;

/**
 * What one caller's stream carries, by the engine's visibility rule: everything for those who see all;
 * for a scoped supervisor the notes of instances they may see; for staff only what forStaff lets through.
 */
function streamFilter(engine: Engine, actor: Actor | null): StreamFilter {
  if (actor && !visibilityOf(actor)) return async (note) => note;
  if (!actor || !hasRole(actor, ['supervisor'])) return async (note) => forStaff(note, actor);
  // an instance once visible stays so (its tasks keep their candidates); an invisible one is asked again, as it may get a task of theirs
  const visible = new Set<string>();
  return async (note) => {
    if (!note.instanceId) return null;
    if (!visible.has(note.instanceId)) {
      if (!(await canSeeInstance(engine.store, actor, note.instanceId))) return null;
      if (visible.size > 1000) visible.clear();
      visible.add(note.instanceId);
    }
    return note;
  };
}

/** Staff learn that tasks changed (to refresh their list) and see notifications addressed to them or their groups, nothing more. */
function forStaff(
  note: EngineNotification,
  actor: Actor | null,
): (Pick<EngineNotification, 'type' | 'at'> & Partial<EngineNotification>) | null {
  if (note.type.startsWith('task.')) return { type: note.type, taskId: note.taskId, at: note.at };
  if (note.type === 'notification.created') {
    const to = note.data as { toUser?: string | null; toGroup?: string | null } | undefined;
    if (actor && (to?.toUser === actor.id || (to?.toGroup && actor.groups.includes(to.toGroup)))) return note;
  }
  return null;
}
