// The W3C trace context at the front door: a client's valid traceparent is continued (same trace,
// the gateway's own parent-id, which its access log names), anything else starts a new trace and
// loses its tracestate; the gateway's own refusals are logged with a trace id too.
import { afterEach, describe, expect, it } from 'vitest';
import { closeAll, echo, send, startGateway, startUpstream } from './helpers.js';

afterEach(closeAll);

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const CLIENT_PARENT = '00f067aa0ba902b7';
const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-(0[01])$/;

interface Seen {
  traceparent?: string;
  tracestate?: string;
}

async function setup() {
  const users = await startUpstream(echo);
  const gw = await startGateway([{ prefix: '/api', service: 'users' }], { users: users.origin });
  /** What the upstream received for a request with `headers`, and the gateway's access log line. */
  const through = async (headers: Record<string, string | string[]>) => {
    const reply = await send(gw.port, '/api/x', { headers });
    expect(reply.status).toBe(200);
    const seen = reply.json<{ headers: Seen }>().headers;
    const log = await gw.logOf(String(reply.headers['x-request-id']));
    return { seen, log };
  };
  return { gw, through };
}

describe('traceparent through the gateway', () => {
  it('creates one for a client without: valid, unsampled, named in the access log', async () => {
    const { through } = await setup();
    const { seen, log } = await through({});
    const [, traceId, parentId, flags] = TRACEPARENT.exec(seen.traceparent ?? '') ?? [];
    expect(traceId).toMatch(/^(?!0+$)[0-9a-f]{32}$/);
    expect(parentId).toMatch(/^(?!0+$)[0-9a-f]{16}$/);
    expect(flags).toBe('00');
    expect(seen.tracestate).toBeUndefined();
    expect([log.traceId, log.spanId]).toEqual([traceId, parentId]);
    // Each request its own trace.
    expect((await through({})).seen.traceparent).not.toBe(seen.traceparent);
  });

  it("continues a client's valid one: same trace id and sampled flag, the gateway's parent id, tracestate kept", async () => {
    const { through } = await setup();
    for (const flags of ['01', '00']) {
      const { seen, log } = await through({ traceparent: `00-${TRACE_ID}-${CLIENT_PARENT}-${flags}`, tracestate: 'congo=t61rcWkgMzE' });
      const [, traceId, parentId, sent] = TRACEPARENT.exec(seen.traceparent ?? '') ?? [];
      expect(traceId).toBe(TRACE_ID);
      expect(parentId).not.toBe(CLIENT_PARENT);
      expect(sent).toBe(flags);
      expect(seen.tracestate).toBe('congo=t61rcWkgMzE');
      expect([log.traceId, log.spanId]).toEqual([TRACE_ID, parentId]);
    }
  });

  it.each([
    ['malformed', 'not-a-traceparent'],
    ['an all-zero trace id', `00-${'0'.repeat(32)}-${CLIENT_PARENT}-01`],
    ['an all-zero parent id', `00-${TRACE_ID}-${'0'.repeat(16)}-01`],
    ['too long for version 00', `00-${TRACE_ID}-${CLIENT_PARENT}-01-extra`],
    ['uppercase', `00-${TRACE_ID.toUpperCase()}-${CLIENT_PARENT}-01`],
    ['version ff', `ff-${TRACE_ID}-${CLIENT_PARENT}-01`],
  ])('replaces %s one with a new trace, and drops its tracestate', async (_name, traceparent) => {
    const { through } = await setup();
    const { seen } = await through({ traceparent, tracestate: 'congo=t61rcWkgMzE' });
    const [, traceId, , flags] = TRACEPARENT.exec(seen.traceparent ?? '') ?? [];
    expect(traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(traceId).not.toBe(TRACE_ID);
    expect(flags).toBe('00');
    expect(seen.tracestate).toBeUndefined();
  });

  it('bounds a long tracestate to 512 characters by dropping whole entries, and joins repeated ones', async () => {
    const { through } = await setup();
    const traceparent = `00-${TRACE_ID}-${CLIENT_PARENT}-01`;
    const entries = Array.from({ length: 10 }, (_, i) => `v${i}=${'x'.repeat(100)}`);
    const long = await through({ traceparent, tracestate: [`huge=${'y'.repeat(300)}`, ...entries].join(',') });
    expect(long.seen.tracestate).toBe(entries.slice(0, 4).join(','));
    const repeated = await through({ traceparent, tracestate: ['rojo=00f067aa0ba902b7', 'congo=t61rcWkgMzE'] });
    expect(repeated.seen.tracestate).toBe('rojo=00f067aa0ba902b7,congo=t61rcWkgMzE');
  });

  it("logs a trace id for the gateway's own answers too", async () => {
    const { gw } = await setup();
    const reply = await send(gw.port, '/nowhere', { headers: { traceparent: `00-${TRACE_ID}-${CLIENT_PARENT}-01` } });
    expect(reply.status).toBe(404);
    const log = await gw.logOf(String(reply.headers['x-request-id']));
    expect(log.traceId).toBe(TRACE_ID);
    expect(log.spanId).toMatch(/^[0-9a-f]{16}$/);
  });
});
