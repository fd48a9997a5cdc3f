// `meshspec events dlq list|replay` as a user runs it: the CLI in a child process against the real
// Redis and RabbitMQ (a missing broker fails these tests, never skips them). Each run has a namespace
// of its own (--namespace, EVENT_BUS_NAMESPACE), whose keys, queues and exchanges are deleted afterwards.
import { randomBytes, randomUUID } from 'node:crypto';
import amqp from 'amqplib';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { connectRabbitBus, connectRabbitDeadLetters, deadLetterExchange, groupQueues, retryDelay } from '../../../runtime/bus/rabbitmq/index.js';
import { connectRedisDeadLetters, createRedisBus, deadLetterKey, streamKey } from '../../../runtime/bus/redis/index.js';
import type { DeadLetterAdmin } from '../../../runtime/bus/dead-letters.js';
import { UnprocessableEvent, type EventBus, type EventEnvelope } from '../../../runtime/bus/types.js';
import { createLogger } from '../../../runtime/logging/index.js';
import { freePort, runToEnd } from '../../support/processes.js';
import { repoRoot } from '../../support/project.js';

const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const RABBITMQ_URL = process.env['RABBITMQ_URL'] ?? 'amqp://guest:guest@127.0.0.1:5672';
const run = `dlq-${randomBytes(4).toString('hex')}`;
const logger = createLogger({ service: 'bus', level: 'silent' });
/** The CLI reads EVENT_BUS, EVENT_BUS_URL and EVENT_BUS_NAMESPACE: empty unless a test sets them. */
const noBusEnv = { EVENT_BUS: '', EVENT_BUS_URL: '', EVENT_BUS_NAMESPACE: '' };
const namespace = run;
const names = { exchange: `${namespace}.events`, queuePrefix: `${namespace}.` };

interface Broker {
  readonly kind: 'redis' | 'rabbitmq';
  readonly url: string;
  bus(): Promise<EventBus>;
  admin(): Promise<DeadLetterAdmin>;
  /** Deletes what the bus made for these services and events. */
  cleanUp(services: string[], events: string[]): Promise<void>;
}

const brokers: Broker[] = [
  {
    kind: 'redis',
    url: REDIS_URL,
    bus: async () => createRedisBus({ url: REDIS_URL, prefix: `${namespace}:`, logger, maxAttempts: 2, retryDelayMs: 10 }),
    admin: () => connectRedisDeadLetters({ url: REDIS_URL, prefix: `${namespace}:` }),
    async cleanUp(services, events) {
      const redis = new Redis(REDIS_URL);
      await redis.del(...services.map((s) => deadLetterKey(`${namespace}:`, s)), ...events.map((e) => streamKey(`${namespace}:`, e)));
      await redis.quit();
    },
  },
  {
    kind: 'rabbitmq',
    url: RABBITMQ_URL,
    bus: () => connectRabbitBus({ url: RABBITMQ_URL, ...names, maxAttempts: 2, retryDelayMs: 20, maxRetryDelayMs: 20, logger }),
    admin: () => connectRabbitDeadLetters({ url: RABBITMQ_URL, queuePrefix: names.queuePrefix }),
    async cleanUp(services) {
      const connection = await amqp.connect(RABBITMQ_URL);
      const channel = await connection.createChannel();
      for (const service of services) {
        const q = groupQueues(names, service);
        for (const queue of [q.queue, q.dead, q.retry(retryDelay(1, 20, 20))]) await channel.deleteQueue(queue);
      }
      await channel.deleteExchange(names.exchange);
      await channel.deleteExchange(deadLetterExchange(names.exchange));
      await connection.close();
    },
  },
];

/** Runs `meshspec events dlq ...` to its end: exit code and output. */
async function dlq(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return runToEnd([`${repoRoot}/bin/meshspec.js`, 'events', 'dlq', ...args], { ...noBusEnv, ...env });
}

const envelope = (event: string, payload: unknown = {}): EventEnvelope => ({ id: randomUUID(), event, version: 1, source: 'payments', time: new Date().toISOString(), payload });

async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Each CLI run starts a Node process with tsx (a few seconds on a busy machine): a guard against hangs, not a timing. */
const MANY_RUNS_MS = 180_000;

const cleanUps: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const cleanUp of cleanUps) await cleanUp();
});

describe.each(brokers)('meshspec events dlq on $kind', (broker) => {
  it('lists dead letters as a table and as JSON, filters by event, replays by ID and --all, and refuses an unknown ID', async () => {
    const service = `${run}-${broker.kind}-billing`;
    const other = `${run}-${broker.kind}-audit`;
    const failed = `${run}.payment.failed`;
    const refund = `${run}.refund.asked`;
    cleanUps.push(() => broker.cleanUp([service, other], [failed, refund]));
    const bus = await broker.bus();
    const admin = await broker.admin();
    try {
      let fixed = false;
      const handled: string[] = [];
      const audited: string[] = [];
      await bus.subscribe(failed, service, async (e) => {
        if (!fixed) throw new Error(`card declined\n  for ${'x'.repeat(100)}`);
        handled.push(e.id);
      });
      await bus.subscribe(refund, service, async (e) => {
        if (!fixed) throw new UnprocessableEvent('payload.amount must be a number');
        handled.push(e.id);
      });
      await bus.subscribe(failed, other, async (e) => void audited.push(e.id));
      const payment = envelope(failed);
      const refundAsked = envelope(refund);
      await bus.publish(payment);
      await until('the payment to be dead-lettered', async () => (await admin.count(service)) === 1);
      await bus.publish(refundAsked);
      await until('the refund to be dead-lettered', async () => (await admin.count(service)) === 2);
      const [paymentLetter, refundLetter] = await admin.list(service);

      const table = await dlq(['list', service, '--bus', broker.kind, '--url', broker.url, '--namespace', namespace]);
      expect(table.stderr).toBe('');
      expect(table.code).toBe(0);
      const lines = table.stdout.trimEnd().split('\n');
      expect(lines[0]).toMatch(/^ID\s+EVENT\s+ATTEMPTS\s+AGE\s+ERROR$/);
      expect(lines[1]).toMatch(new RegExp(`^${paymentLetter!.id}\\s+${failed.replaceAll('.', '\\.')}\\s+2\\s+\\d+[smhd]\\s+(Error: )?card declined for x+…$`));
      expect(lines[1]!.length).toBeLessThan(paymentLetter!.id.length + failed.length + 90);
      expect(lines[2]).toMatch(new RegExp(`^${refundLetter!.id}\\s+${refund.replaceAll('.', '\\.')}\\s+1\\s+\\d+[smhd]\\s+(UnprocessableEvent: )?payload\\.amount must be a number$`));
      expect(lines.slice(3)).toEqual([`2 dead letters of ${service}`]);

      // The environment's settings, as a service has them, and JSON out.
      const json = await dlq(['list', service, '--event', refund, '--json'], { EVENT_BUS: broker.kind, EVENT_BUS_URL: broker.url, EVENT_BUS_NAMESPACE: namespace });
      expect(json.code).toBe(0);
      expect(JSON.parse(json.stdout)).toEqual([expect.objectContaining({ id: refundLetter!.id, event: refund, envelopeId: refundAsked.id, source: 'payments', attempts: 1, envelope: refundAsked })]);

      fixed = true;
      const unknown = await dlq(['replay', service, broker.kind === 'redis' ? '1-1' : randomUUID(), '--bus', broker.kind, '--namespace', namespace]);
      expect(unknown.code).toBe(2);
      expect(unknown.stderr).toMatch(new RegExp(`^meshspec: ${service} has no dead letter \\S+: \`meshspec events dlq list ${service}\` shows the IDs\\n$`));
      expect(await admin.list(service)).toHaveLength(2);

      const one = await dlq(['replay', service, paymentLetter!.id, '--bus', broker.kind, '--namespace', namespace]);
      expect(one).toMatchObject({ code: 0, stderr: '', stdout: `replayed 1 dead letter to ${service} (attempts reset)\n` });
      await until('the fixed handler to get the payment', () => handled.includes(payment.id));
      const rest = await dlq(['list', service, '--bus', broker.kind, '--namespace', namespace]);
      expect(rest.stdout).toContain(refundLetter!.id);
      expect(rest.stdout).not.toContain(paymentLetter!.id);

      const all = await dlq(['replay', service, '--all', '--bus', broker.kind, '--namespace', namespace]);
      expect(all).toMatchObject({ code: 0, stdout: `replayed 1 dead letter to ${service} (attempts reset)\n` });
      await until('the fixed handler to get the refund', () => handled.includes(refundAsked.id));
      const none = await dlq(['list', service, '--bus', broker.kind, '--namespace', namespace]);
      expect(none.stdout).toMatch(new RegExp(`^no dead letters of ${service} on ${broker.kind} at \\S+ \\(namespace ${namespace}\\)\\n$`));
      expect((await dlq(['replay', service, '--all', '--bus', broker.kind, '--namespace', namespace])).stdout).toBe(`no dead letters of ${service} to replay\n`);

      // Each was handled once, and the other subscriber of the event did not get the payment again.
      const marker = envelope(failed);
      await bus.publish(marker);
      await until('the marker to reach both services', () => handled.includes(marker.id) && audited.includes(marker.id));
      expect(handled).toEqual([payment.id, refundAsked.id, marker.id]);
      expect(audited).toEqual([payment.id, marker.id]);
    } finally {
      await admin.close();
      await bus.close();
    }
  }, MANY_RUNS_MS);

  it('fails with one line, exit 1 and no password when the broker is unreachable', async () => {
    const port = await freePort();
    const url = `${broker.kind === 'redis' ? 'redis' : 'amqp'}://user:s3cret-pw@127.0.0.1:${port}`;
    const result = await dlq(['list', 'orders', '--bus', broker.kind, '--url', url]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(`meshspec: cannot reach ${broker.kind} at ${url.replace('s3cret-pw', '***')}: connect ECONNREFUSED 127.0.0.1:${port}\n`);
  });
});

describe('meshspec events dlq usage', () => {
  it('asks for a broker when neither --bus nor EVENT_BUS names one, and refuses the memory bus', async () => {
    const missing = await dlq(['list', 'orders']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^meshspec: which broker\? pass --bus redis\|rabbitmq/);
    const memory = await dlq(['list', 'orders'], { EVENT_BUS: 'memory' });
    expect(memory.code).toBe(2);
    expect(memory.stderr).toMatch(/^meshspec: EVENT_BUS=memory keeps events inside one process/);
  });

  it('refuses unknown flags, misplaced flags, a missing service and a replay without IDs, before connecting', async () => {
    const cases: [string[], RegExp][] = [
      [['list', 'orders', '--bus', 'redis', '--frobnicate'], /Unknown option '--frobnicate'/],
      [['list', 'orders', '--bus', 'kafka'], /--bus must be redis or rabbitmq, got 'kafka'/],
      [['list', 'orders', '--bus', 'rabbitmq', '--url', 'redis://127.0.0.1:6379'], /--url must start with amqp:\/\/ or amqps:\/\/ for --bus rabbitmq/],
      [['list', '--bus', 'redis'], /missing <service>/],
      [['list', 'orders', '--bus', 'redis', '--namespace', 'a b'], /--namespace must be 1-63 letters/],
      [['list', 'orders', '--all', '--bus', 'redis'], /--all belongs to `dlq replay`/],
      [['list', 'orders', '--limit', 'lots', '--bus', 'redis'], /--limit must be a whole number/],
      [['replay', 'orders', '--bus', 'redis'], /replay needs the IDs to send back/],
      [['replay', 'orders', '1-1', '--all', '--bus', 'redis'], /replay takes IDs or --all, not both/],
      [['purge', 'orders'], /unknown dlq command `purge`/],
    ];
    for (const [args, message] of cases) {
      const result = await dlq(args);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr, args.join(' ')).toMatch(message);
      expect(result.stderr).not.toMatch(/^\s+at /m);
    }
  }, MANY_RUNS_MS);
});
