/**
 * /api/events: the engine's notifications (task.*, sla.*, instance.*, incident.*) as Server-Sent Events
 * for live dashboards, with a heartbeat comment so proxies keep the stream open.
 */
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
}

const query = strictObject({
  types: { type: 'array', items: { type: 'string', minLength: 1 }, description: "type prefixes to receive, e.g. 'sla' or 'task.created'; repeat or comma-separate; default all" },
});

/** The SSE route; each event is `event: <type>` with the notification as JSON data. */
export const eventRoutes: FastifyPluginAsync<EventRoutesOptions> = async (app, { engine, heartbeatMs = 15_000 }) => {
  const open = new Set<ServerResponse>();
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
    const send = (full: EngineNotification) => {
      const note = seesAll ? full : forStaff(full, request.actor!);
      if (!note) return;
      if (prefixes.length === 0 || prefixes.some((p) => note.type === p || note.type.startsWith(`${p}.`))) res.write(`event: ${note.type}\ndata: ${JSON.stringify(note)}\n\n`);
    };
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

/** Staff learn that tasks changed (to refresh their list) and see notifications addressed to them or their groups, nothing more. */
function forStaff(note: EngineNotification, actor: Actor): Pick<EngineNotification, 'type' | 'at'> & Partial<EngineNotification> | null {
  if (note.type.startsWith('task.')) return { type: note.type, taskId: note.taskId, at: note.at };
  if (note.type === 'notification.created') {
    const to = note.data as { toUser?: string | null; toGroup?: string | null } | undefined;
    if (to?.toUser === actor.id || (to?.toGroup && actor.groups.includes(to.toGroup))) return note;
  }
  return null;
}
