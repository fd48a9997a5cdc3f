// Two gateway processes sharing one Redis rate limit (issue #10): each its own node process, as two
// replicas are, started with runGateway (RATE_LIMIT_REDIS_URL) in front of one upstream. Requests
// alternate between them, sequentially and in a burst: exactly the limit gets through in all, every
// other request is answered 429 with Retry-After by whichever replica it reached. The limit has a
// name of its own per run (its Redis keys, deleted afterwards). A missing Redis fails, never skips.
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { GatewayConfig } from '../../../runtime/gateway/index.js';
import { BROKER_URLS } from '../../support/brokers.js';
import { start, type Child } from '../../support/processes.js';
import { closeAll, echo, send, startUpstream, type Reply } from './helpers.js';

const FIXTURE = fileURLToPath(new URL('./fixtures/gateway-from-env.ts', import.meta.url));
const LIMIT = 10;

let redis: Redis;
const names: string[] = [];
const children: Child[] = [];

beforeAll(async () => {
  redis = new Redis(BROKER_URLS.redis, { maxRetriesPerRequest: 1 });
  expect(await redis.ping()).toBe('PONG');
});

afterEach(async () => {
  await Promise.all(children.splice(0).map((child) => child.stop('SIGTERM')));
  await closeAll();
});

afterAll(async () => {
  for (const name of names) {
    const keys = await redis.keys(`gateway:rl:${name}:*`);
    if (keys.length > 0) await redis.del(...keys);
  }
  await redis.quit();
});

/** Starts one gateway process with `config`; resolves with its port once it listens. */
async function gatewayProcess(config: GatewayConfig, upstream: string): Promise<number> {
  const child = start(['--import', 'tsx', FIXTURE], {
    PORT: '0',
    METRICS_PORT: '0',
    HOST: '127.0.0.1',
    GATEWAY_CONFIG: JSON.stringify(config),
    RATE_LIMIT_REDIS_URL: BROKER_URLS.redis,
    MESH_USERS_HTTP: upstream,
  });
  children.push(child);
  const listening = /"port":(\d+)[^\n]*gateway listening/;
  await child.waitFor(listening, 20_000);
  return Number(listening.exec(child.output())![1]);
}

/** Two gateway processes sharing a fresh fail-closed Redis limit of LIMIT per minute per client. */
async function twoReplicas() {
  const users = await startUpstream(echo);
  const name = `replicas-${randomUUID().slice(0, 8)}`;
  names.push(name);
  const config: GatewayConfig = {
    mesh: 'test',
    port: 1,
    timeoutMs: 5_000,
    bodyLimitBytes: 1024,
    routes: [{ prefix: '/api', service: 'users', rewrite: '/' }],
    services: { users: { httpPort: 1 } },
    // Fail closed: were Redis unreachable, every answer would be 429 and the count below would fail.
    rateLimit: { algorithm: 'sliding-window', limit: LIMIT, windowMs: 60_000, store: 'redis', failOpen: false, name },
  };
  const ports = await Promise.all([gatewayProcess(config, users.origin), gatewayProcess(config, users.origin)]);
  return { users, ports };
}

function expectRefused(reply: Reply): void {
  expect(reply.status).toBe(429);
  expect(reply.json<{ error: { code: string } }>().error.code).toBe('TooManyRequests');
  expect(Number(reply.headers['retry-after'])).toBeGreaterThanOrEqual(1);
  expect(reply.headers['ratelimit-remaining']).toBe('0');
}

describe('two gateway processes sharing one Redis rate limit', () => {
  it('let exactly the limit through between them, one request after the other, then both answer 429 with Retry-After', async () => {
    const { users, ports } = await twoReplicas();
    const replies: Reply[] = [];
    for (let i = 0; i < LIMIT + 4; i++) replies.push(await send(ports[i % 2]!, '/api/x'));
    expect(replies.map((r) => r.status)).toEqual([...Array<number>(LIMIT).fill(200), 429, 429, 429, 429]);
    // One count: each replica's answers carry on from the other's.
    expect(replies.slice(0, LIMIT).map((r) => r.headers['ratelimit-remaining'])).toEqual(Array.from({ length: LIMIT }, (_, i) => String(LIMIT - 1 - i)));
    replies.slice(LIMIT).forEach(expectRefused);
    expect(users.requests).toBe(LIMIT);
  }, 60_000);

  it('let exactly the limit through a concurrent burst spread over both', async () => {
    const { users, ports } = await twoReplicas();
    const replies = await Promise.all(Array.from({ length: 3 * LIMIT }, (_, i) => send(ports[i % 2]!, '/api/x')));
    const allowed = replies.filter((r) => r.status === 200);
    expect(allowed).toHaveLength(LIMIT);
    // Every count was handed out once: no two requests saw the same remaining quota.
    expect(allowed.map((r) => Number(r.headers['ratelimit-remaining'])).sort((a, b) => a - b)).toEqual(Array.from({ length: LIMIT }, (_, i) => i));
    replies.filter((r) => r.status !== 200).forEach(expectRefused);
    // Spent for both: the limit is shared, not per process.
    for (const port of ports) expectRefused(await send(port, '/api/x'));
    expect(users.requests).toBe(LIMIT);
  }, 60_000);
});
