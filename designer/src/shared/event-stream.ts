/**
 * Reads GET /api/events (Server-Sent Events) with fetch, so the bearer token goes in a header
 * rather than the URL. Reconnects with a growing pause, sending the last event's id (`Last-Event-ID`)
 * so the server replays what was missed (or sends `stream.reset`); stops when unsubscribed or refused.
 */
import { authHeaders } from '../app/api';
import type { EngineEvent } from './resources';

const MIN_RETRY_MS = 1000;
const MAX_RETRY_MS = 30_000;

interface Listener {
  onEvent(event: EngineEvent): void;
  onState?(connected: boolean): void;
}

// One connection per page serves every subscriber (the header's inbox, the page), so a person's few
// browser tabs stay within the server's streams-per-user limit.
const listeners = new Set<Listener>();
let connection: { controller: AbortController; connected: boolean } | null = null;

/** Calls `onEvent` for each notification; returns the function that unsubscribes. */
export function subscribeEvents(
  onEvent: (event: EngineEvent) => void,
  onState?: (connected: boolean) => void,
): () => void {
  const listener: Listener = { onEvent, onState };
  listeners.add(listener);
  if (!connection) connect();
  else onState?.(connection.connected);
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0) {
      connection?.controller.abort();
      connection = null;
    }
  };
}

function connect(): void {
  const current = { controller: new AbortController(), connected: false };
  connection = current;
  const { signal } = current.controller;
  const state = (connected: boolean) => {
    current.connected = connected;
    for (const listener of listeners) listener.onState?.(connected);
  };
  const emit = (event: EngineEvent) => {
    for (const listener of [...listeners]) listener.onEvent(event);
  };
  let retryMs = MIN_RETRY_MS;
  const position = { lastId: '' };
  const loop = async () => {
    while (!signal.aborted) {
      try {
        const resume: Record<string, string> = position.lastId ? { 'Last-Event-ID': position.lastId } : {};
        const response = await fetch('/api/events', {
          headers: { Accept: 'text/event-stream', ...resume, ...authHeaders() },
          signal,
        });
        // Not allowed to listen: give up quietly (the page polls instead); a later subscriber tries again.
        if (response.status === 401 || response.status === 403) {
          if (connection === current) connection = null;
          return state(false);
        }
        if (response.ok && response.body) {
          state(true);
          retryMs = MIN_RETRY_MS;
          await readStream(response.body, emit, position);
        }
      } catch {
        // a dropped connection or an abort: fall through to the pause
      }
      if (signal.aborted) return;
      state(false);
      await pause(retryMs, signal);
      retryMs = Math.min(retryMs * 2, MAX_RETRY_MS);
    }
  };
  void loop();
}

// helpers

async function readStream(
  body: ReadableStream<Uint8Array>,
  onEvent: (event: EngineEvent) => void,
  position: { lastId: string },
): Promise<void> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += decoder.decode(value, { stream: true });
    let boundary: number;
    while ((boundary = buffer.search(/\r?\n\r?\n/)) >= 0) {
      const block = buffer.slice(0, boundary);
      buffer = buffer.slice(boundary).replace(/^\r?\n\r?\n/, '');
      const id = /^id: ?(.*)$/m.exec(block)?.[1];
      if (id) position.lastId = id.trim();
      const event = parseBlock(block);
      if (event) onEvent(event);
    }
  }
}

/** One SSE message: `event:` names the type unless the JSON data carries its own; comments and pings are skipped. */
function parseBlock(block: string): EngineEvent | null {
  let name = '';
  const data: string[] = [];
  for (const line of block.split(/\r?\n/)) {
    if (line.startsWith('event:')) name = line.slice(6).trim();
    else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
  }
  if (data.length === 0) return null;
  try {
    const parsed = JSON.parse(data.join('\n')) as EngineEvent;
    return { ...parsed, type: parsed.type ?? name };
  } catch {
    return null;
  }
}

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });
}
