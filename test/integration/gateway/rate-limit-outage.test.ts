// A rate limiter whose Redis goes away: a PRIVATE redis-server on a free port (the shared one is never
// touched) is killed, hung (SIGSTOP) and restarted by the test. Requests are answered by the failure
// policy (fail open allows, fail closed refuses) instead of waiting on Redis; the outage is logged once
// when it starts and once when it ends; decisions made during it are counted; the limiter counts in
// Redis again once it is back, without a restart. Times are never asserted: each request just has to
// be answered, and the test's own timeout turns a hang into a failure.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { createRateLimiter, rateLimitHeaders, type RateLimiter } from '../../../runtime/gateway/rate-limit/index.js';
import { createLogger } from '../../../runtime/logging/index.js';
import { eventually, freePort } from '../../support/processes.js';

const servers = new Set<ChildProcess>();
const limiters: RateLimiter[] = [];

afterAll(async () => {
  await Promise.all(limiters.map((l) => l.close()));
  for (const server of servers) {
    server.kill('SIGCONT');
    server.kill('SIGKILL');
  }
});

/** Starts a private redis-server on `port`; resolves once it accepts connections. */
async function startRedis(port: number): Promise<ChildProcess> {
  const server = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: ['ignore', 'pipe', 'pipe'] });
  servers.add(server);
  server.on('exit', () => servers.delete(server));
  let output = '';
  server.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  await eventually(async () => output.includes('Ready to accept connections'), 10_000);
  return server;
}

async function kill(server: ChildProcess): Promise<void> {
  const exited = once(server, 'exit');
  server.kill('SIGKILL');
  await exited;
}

/** A logger whose lines the test reads. */
function capturingLogger() {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger({ service: 'gateway', level: 'info', destination: { write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>) } });
  return { logger, lines, messages: () => lines.map((l) => l['msg']) };
}

const DOWN = 'rate limit store unavailable: allowing requests until it is back';
const DOWN_CLOSED = 'rate limit store unavailable: refusing requests until it is back';
const BACK = 'rate limit store available again';

describe('a rate limiter whose Redis goes away', () => {
  it('fails open or closed at once while Redis is dead, logs the outage once each way, and recovers when it restarts', async () => {
    const port = await freePort();
    let server = await startRedis(port);
    const open = capturingLogger();
    const closed = capturingLogger();
    const algorithm = { algorithm: 'sliding-window', limit: 3, windowMs: 60_000 } as const;
    const failOpen = createRateLimiter({ name: 'open', ...algorithm, store: { redis: `redis://127.0.0.1:${port}`, prefix: 'outage' }, failOpen: true, logger: open.logger });
    const failClosed = createRateLimiter({ name: 'closed', ...algorithm, store: { redis: `redis://127.0.0.1:${port}`, prefix: 'outage' }, failOpen: false, logger: closed.logger });
    limiters.push(failOpen, failClosed);
    expect(await failOpen.consume('k')).toMatchObject({ allowed: true, remaining: 2, degraded: false });
    expect(await failClosed.consume('k')).toMatchObject({ allowed: true, remaining: 2, degraded: false });

    await kill(server);
    const duringOpen = await Promise.all(Array.from({ length: 25 }, () => failOpen.consume('k')));
    const duringClosed = await Promise.all(Array.from({ length: 25 }, () => failClosed.consume('k')));
    // Sequential ones too: each is answered, none waits on a queue for the reconnect.
    for (let i = 0; i < 25; i += 1) {
      duringOpen.push(await failOpen.consume('k'));
      duringClosed.push(await failClosed.consume('k'));
    }
    expect(duringOpen.every((d) => d.allowed && d.degraded)).toBe(true);
    expect(duringClosed.every((d) => !d.allowed && d.degraded)).toBe(true);
    expect(rateLimitHeaders(duringClosed[0]!)['Retry-After']).toBe('1');
    expect(open.messages()).toEqual([DOWN]);
    expect(closed.messages()).toEqual([DOWN_CLOSED]);
    expect(failOpen.stats()).toMatchObject({ storeDown: true, degradedDecisions: 50, outages: 1 });
    expect(failClosed.stats()).toMatchObject({ storeDown: true, degradedDecisions: 50, outages: 1 });

    server = await startRedis(port);
    // The quota starts over: the private Redis kept nothing.
    await eventually(async () => !(await failOpen.consume('k')).degraded, 15_000);
    await eventually(async () => !(await failClosed.consume('k')).degraded, 15_000);
    expect(open.messages()).toEqual([DOWN, BACK]);
    expect(closed.messages()).toEqual([DOWN_CLOSED, BACK]);
    expect(open.lines[1]).toMatchObject({ limiter: 'open', degradedDecisions: expect.any(Number) });
    expect(failOpen.stats().storeDown).toBe(false);
    // Counting in Redis again: the limit holds.
    const after = [];
    for (let i = 0; i < 4; i += 1) after.push(await failClosed.consume('again'));
    expect(after.map((d) => [d.allowed, d.degraded])).toEqual([[true, false], [true, false], [true, false], [false, false]]);
    await kill(server);
  });

  it('does not wait on a hung Redis (SIGSTOP) behind a connection passed in with an offline queue, and recovers on SIGCONT', async () => {
    const port = await freePort();
    const server = await startRedis(port);
    const connection = new Redis(`redis://127.0.0.1:${port}`);
    const { logger, messages } = capturingLogger();
    const rl = createRateLimiter({ name: 'hung', algorithm: 'token-bucket', capacity: 2, refillPerSec: 1, store: { redis: connection, prefix: 'hung', timeoutMs: 50 }, failOpen: false, logger });
    limiters.push(rl);
    expect(await rl.consume('k')).toMatchObject({ allowed: true, degraded: false });

    server.kill('SIGSTOP');
    const during = await Promise.all(Array.from({ length: 20 }, () => rl.consume('k')));
    expect(during.every((d) => !d.allowed && d.degraded)).toBe(true);
    expect(messages()).toEqual([DOWN_CLOSED]);

    server.kill('SIGCONT');
    await eventually(async () => !(await rl.consume('k')).degraded, 15_000);
    expect(messages()).toEqual([DOWN_CLOSED, BACK]);
    await rl.close();
    expect(await connection.ping()).toBe('PONG');
    connection.disconnect();
    await kill(server);
  });

  it('reloads its script when Redis forgets it (NOSCRIPT after SCRIPT FLUSH)', async () => {
    const port = await freePort();
    const server = await startRedis(port);
    const admin = new Redis(`redis://127.0.0.1:${port}`);
    const rl = createRateLimiter({ name: 'flush', algorithm: 'sliding-window', limit: 2, windowMs: 60_000, store: { redis: `redis://127.0.0.1:${port}` }, failOpen: false, logger: capturingLogger().logger });
    limiters.push(rl);
    expect(await rl.consume('k')).toMatchObject({ allowed: true, degraded: false });
    await admin.script('FLUSH');
    expect(await rl.consume('k')).toMatchObject({ allowed: true, degraded: false, remaining: 0 });
    expect(await rl.consume('k')).toMatchObject({ allowed: false, degraded: false });
    expect(await admin.keys('*')).toEqual(['meshspec:rl:flush:k']);
    admin.disconnect();
    await kill(server);
  });

  it('answers by its failure policy when Redis was never there, and starts counting once it appears', async () => {
    const port = await freePort();
    const { logger, messages } = capturingLogger();
    const rl = createRateLimiter({ name: 'late', algorithm: 'sliding-window', limit: 2, windowMs: 60_000, store: { redis: `redis://127.0.0.1:${port}` }, failOpen: true, logger });
    limiters.push(rl);
    const before = await Promise.all(Array.from({ length: 10 }, () => rl.consume('k')));
    expect(before.every((d) => d.allowed && d.degraded)).toBe(true);
    expect(messages()).toEqual([DOWN]);
    const server = await startRedis(port);
    await eventually(async () => !(await rl.consume('k')).degraded, 15_000);
    expect(messages()).toEqual([DOWN, BACK]);
    await kill(server);
  });
});
