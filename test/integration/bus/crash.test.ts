// Crash test per durable adapter (issue #7): a consumer in a child process is killed with SIGKILL twice
// while 10,000 events are published; after restarts every event's effect happened exactly once
// (duplicates absorbed by onceInRedis over the Redis idempotency store, which outlives the child), and
// the test prints how many redeliveries reached the handler. Real Redis and RabbitMQ (REDIS_URL,
// RABBITMQ_URL); a missing broker fails, never skips. Everything is named after a random run id and
// deleted afterwards.
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import amqp from 'amqplib';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectRabbitBus, deadLetterExchange, groupQueues, retryDelay, RABBIT_DEFAULTS } from '../../../runtime/bus/rabbitmq/index.js';
import { createRedisBus, streamKey } from '../../../runtime/bus/redis/index.js';
import type { EventBus } from '../../../runtime/bus/types.js';
import { createLogger } from '../../../runtime/logging/index.js';
import { deleteKeys, envelope, until } from '../../support/bus.js';
import { start, type Child } from '../../support/processes.js';
import { CRASH_IN_FLIGHT, crashKeys } from './fixtures/crash-keys.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const RABBITMQ_URL = process.env['RABBITMQ_URL'] ?? 'amqp://guest:guest@127.0.0.1:5672';
const CONSUMER = fileURLToPath(new URL('./fixtures/crash-consumer.ts', import.meta.url));
const EVENTS = 10_000;
/** Published counts at which the consumer is killed (each once the consumer in place is handling events). */
const KILL_AT = [2500, 6000];
/** Publishes in flight at once; and how far publishing may run ahead of the effects (so kills land mid-stream). */
const WINDOW = 100;
const MAX_AHEAD = 3000;
const EVENT = 'stock.moved';
const GROUP = 'warehouse';
const logger = createLogger({ service: 'crash-test', level: 'silent' });

const run = `meshspec-test-crash-${randomBytes(4).toString('hex')}`;
let admin: Redis;

beforeAll(async () => {
  admin = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  expect(await admin.ping()).toBe('PONG');
});

afterAll(async () => {
  await deleteKeys(admin, run);
  await admin.quit();
});

interface Setup {
  /** The run's Redis key prefix (bus keys when on Redis, effects, counters and idempotency keys). */
  prefix: string;
  env: Record<string, string>;
  publisher(): Promise<EventBus>;
  /** What the group still holds unacknowledged (pending entries, queued messages) once its consumer stopped. */
  leftOver(): Promise<number>;
}

/** Publishes EVENTS events, WINDOW at a time, never more than MAX_AHEAD ahead of the effects; counts what it published. */
async function publishAll(bus: EventBus, effects: () => Promise<number>, progress: { published: number }): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: WINDOW }, async () => {
      while (next < EVENTS) {
        next += 1;
        if (next % WINDOW === 0) await until('the consumer to catch up', async () => next - (await effects()) <= MAX_AHEAD, 60_000);
        await bus.publish(envelope(EVENT, { n: next }));
        progress.published += 1;
      }
    }),
  );
}

interface CrashResult {
  /** Handler calls in all, and events called more than once. */
  calls: number;
  redelivered: number;
  /** Calls that found the effect committed (absorbed by onceInRedis). */
  duplicates: number;
  kills: number;
}

async function crashRun({ prefix, env, publisher, leftOver }: Setup): Promise<CrashResult> {
  const keys = crashKeys(prefix);
  const effects = () => admin.hlen(keys.effects);
  const consumer = async (): Promise<{ child: Child; startedAt: number }> => {
    const child = start(['--import', 'tsx', CONSUMER], { ...env, CRASH_PREFIX: prefix, CRASH_REDIS_URL: REDIS_URL, CRASH_EVENT: EVENT, CRASH_GROUP: GROUP });
    await child.waitFor(/^ready$/m, 30_000);
    return { child, startedAt: await effects() };
  };
  let current = await consumer();
  const bus = await publisher();
  const progress = { published: 0 };
  let kills = 0;
  try {
    const publishing = publishAll(bus, effects, progress);
    for (const at of KILL_AT) {
      // Killed while it handles events: at least 300 effects since it started, so its in-flight window is full.
      const { startedAt } = current;
      await until(`${at} events published and the consumer busy`, async () => progress.published >= at && (await effects()) >= startedAt + 300, 60_000);
      current.child.process.kill('SIGKILL');
      expect(await current.child.exited).toBeNull();
      kills += 1;
      current = await consumer();
    }
    await publishing;
    await until('every event\'s effect', async () => (await effects()) === EVENTS, 60_000);
    // The killed consumers' entries are redelivered (Redis: claimed after claimIdleMs) and acknowledged too.
    await until('nothing left unacknowledged', async () => (await leftOver()) === 0, 30_000);
    // A graceful stop acknowledges what is in flight and exits 0: nothing is left for the group.
    expect(await current.child.stop('SIGTERM')).toBe(0);
    expect(await leftOver()).toBe(0);
  } finally {
    await current.child.stop('SIGKILL');
    await bus.close();
  }
  const counts = Object.values(await admin.hgetall(keys.effects));
  expect(counts).toHaveLength(EVENTS);
  expect(counts.filter((c) => c !== '1')).toEqual([]);
  const calls = Object.values(await admin.hgetall(keys.calls)).map(Number);
  return { calls: calls.reduce((a, b) => a + b, 0), redelivered: calls.filter((c) => c > 1).length, duplicates: Number(await admin.get(keys.duplicates) ?? 0), kills };
}

/** Prints the redeliveries and checks what every adapter must show after the crashes. */
function check(adapter: string, result: CrashResult): void {
  console.log(
    `crash test (${adapter}): ${EVENTS} events, ${result.kills} SIGKILLs, ${result.calls} handler calls = ${result.calls - EVENTS} redeliveries ` +
      `(${result.redelivered} events delivered more than once), ${result.duplicates} after the effect had committed (absorbed by onceInRedis); ` +
      'every effect applied exactly once',
  );
  expect(result.kills).toBe(2);
  expect(result.calls).toBeGreaterThan(EVENTS);
  // Only what a killed consumer held unacknowledged comes back: at most its in-flight limit per kill.
  expect(result.calls - EVENTS).toBeLessThanOrEqual(result.kills * (CRASH_IN_FLIGHT + 1));
}

describe('crash test: a consumer killed twice with SIGKILL while 10,000 events are published', () => {
  it('Redis Streams: every event\'s effect happens exactly once', { timeout: 180_000 }, async () => {
    const prefix = `${run}-redis:`;
    const result = await crashRun({
      prefix,
      env: { CRASH_BUS: 'redis', CRASH_BUS_URL: REDIS_URL },
      publisher: async () => createRedisBus({ url: REDIS_URL, prefix, logger }),
      leftOver: async () => Number(((await admin.xpending(streamKey(prefix, EVENT), GROUP)) as [number])[0]),
    });
    check('Redis Streams', result);
  });

  it('RabbitMQ: every event\'s effect happens exactly once', { timeout: 180_000 }, async () => {
    const prefix = `${run}-rabbit:`;
    const names = { exchange: `${run}.events`, queuePrefix: `${run}.` };
    try {
      const result = await crashRun({
        prefix,
        env: { CRASH_BUS: 'rabbitmq', CRASH_BUS_URL: RABBITMQ_URL, CRASH_EXCHANGE: names.exchange, CRASH_QUEUE_PREFIX: names.queuePrefix },
        publisher: () => connectRabbitBus({ url: RABBITMQ_URL, ...names, logger }),
        leftOver: async () => {
          const connection = await amqp.connect(RABBITMQ_URL);
          try {
            return (await (await connection.createChannel()).checkQueue(groupQueues(names, GROUP).queue)).messageCount;
          } finally {
            await connection.close();
          }
        },
      });
      check('RabbitMQ', result);
    } finally {
      const connection = await amqp.connect(RABBITMQ_URL);
      const channel = await connection.createChannel();
      const queues = groupQueues(names, GROUP);
      const delays = new Set(Array.from({ length: 9 }, (_, i) => retryDelay(i + 1, RABBIT_DEFAULTS.retryDelayMs, RABBIT_DEFAULTS.maxRetryDelayMs)));
      for (const queue of [queues.queue, queues.dead, ...[...delays].map((d) => queues.retry(d))]) await channel.deleteQueue(queue);
      await channel.deleteExchange(names.exchange);
      await channel.deleteExchange(deadLetterExchange(names.exchange));
      await connection.close();
    }
  });
});
