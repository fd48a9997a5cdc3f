// Rate limits in the gateway: exact counts at the boundary, the headers, a client that lies about its
// address, a route without a limit, and two gateways sharing one limit through the real Redis.
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { BROKER_URLS } from '../../support/brokers.js';
import { closeAll, echo, send, startGateway, startUpstream } from './helpers.js';

afterEach(closeAll);

const perMinute = (limit: number) => ({ algorithm: 'sliding-window' as const, limit, windowMs: 60_000, name: `test-${randomUUID().slice(0, 8)}` });

describe('gateway rate limits', () => {
  it('lets exactly the limit through, then answers 429 with Retry-After; the service never sees the rest', async () => {
    const users = await startUpstream(echo);
    const gw = await startGateway([{ prefix: '/api', service: 'users' }], { users: users.origin }, { rateLimit: perMinute(3) });
    const remaining: string[] = [];
    for (let i = 0; i < 3; i++) {
      const reply = await send(gw.port, '/api/x');
      expect(reply.status).toBe(200);
      expect(reply.headers['ratelimit-limit']).toBe('3');
      remaining.push(String(reply.headers['ratelimit-remaining']));
    }
    expect(remaining).toEqual(['2', '1', '0']);
    // A client cannot become someone else by saying so: no proxy is trusted.
    const refused = await send(gw.port, '/api/x', { headers: { 'x-forwarded-for': '198.51.100.1', 'x-real-ip': '198.51.100.2' } });
    expect(refused.status).toBe(429);
    expect(refused.json<{ error: { code: string } }>().error.code).toBe('TooManyRequests');
    const retryAfter = Number(refused.headers['retry-after']);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    // A full window keeps weighing in the next one (sliding window): up to two windows' wait.
    expect(retryAfter).toBeLessThanOrEqual(120);
    expect(refused.headers['ratelimit-remaining']).toBe('0');
    expect(refused.headers['cache-control']).toBe('no-store');
    expect(users.requests).toBe(3);
  });

  it('counts each client apart behind a trusted proxy, and a route may have no limit', async () => {
    const users = await startUpstream(echo);
    const gw = await startGateway(
      [
        { prefix: '/api/open', service: 'users', rateLimit: false },
        { prefix: '/api', service: 'users' },
      ],
      { users: users.origin },
      { rateLimit: perMinute(1), trustedProxies: 1 },
    );
    const as = (ip: string) => ({ headers: { 'x-forwarded-for': `6.6.6.6, ${ip}` } });
    expect((await send(gw.port, '/api/x', as('203.0.113.1'))).status).toBe(200);
    expect((await send(gw.port, '/api/x', as('203.0.113.2'))).status).toBe(200);
    expect((await send(gw.port, '/api/x', as('203.0.113.1'))).status).toBe(429);
    // Changing the spoofable part changes nothing: the proxy's entry is what counts.
    expect((await send(gw.port, '/api/x', { headers: { 'x-forwarded-for': '1.1.1.1, 203.0.113.2' } })).status).toBe(429);
    for (let i = 0; i < 3; i++) {
      const open = await send(gw.port, '/api/open/x', as('203.0.113.1'));
      expect(open.status).toBe(200);
      expect(open.headers['ratelimit-limit']).toBeUndefined();
    }
  });

  it('shares one limit between two gateways through Redis', async () => {
    const users = await startUpstream(echo);
    const limit = { ...perMinute(4), store: 'redis' as const };
    const options = { rateLimit: limit, rateLimitRedisUrl: BROKER_URLS.redis };
    const a = await startGateway([{ prefix: '/api', service: 'users' }], { users: users.origin }, options);
    const b = await startGateway([{ prefix: '/api', service: 'users' }], { users: users.origin }, options);
    const statuses: number[] = [];
    for (const gw of [a, b, a, b, a, b]) statuses.push((await send(gw.port, '/api/x')).status);
    expect(statuses).toEqual([200, 200, 200, 200, 429, 429]);
    expect(users.requests).toBe(4);
  });
});
