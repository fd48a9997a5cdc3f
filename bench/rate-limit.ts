// What the gateway's rate limiter costs a request: the memory store's consume() in nanoseconds (a
// few hot keys, and a flood of distinct keys against a 100_000-key cap, where every call creates a key
// and evicts one), and the Redis store's round trip: requests one after another (latency) and many
// in flight at once on one connection (ioredis pipelines them; the throughput of one replica).
//
//   node --import tsx bench/rate-limit.ts [--calls=500000] [--rounds=5] [--redis-calls=20000]
//
// The Redis part uses REDIS_URL or 127.0.0.1:6379, under a prefix of its own deleted at the end.
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { Redis } from 'ioredis';
import { createRateLimiter, MemoryRateLimitStore, slidingWindow, tokenBucket, type RateLimitAlgorithm } from '../runtime/gateway/rate-limit/index.js';
import { createLogger } from '../runtime/logging/index.js';
import { arg, printTable } from './support.js';

const calls = arg('calls', 500_000);
const rounds = arg('rounds', 5);
const redisCalls = arg('redis-calls', 20_000);
const url = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/** ns per consume() of `store` over `keys`, median of the rounds. */
function memoryCost(algorithm: RateLimitAlgorithm, keys: readonly string[]): number {
  const store = new MemoryRateLimitStore(algorithm, { maxKeys: 100_000 });
  const perRound: number[] = [];
  for (let round = 0; round <= rounds; round += 1) {
    const started = performance.now();
    for (let i = 0; i < calls; i += 1) store.consume(keys[i % keys.length]!);
    const ns = ((performance.now() - started) * 1e6) / calls;
    // Round 0 warms up.
    if (round > 0) perRound.push(ns);
  }
  return median(perRound);
}

const hot = Array.from({ length: 1_000 }, (_, i) => `10.0.${i >> 8}.${i & 0xff}`);
const distinct = Array.from({ length: 1_000_000 }, (_, i) => `10.${i >> 16}.${(i >> 8) & 0xff}.${i & 0xff}`);
const algorithms: [string, () => RateLimitAlgorithm][] = [
  ['sliding-window', () => slidingWindow({ limit: 100, windowMs: 60_000 }) as RateLimitAlgorithm],
  ['token-bucket', () => tokenBucket({ capacity: 100, refillPerSec: 10 }) as RateLimitAlgorithm],
];
printTable(
  ['memory store, consume()', '1k hot keys ns', '1M distinct keys, cap 100k ns'],
  algorithms.map(([name, make]) => [name, memoryCost(make(), hot).toFixed(0), memoryCost(make(), distinct).toFixed(0)]),
);

/** Requests per second and mean latency of `total` consumes with `concurrency` in flight. */
async function redisRun(total: number, concurrency: number, algorithm: 'sliding-window' | 'token-bucket', prefix: string) {
  const options = algorithm === 'sliding-window' ? ({ algorithm, limit: 1_000_000, windowMs: 60_000 } as const) : ({ algorithm, capacity: 1_000_000, refillPerSec: 1_000 } as const);
  const limiter = createRateLimiter({ name: 'bench', ...options, store: { redis: url, prefix, timeoutMs: 1_000 }, failOpen: false, logger: createLogger({ service: 'bench', level: 'warn' }) });
  await limiter.consume('warm-up');
  let next = 0;
  let degraded = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) {
        next += 1;
        if ((await limiter.consume(hot[next % hot.length]!)).degraded) degraded += 1;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  await limiter.close();
  if (degraded > 0) throw new Error(`${degraded} requests were decided without Redis: the figures would not be Redis's`);
  return { perSecond: total / seconds, meanUs: (seconds * 1e6 * concurrency) / total };
}

const prefix = `meshspec-bench-${randomUUID().slice(0, 8)}`;
const lines: string[][] = [];
for (const algorithm of ['sliding-window', 'token-bucket'] as const) {
  for (const concurrency of [1, 64]) {
    const runs = [];
    for (let round = 0; round < 3; round += 1) runs.push(await redisRun(redisCalls, concurrency, algorithm, prefix));
    const best = runs.sort((a, b) => a.perSecond - b.perSecond)[1]!;
    lines.push([`${algorithm}, ${concurrency} in flight`, best.perSecond.toFixed(0), best.meanUs.toFixed(0)]);
  }
}
console.log();
printTable(['Redis store (one connection)', 'requests/s', 'mean latency µs'], lines);

const admin = new Redis(url);
const keys = await admin.keys(`${prefix}:*`);
if (keys.length > 0) await admin.del(...keys);
await admin.quit();
