// GET /api/stream: server-sent events to every open page. Each event is one `event:` line and one
// `data:` line of JSON (JSON.stringify writes no newline); a comment line every 15 s keeps proxies
// and idle timers from closing the connection; `retry:` tells the browser how soon to reconnect.
import type { ServerResponse } from 'node:http';
import type { StreamEventName } from './api-types.js';

/** How often a comment line is sent to an idle stream, ms. */
export const HEARTBEAT_MS = 15_000;
/** How soon a browser reconnects after the stream dropped, ms (the `retry:` hint). */
export const RETRY_MS = 2_000;
/** Streams open at once at most (a tab each): a runaway script cannot hold every socket. */
export const MAX_STREAMS = 32;

/**
 * One server-sent event, framed.
 *
 * @param name - the event's name
 * @param data - its JSON payload
 * @example
 * formatEvent('traces', { latest: 'abc' }); // 'event: traces\ndata: {"latest":"abc"}\n\n'
 */
export function formatEvent(name: StreamEventName, data: unknown): string {
  return `event: ${name}\ndata: ${JSON.stringify(data)}\n\n`;
}

/**
 * The open streams: attach a response, send to all, close all.
 *
 * @example
 * const hub = createStreamHub();
 * hub.attach(res);
 * hub.send('topology', topology);
 */
export interface StreamHub {
  /** Answers `res` with the stream's headers and the `retry:` hint, and keeps it until the client leaves or the hub closes. */
  attach(res: ServerResponse): void;
  /** Sends an event to every open stream. */
  send(name: StreamEventName, data: unknown): void;
  /** How many streams are open now. */
  readonly size: number;
  /** Called with the number of open streams each time one opens or closes; returns the unsubscribe. */
  onSize(listener: (size: number) => void): () => void;
  /** Ends every stream and stops the heartbeat. */
  close(): void;
}

/**
 * Makes a StreamHub.
 *
 * @param heartbeatMs - how often a comment line goes to every stream (default HEARTBEAT_MS)
 * @example
 * const hub = createStreamHub();
 */
export function createStreamHub(heartbeatMs: number = HEARTBEAT_MS): StreamHub {
  const clients = new Set<ServerResponse>();
  const listeners = new Set<(size: number) => void>();
  let heartbeat: NodeJS.Timeout | null = null;
  let closed = false;
  const changed = () => {
    for (const listener of listeners) listener(clients.size);
    if (clients.size > 0 && heartbeat === null) {
      heartbeat = setInterval(() => {
        for (const res of clients) res.write(': heartbeat\n\n');
      }, heartbeatMs);
      heartbeat.unref();
    } else if (clients.size === 0 && heartbeat !== null) {
      clearInterval(heartbeat);
      heartbeat = null;
    }
  };
  return {
    attach(res) {
      if (closed || clients.size >= MAX_STREAMS) {
        const body = JSON.stringify({ error: { code: 'unavailable', message: closed ? 'the dashboard is closing' : `at most ${MAX_STREAMS} streams are open at once: close a tab` } });
        res.writeHead(503, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', 'retry-after': '2' }).end(body);
        return;
      }
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-store',
        connection: 'keep-alive',
        'x-content-type-options': 'nosniff',
        // A buffering proxy in front would hold the events back.
        'x-accel-buffering': 'no',
      });
      res.write(`retry: ${RETRY_MS}\n\n`);
      clients.add(res);
      res.on('close', () => {
        if (clients.delete(res)) changed();
      });
      changed();
    },
    send(name, data) {
      if (clients.size === 0) return;
      const frame = formatEvent(name, data);
      for (const res of clients) res.write(frame);
    },
    get size() {
      return clients.size;
    },
    onSize(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close() {
      closed = true;
      const open = [...clients];
      clients.clear();
      changed();
      for (const res of open) res.end();
    },
  };
}
