// The gateway forwards each request once: retries belong to the calling service's client, once, and
// a second layer would multiply attempts (Moleculer #495). A failing upstream sees one request.
import { afterEach, describe, expect, it } from 'vitest';
import { startMisbehavingServer, type MisbehavingServer } from '../../support/misbehaving-server.js';
import { closeAll, send, startGateway } from '../gateway/helpers.js';

let upstream: MisbehavingServer | undefined;
afterEach(async () => {
  await upstream?.close();
  upstream = undefined;
  await closeAll();
});

describe('the gateway never retries', () => {
  it.each([
    ['a 503 with Retry-After', { status: 503, headers: { 'retry-after': '0' } }, 503],
    ['a 502', { status: 502 }, 502],
    ['a reset connection', 'reset', 502],
  ] as const)('passes %s on after one upstream request', async (_name, behaviour, status) => {
    upstream = await startMisbehavingServer({ default: behaviour });
    const gw = await startGateway([{ prefix: '/api', service: 'things' }], { things: upstream.origin });
    const reply = await send(gw.port, '/api/things/1');
    expect(reply.status).toBe(status);
    expect(upstream.requests).toBe(1);
  });
});
