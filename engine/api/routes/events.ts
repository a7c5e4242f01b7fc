/**
 * /api/events: the engine's notifications (task.*, sla.*, instance.*, incident.*) as Server-Sent Events
 * for live dashboards, with a heartbeat comment so proxies keep the stream open.
 */
import type { ServerResponse } from 'node:http';
import type { FastifyPluginAsync } from 'fastify';
import type { Engine, EngineNotification } from '../../runtime/index.js';
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
    config: { auth: { roles: ['supervisor'] } },
    schema: { tags: ['events'], summary: 'A Server-Sent Events stream of task, SLA, instance and incident notifications', querystring: query, produces: ['text/event-stream'] },
  }, (request, reply) => {
    const prefixes = (request.query.types ?? []).flatMap((t) => t.split(',')).map((t) => t.trim()).filter(Boolean);
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache, no-transform', connection: 'keep-alive', 'x-accel-buffering': 'no' });
    res.write(': connected\n\n');
    const send = (note: EngineNotification) => {
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
