// The gateway's rate limit while its Redis is down (a PRIVATE redis-server on a free port, killed and
// restarted by the test; the shared one is never touched): a fail-open limit lets requests through to
// the service, a fail-closed one answers 429 without reaching it, both at once; with Redis back, the
// limit counts again without a restart.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { eventually, freePort } from '../../support/processes.js';
import { closeAll, echo, send, startGateway, startUpstream } from './helpers.js';

const servers = new Set<ChildProcess>();
afterEach(closeAll);
afterAll(() => {
  for (const server of servers) server.kill('SIGKILL');
});

async function startRedis(port: number): Promise<ChildProcess> {
  const server = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: ['ignore', 'pipe', 'ignore'] });
  servers.add(server);
  server.on('exit', () => servers.delete(server));
  let output = '';
  server.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  await eventually(async () => output.includes('Ready to accept connections'), 10_000);
  return server;
}

describe('a gateway whose rate-limit Redis goes away', () => {
  it('fails open or closed as its limit says, and counts again once Redis is back', async () => {
    const port = await freePort();
    let redis = await startRedis(port);
    const users = await startUpstream(echo);
    const limitOf = (failOpen: boolean) => ({ algorithm: 'sliding-window' as const, limit: 2, windowMs: 60_000, store: 'redis' as const, failOpen, name: `t-${randomUUID().slice(0, 8)}` });
    const url = `redis://127.0.0.1:${port}`;
    const open = await startGateway([{ prefix: '/api', service: 'users' }], { users: users.origin }, { rateLimit: limitOf(true), rateLimitRedisUrl: url });
    const closed = await startGateway([{ prefix: '/api', service: 'users' }], { users: users.origin }, { rateLimit: limitOf(false), rateLimitRedisUrl: url });
    const statuses = async (gw: { port: number }, n: number) => {
      const out: number[] = [];
      for (let i = 0; i < n; i++) out.push((await send(gw.port, '/api/x')).status);
      return out;
    };
    // The first requests may find the gateway's connection still opening (a busy machine takes longer
    // than the store's 100 ms): they fail open with the whole quota left. The first one Redis counts
    // says 1 left; then one more is allowed and the next refused.
    await eventually(async () => (await send(open.port, '/api/x')).headers['ratelimit-remaining'] === '1', 10_000);
    expect(await statuses(open, 2)).toEqual([200, 429]);

    const exited = once(redis, 'exit');
    redis.kill('SIGKILL');
    await exited;
    const before = users.requests;
    expect(await statuses(open, 3)).toEqual([200, 200, 200]);
    expect(users.requests).toBe(before + 3);
    const refused = await send(closed.port, '/api/x');
    expect(refused.status).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(users.requests).toBe(before + 3);

    redis = await startRedis(port);
    // Back: the fail-closed gateway counts from zero in the fresh Redis (nothing was kept).
    await eventually(async () => (await send(closed.port, '/api/x')).status === 200, 10_000);
    expect(await statuses(closed, 2)).toEqual([200, 429]);
  }, 30_000);
});
