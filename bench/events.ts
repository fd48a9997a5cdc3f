// End-to-end events per second (publish, consume, acknowledge) through the durable bus adapters, each
// next to a raw client loop doing the same broker work by hand:
// - Redis Streams adapter vs ioredis XADD (pipelined per batch, MAXLEN ~ as the adapter) + XREADGROUP
//   COUNT <batch> + XACK;
// - RabbitMQ adapter vs amqplib on a durable topic exchange and queue, persistent messages, publisher
//   confirms awaited per batch, a consumer with prefetch <batch> acknowledging each message.
// Publisher and consumer share this process in every case. A round publishes `--events` in batches of
// `--batch` (each batch's publishes awaited before the next; no new batch after `--cap-seconds`) while
// the consumer runs, and is timed from the first publish to the acknowledgement of the last one published. Every round uses its own keys, queues and exchanges
// (random run prefix) and deletes them afterwards. Needs Redis and RabbitMQ (REDIS_URL, AMQP_URL).
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import amqp, { type Channel, type ChannelModel } from 'amqplib';
import { Redis } from 'ioredis';
import { connectRabbitBus, deadLetterExchange, groupQueues, RABBIT_DEFAULTS, retryDelay } from '../runtime/bus/rabbitmq/index.js';
import { createRedisBus, deadLetterKey, streamKey } from '../runtime/bus/redis/index.js';
import type { EventBus, EventEnvelope } from '../runtime/bus/types.js';
import { createLogger } from '../runtime/logging/index.js';
import { arg, medianBy, printTable, ratio } from './support.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const AMQP_URL = process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
const EVENT = 'order.confirmed';
const GROUP = 'bench';
/** A round that has not finished by then fails the run instead of hanging it. */
const ROUND_CAP_MS = 120_000;

interface Settings {
  events: number;
  batch: number;
  capMs: number;
}

interface Result {
  /** Events published, consumed and acknowledged. */
  events: number;
  seconds: number;
}

/** One round of one system, named `name` (prefix of everything it creates). */
type Round = (name: string, settings: Settings) => Promise<Result>;

const logger = createLogger({ service: 'bench-events', level: 'warn' });

function envelope(): EventEnvelope {
  return {
    id: randomUUID(),
    event: EVENT,
    version: 1,
    source: 'orders',
    time: new Date().toISOString(),
    requestId: randomUUID(),
    payload: { orderId: randomUUID(), userId: randomUUID(), totalAmount: 49.9, status: 'confirmed' },
  };
}

/**
 * Publishes `events` in batches of `batch`, awaiting each batch before the next and starting none
 * after `capMs`; resolves with the number published.
 */
async function publishAll({ events, batch, capMs }: Settings, publishBatch: (count: number) => Promise<unknown>): Promise<number> {
  const deadline = performance.now() + capMs;
  let sent = 0;
  while (sent < events && performance.now() < deadline) {
    const count = Math.min(batch, events - sent);
    await publishBatch(count);
    sent += count;
  }
  return sent;
}

interface Counter {
  hit(count?: number): void;
  /** Resolves once `total` were counted. */
  reached(total: number): Promise<void>;
}

function counter(): Counter {
  let seen = 0;
  let target = Infinity;
  let resolve!: () => void;
  const done = new Promise<void>((r) => (resolve = r));
  return {
    hit(count = 1) {
      seen += count;
      if (seen >= target) resolve();
    },
    reached(total) {
      target = total;
      if (seen >= target) resolve();
      return done;
    },
  };
}

/**
 * Publishes while the consumer counts, waits for every published event to be counted, then for
 * `settled` (an adapter's acknowledgements after its handler returned) before stopping the clock.
 */
async function timed(
  label: string,
  settings: Settings,
  seen: Counter,
  publishBatch: (count: number) => Promise<unknown>,
  settled: () => Promise<void> = async () => undefined,
): Promise<Result> {
  const started = performance.now();
  const events = await capped(publishAll(settings, publishBatch), label);
  await capped(seen.reached(events), label);
  await capped(settled(), `${label} acknowledgements`);
  return { events, seconds: (performance.now() - started) / 1000 };
}

function capped<T>(promise: Promise<T>, label: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const cap = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${label}: not finished after ${ROUND_CAP_MS} ms`)), ROUND_CAP_MS);
  });
  return Promise.race([promise, cap]).finally(() => clearTimeout(timer));
}

// ---- Redis -------------------------------------------------------------------------------------

const redisAdapter: Round = async (name, settings) => {
  const prefix = `${name}:`;
  const stream = streamKey(prefix, EVENT);
  const admin = new Redis(REDIS_URL);
  const bus = createRedisBus({ url: REDIS_URL, prefix, batchSize: settings.batch, logger });
  try {
    const seen = counter();
    await bus.subscribe(EVENT, GROUP, async () => seen.hit());
    // The adapter acknowledges right after its handler returned: the clock stops when the group's pending list is empty.
    return await timed('redis adapter', settings, seen, (n) => Promise.all(Array.from({ length: n }, () => bus.publish(envelope()))), () =>
      untilNothingPending(admin, stream),
    );
  } finally {
    await bus.close();
    await admin.del(stream, deadLetterKey(prefix, GROUP));
    await admin.quit();
  }
};

async function untilNothingPending(redis: Redis, stream: string): Promise<void> {
  while (Number(((await redis.xpending(stream, GROUP)) as [number])[0]) > 0) await new Promise((r) => setImmediate(r));
}

const redisRaw: Round = async (name, settings) => {
  const stream = `${name}:raw`;
  const redis = new Redis(REDIS_URL);
  const reader = new Redis(REDIS_URL);
  try {
    await redis.xgroup('CREATE', stream, GROUP, '0', 'MKSTREAM');
    const acked = counter();
    let stop = false;
    const consume = async () => {
      while (!stop) {
        const reply = (await reader.xreadgroup('GROUP', GROUP, 'c1', 'COUNT', settings.batch, 'BLOCK', 1000, 'STREAMS', stream, '>')) as
          | [string, [string, string[]][]][]
          | null;
        const entries = reply?.[0]?.[1] ?? [];
        if (entries.length === 0) continue;
        for (const [, fields] of entries) JSON.parse(fields[1]!);
        await redis.xack(stream, GROUP, ...entries.map(([id]) => id));
        acked.hit(entries.length);
      }
    };
    const consumer = consume();
    const publish = (n: number) => {
      const pipeline = redis.pipeline();
      for (let i = 0; i < n; i++) pipeline.xadd(stream, 'MAXLEN', '~', 100_000, '*', 'envelope', JSON.stringify(envelope()));
      return pipeline.exec();
    };
    const result = await timed('raw ioredis', settings, acked, publish);
    stop = true;
    await consumer;
    return result;
  } finally {
    await redis.del(stream);
    await Promise.all([redis.quit(), reader.quit()]);
  }
};

// ---- RabbitMQ ----------------------------------------------------------------------------------

const rabbitAdapter: Round = async (name, settings) => {
  const exchange = `${name}.events`;
  const queuePrefix = `${name}.`;
  let bus: EventBus | null = null;
  try {
    bus = await connectRabbitBus({ url: AMQP_URL, exchange, queuePrefix, prefetch: settings.batch, logger });
    const seen = counter();
    await bus.subscribe(EVENT, GROUP, async () => seen.hit());
    const open = bus;
    // Its ack goes out as soon as the handler's promise settled (an AMQP ack has no reply to wait for).
    return await timed('rabbitmq adapter', settings, seen, (n) => Promise.all(Array.from({ length: n }, () => open.publish(envelope()))));
  } finally {
    await bus?.close();
    const queues = groupQueues({ exchange, queuePrefix }, GROUP);
    // The group also declared a delay queue per retry wait of the default schedule.
    const { maxAttempts, retryDelayMs, maxRetryDelayMs } = RABBIT_DEFAULTS;
    const delays = new Set(Array.from({ length: maxAttempts - 1 }, (_, i) => retryDelay(i + 1, retryDelayMs, maxRetryDelayMs)));
    await deleteRabbit([queues.queue, queues.dead, ...[...delays].map((d) => queues.retry(d))], [exchange, deadLetterExchange(exchange)]);
  }
};

const rabbitRaw: Round = async (name, settings) => {
  const exchange = `${name}.raw`;
  const queue = `${name}.raw.queue`;
  const connection = await amqp.connect(AMQP_URL);
  try {
    const publisher = await connection.createConfirmChannel();
    const consumer = await connection.createChannel();
    await publisher.assertExchange(exchange, 'topic', { durable: true });
    await publisher.assertQueue(queue, { durable: true });
    await publisher.bindQueue(queue, exchange, EVENT);
    await consumer.prefetch(settings.batch);
    const acked = counter();
    await consumer.consume(queue, (message) => {
      if (!message) return;
      JSON.parse(message.content.toString());
      consumer.ack(message);
      acked.hit();
    });
    const publishOne = () =>
      new Promise<void>((resolve, reject) => {
        const event = envelope();
        const body = Buffer.from(JSON.stringify(event));
        publisher.publish(exchange, EVENT, body, { persistent: true, contentType: 'application/json', messageId: event.id }, (err: unknown) =>
          err ? reject(err instanceof Error ? err : new Error('nacked')) : resolve(),
        );
      });
    return await timed('raw amqplib', settings, acked, (n) => Promise.all(Array.from({ length: n }, publishOne)));
  } finally {
    await connection.close().catch(() => undefined);
    await deleteRabbit([queue], [exchange]);
  }
};

async function deleteRabbit(queues: string[], exchanges: string[]): Promise<void> {
  const connection: ChannelModel = await amqp.connect(AMQP_URL);
  try {
    const channel: Channel = await connection.createChannel();
    for (const queue of queues) await channel.deleteQueue(queue);
    for (const exchange of exchanges) await channel.deleteExchange(exchange);
  } finally {
    await connection.close();
  }
}

// ---- run ---------------------------------------------------------------------------------------

const systems: { label: string; broker: string; round: Round }[] = [
  { label: 'Redis Streams adapter', broker: 'redis', round: redisAdapter },
  { label: 'raw ioredis XADD/XREADGROUP/XACK', broker: 'redis', round: redisRaw },
  { label: 'RabbitMQ adapter', broker: 'rabbitmq', round: rabbitAdapter },
  { label: 'raw amqplib, confirms + manual acks', broker: 'rabbitmq', round: rabbitRaw },
];

const rateOf = (result: Result) => result.events / result.seconds;

async function main(): Promise<void> {
  const settings: Settings = { events: arg('events', 20_000), batch: arg('batch', 100), capMs: arg('cap-seconds', 5) * 1000 };
  const rounds = arg('rounds', 3);
  const warmup = arg('warmup', 2000);
  const run = `meshspec-bench-${randomUUID().slice(0, 8)}`;
  console.log(
    `up to ${settings.events} events per round (no new batch after ${settings.capMs / 1000} s) in batches of ${settings.batch} ` +
      `(prefetch ${settings.batch}), ${rounds} rounds + a ${warmup}-event warm-up, run ${run}`,
  );

  for (const system of systems) await system.round(`${run}-${system.broker}-warmup-${systems.indexOf(system)}`, { ...settings, events: warmup });
  const results = systems.map(() => [] as Result[]);
  for (let r = 1; r <= rounds; r++) {
    // Interleaved, so drifting load on the machine touches every system alike.
    for (const [i, system] of systems.entries()) {
      const result = await system.round(`${run}-${system.broker}-r${r}-${i}`, settings);
      results[i]!.push(result);
      console.log(`round ${r}  ${system.label.padEnd(36)} ${rateOf(result).toFixed(0).padStart(7)} events/s  (${result.events} in ${result.seconds.toFixed(2)} s)`);
    }
  }

  const rate = results.map((rows) => rateOf(medianBy(rows, rateOf)));
  console.log();
  printTable(
    ['system (median round)', 'events/s', 'adapter/raw'],
    systems.map((system, i) => [
      system.label,
      rate[i]!.toFixed(0),
      // Rows come in pairs: adapter, then its raw baseline.
      i % 2 === 0 ? ratio(rate[i]!, rate[i + 1]!) : '',
    ]),
  );
  console.log('\ngoal: each adapter keeps at least 0.50x of its raw figure');
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
