// The stream hub: the retry hint first, each event framed once per client, a heartbeat comment on
// idle streams, clients counted, and every stream ended when the dashboard closes.
import { EventEmitter } from 'node:events';
import type { ServerResponse } from 'node:http';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createStreamHub, MAX_STREAMS, RETRY_MS } from '../../../runtime/dev/dashboard/stream.js';

/** A response that records what is written to it. */
function response() {
  const res = Object.assign(new EventEmitter(), {
    status: 0,
    headers: {} as Record<string, string>,
    written: [] as string[],
    ended: false,
    writeHead(status: number, headers: Record<string, string> = {}) {
      res.status = status;
      res.headers = headers;
      return res;
    },
    write(text: string) {
      res.written.push(text);
      return true;
    },
    end(_body?: string) {
      res.ended = true;
      res.emit('close');
      return res;
    },
  });
  return res;
}

afterEach(() => vi.useRealTimers());

describe('dashboard stream hub', () => {
  it('answers with the event-stream headers and the retry hint, then frames each event', () => {
    const hub = createStreamHub();
    const res = response();
    hub.attach(res as unknown as ServerResponse);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.written).toEqual([`retry: ${RETRY_MS}\n\n`]);
    hub.send('dead-letters', { total: 2 });
    expect(res.written.at(-1)).toBe('event: dead-letters\ndata: {"total":2}\n\n');
    hub.close();
  });

  it('sends a heartbeat comment to open streams, and stops once none is left', () => {
    vi.useFakeTimers();
    const hub = createStreamHub(15_000);
    const res = response();
    hub.attach(res as unknown as ServerResponse);
    vi.advanceTimersByTime(15_000);
    expect(res.written.at(-1)).toBe(': heartbeat\n\n');
    res.emit('close');
    const count = res.written.length;
    vi.advanceTimersByTime(60_000);
    expect(res.written.length).toBe(count);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('counts its clients and ends every stream when it closes', () => {
    const hub = createStreamHub();
    const sizes: number[] = [];
    hub.onSize((size) => sizes.push(size));
    const a = response();
    const b = response();
    hub.attach(a as unknown as ServerResponse);
    hub.attach(b as unknown as ServerResponse);
    expect(hub.size).toBe(2);
    a.emit('close');
    expect(hub.size).toBe(1);
    hub.close();
    expect(b.ended).toBe(true);
    expect(hub.size).toBe(0);
    expect(sizes).toEqual([1, 2, 1, 0]);
    // A client arriving after the close is turned away.
    const late = response();
    hub.attach(late as unknown as ServerResponse);
    expect(late.status).toBe(503);
  });

  it('turns away a stream past MAX_STREAMS with 503', () => {
    const hub = createStreamHub();
    for (let i = 0; i < MAX_STREAMS; i++) hub.attach(response() as unknown as ServerResponse);
    const extra = response();
    hub.attach(extra as unknown as ServerResponse);
    expect(extra.status).toBe(503);
    expect(hub.size).toBe(MAX_STREAMS);
    hub.close();
  });
});
