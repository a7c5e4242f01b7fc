/**
 * /api/events: the engine's notifications (task.*, sla.*, instance.*, incident.*) as Server-Sent Events
 * for live dashboards, with a heartbeat comment so proxies keep the stream open. Every event has an
 * `id:`; a client that reconnects with `Last-Event-ID` first gets what it missed from the node's recent
 * events, or a `stream.reset` event when they are no longer held (this node restarted or too much
 * happened), telling it to reload what it shows.
 */
import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { FastifyPluginAsync } from 'fastify';
import type { Engine, EngineNotification } from '../../runtime/index.js';
import { hasRole } from '../access.js';
import type { Actor } from '../actor.js';
import { strictObject } from '../schemas.js';

export interface EventRoutesOptions {
  engine: Engine;
  /** Milliseconds between heartbeat comments (default 15 s). */
  heartbeatMs?: number;
  /** How many recent events a reconnecting client can catch up on (default 1000). */
  replay?: number;
}

interface Logged { id: number; note: EngineNotification }

const query = strictObject({
  types: { type: 'array', items: { type: 'string', minLength: 1 }, description: "type prefixes to receive, e.g. 'sla' or 'task.created'; repeat or comma-separate; default all" },
});

/** The SSE route; each event is `event: <type>` with the notification as JSON data. */
export const eventRoutes: FastifyPluginAsync<EventRoutesOptions> = async (app, { engine, heartbeatMs = 15_000, replay = 1000 }) => {
  const open = new Set<ServerResponse>();
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
  app.addHook('onClose', async () => { engine.events.off('notification', record); });
  // Fastify waits for open connections on close; the streams end first.
  app.addHook('preClose', async () => {
    for (const res of open) res.end();
  });

  app.get<{ Querystring: { types?: string[] } }>('/events', {
    config: { auth: { roles: 'any' } },
    schema: { tags: ['events'], summary: 'A Server-Sent Events stream of task, SLA, instance and incident notifications (staff: task changes and notifications addressed to them)', querystring: query, produces: ['text/event-stream'] },
  }, (request, reply) => {
    const prefixes = (request.query.types ?? []).flatMap((t) => t.split(',')).map((t) => t.trim()).filter(Boolean);
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache, no-transform', connection: 'keep-alive', 'x-accel-buffering': 'no' });
    res.write(': connected\n\n');
    const seesAll = hasRole(request.actor, ['supervisor', 'owner']);
    const write = (id: number | undefined, full: EngineNotification) => {
      const note = seesAll ? full : forStaff(full, request.actor!);
      if (!note) return;
      if (prefixes.length === 0 || prefixes.some((p) => note.type === p || note.type.startsWith(`${p}.`))) {
        res.write(`${id === undefined ? '' : `id: ${boot}.${id}\n`}event: ${note.type}\ndata: ${JSON.stringify(note)}\n\n`);
      }
    };
    const send = (full: EngineNotification) => write(ids.get(full), full);
    const missed = catchUp(request.headers['last-event-id'], boot, recent, last);
    if (missed === 'reset') res.write(`id: ${boot}.${last}\nevent: stream.reset\ndata: ${JSON.stringify({ type: 'stream.reset', at: engine.clock.now().toISOString() })}\n\n`);
    else for (const entry of missed) write(entry.id, entry.note);
    const heartbeat = setInterval(() => res.write(': heartbeat\n\n'), heartbeatMs);
    engine.events.on('notification', send);
    open.add(res);
    res.on('close', () => {
      clearInterval(heartbeat);
      engine.events.off('notification', send);
      open.delete(res);
    });
  });
};

// helpers

/** What a client reconnecting with this Last-Event-ID missed: the events after it, or 'reset' when they are not held. */
function catchUp(header: string | string[] | undefined, boot: string, recent: Logged[], last: number): Logged[] | 'reset' {
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

/** Staff learn that tasks changed (to refresh their list) and see notifications addressed to them or their groups, nothing more. */
function forStaff(note: EngineNotification, actor: Actor): Pick<EngineNotification, 'type' | 'at'> & Partial<EngineNotification> | null {
  if (note.type.startsWith('task.')) return { type: note.type, taskId: note.taskId, at: note.at };
  if (note.type === 'notification.created') {
    const to = note.data as { toUser?: string | null; toGroup?: string | null } | undefined;
    if (to?.toUser === actor.id || (to?.toGroup && actor.groups.includes(to.toGroup))) return note;
  }
  return null;
}
