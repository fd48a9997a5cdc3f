// A choreographed saga run for real: the choreography fixture (test/fixtures/choreography: orders
// owns `fulfilOrder`; payments charges, inventory reserves, orders confirms) generated into a scratch
// project with the fixture's hooks, each service its own process on its own PostgreSQL database, on
// Redis Streams. Orders are placed with outcomes chosen at random (declined, out of stock, rejected at
// confirmation, a refund that never succeeds, a step that fails once), while payments and inventory
// are killed with SIGKILL at random moments and started again. When it settles: every saga is
// completed, compensated or (only where a refund was made to fail) stuck; no step took effect twice;
// every charge is refunded or belongs to a confirmed order (or a stuck saga), every reservation
// released or confirmed; one final event per saga; the owner's log, status endpoint and
// `meshspec sagas` show it. CHOREO_ORDERS, CHOREO_KILLS and CHOREO_SEED change the run
// (`npm run test:choreography-crash`: 600 orders, 12 kills).
import { randomBytes, randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { streamKey } from '../../runtime/bus/redis/options.js';
import { BROKER_URLS, deleteBusNamespace, testNamespace } from '../support/brokers.js';
import { eventually, freePorts, http, runToEnd, start, type Child } from '../support/processes.js';
import { repoRoot } from '../support/project.js';
import { seeded } from '../support/seeded.js';
import { writeChoreographyProject } from '../support/choreography-project.js';
import { createServiceDatabases, type ServiceDatabases } from '../support/service-databases.js';
import { postgresAvailable } from '../integration/storage/engines.js';

const ORDERS = Number(process.env['CHOREO_ORDERS'] ?? 150);
const KILLS = Number(process.env['CHOREO_KILLS'] ?? 2);
const SEED = Number(process.env['CHOREO_SEED'] ?? Math.floor(Math.random() * 2 ** 31));
const CONCURRENCY = 12;
const SERVICES = ['orders', 'payments', 'inventory'] as const;
type Service = (typeof SERVICES)[number];

/** What each kind of order is expected to end as. */
const KINDS = {
  ok: { sku: 'kb', amount: 10, state: 'completed' },
  flaky: { sku: 'flaky', amount: 10, state: 'completed' },
  declined: { sku: 'kb', amount: 5000, state: 'compensated' },
  none: { sku: 'none', amount: 10, state: 'compensated' },
  reject: { sku: 'reject', amount: 10, state: 'compensated' },
  stuck: { sku: 'stuck', amount: 10, state: 'stuck' },
} as const;
type Kind = keyof typeof KINDS;
// Mostly orders that complete, as a shop sees them; every failure kind in each run.
const WEIGHTS: readonly [Kind, number][] = [['ok', 50], ['flaky', 10], ['declined', 10], ['none', 10], ['reject', 15], ['stuck', 5]];

const postgresUp = await postgresAvailable();
const root = path.join(repoRoot, '.tmp', `choreography-e2e-${randomBytes(6).toString('hex')}`);
const namespace = testNamespace();
let databases: ServiceDatabases | undefined;
const children = new Map<Service, Child>();
const outputs: Child[] = [];
let ports: Record<Service, number>;

/** The fixture's spec with quick redelivery: a killed consumer's events are claimed after 1 s. */
const QUICK_REDIS = 'runtime:\n  bus:\n    kind: redis\n    maxAttempts: 10\n    retryDelay: 50ms\n    maxRetryDelay: 500ms\n    claimIdle: 1s\n';

function envOf(service: Service): NodeJS.ProcessEnv {
  return {
    ...databases!.env,
    PORT: String(ports[service]),
    GRPC_PORT: 'off',
    EVENT_BUS: 'redis',
    EVENT_BUS_URL: BROKER_URLS.redis,
    EVENT_BUS_NAMESPACE: namespace,
    MESH_SAGA_COMPENSATION_ATTEMPTS: '3',
    LOG_LEVEL: 'warn',
    TSX_TSCONFIG_PATH: path.join(repoRoot, 'tsconfig.json'),
  };
}

async function startService(service: Service): Promise<void> {
  const child = start(['--import', 'tsx', path.join(root, `generated/${service}/main.ts`)], envOf(service));
  children.set(service, child);
  outputs.push(child);
  try {
    await eventually(async () => {
      if (child.process.exitCode !== null || child.process.signalCode !== null) throw new Error(`${service} exited before it was ready`);
      return (await http(`http://127.0.0.1:${ports[service]}/ready`, { timeoutMs: 2000 }).then((r) => r.status, () => 0)) === 200;
    }, 60_000);
  } catch (err) {
    throw new Error(`${(err as Error).message}\n--- ${service}\n${child.output()}`, { cause: err });
  }
}

async function query<R extends pg.QueryResultRow>(service: Service, text: string): Promise<R[]> {
  const client = new pg.Client({ connectionString: databases!.env[`MESH_${service.toUpperCase()}_DATABASE_URL`]! });
  await client.connect();
  try {
    return (await client.query<R>(text)).rows;
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  if (!postgresUp) return;
  await writeChoreographyProject(root, QUICK_REDIS);
  databases = await createServiceDatabases([...SERVICES]);
  const free = await freePorts(SERVICES.length);
  ports = { orders: free[0]!, payments: free[1]!, inventory: free[2]! };
  await Promise.all(SERVICES.map((s) => startService(s)));
}, 120_000);

afterAll(async () => {
  await Promise.allSettled([...children.values()].map((c) => c.stop('SIGTERM')));
  await databases?.drop().catch(() => undefined);
  await deleteBusNamespace('redis', namespace, []).catch(() => undefined);
  rmSync(root, { recursive: true, force: true });
}, 60_000);

/** Adds every entry of each event's stream again, under a new envelope id; resolves with how many. */
async function replayEvents(redis: Redis, events: readonly string[]): Promise<number> {
  let count = 0;
  for (const event of events) {
    const entries = (await redis.xrange(streamKey(`${namespace}:`, event), '-', '+')) as [string, string[]][];
    for (const [, fields] of entries) {
      const envelope = JSON.parse(fields[fields.indexOf('envelope') + 1]!) as { id: string };
      await redis.xadd(streamKey(`${namespace}:`, event), '*', 'envelope', JSON.stringify({ ...envelope, id: randomUUID() }));
      count += 1;
    }
  }
  return count;
}

/** Whether every consumer group of these events' streams has read everything and has nothing pending. */
async function consumersCaughtUp(redis: Redis, events: readonly string[]): Promise<boolean> {
  for (const event of events) {
    const groups = (await redis.xinfo('GROUPS', streamKey(`${namespace}:`, event)).catch(() => [])) as unknown[][];
    for (const group of groups) {
      const info = Object.fromEntries(Array.from({ length: group.length / 2 }, (_, i) => [String(group[2 * i]), group[2 * i + 1]]));
      if (Number(info['pending']) !== 0 || Number(info['lag']) !== 0) return false;
    }
  }
  return true;
}

describe.skipIf(!postgresUp)('a choreographed saga across processes killed at random', () => {
  it('ends every saga completed, compensated or stuck as planned, each step and compensation taking effect once', async () => {
    const next = seeded(SEED);
    const pick = (): Kind => {
      let roll = next() * WEIGHTS.reduce((sum, [, w]) => sum + w, 0);
      for (const [kind, weight] of WEIGHTS) if ((roll -= weight) < 0) return kind;
      return 'ok';
    };
    const plan: Kind[] = Array.from({ length: ORDERS }, pick);
    // Every kind at least once, whatever the seed.
    (Object.keys(KINDS) as Kind[]).forEach((kind, i) => (plan[i] = kind));
    const killAt = new Set(Array.from({ length: KILLS }, () => Math.floor(next() * ORDERS)));

    // Final events, heard by a group of the test's own.
    const heard: { event: string; sagaId: string; state?: string }[] = [];
    const probe = new Redis(BROKER_URLS.redis);
    const streams = ['fulfilOrder.completed', 'fulfilOrder.failed'].map((e) => streamKey(`${namespace}:`, e));
    let listening = true;
    const listen = (async () => {
      for (const stream of streams) await probe.xgroup('CREATE', stream, 'probe', '0', 'MKSTREAM').catch(() => undefined);
      const reader = probe.duplicate();
      while (listening) {
        const batch = (await reader.xreadgroup('GROUP', 'probe', 'test', 'COUNT', 500, 'BLOCK', 200, 'STREAMS', ...streams, ...streams.map(() => '>')).catch(() => null)) as [string, [string, string[]][]][] | null;
        for (const [, entries] of batch ?? []) {
          for (const [, fields] of entries) {
            const envelope = JSON.parse(fields[fields.indexOf('envelope') + 1]!) as { event: string; payload: { sagaId: string; state?: string } };
            heard.push({ event: envelope.event, sagaId: envelope.payload.sagaId, ...(envelope.payload.state ? { state: envelope.payload.state } : {}) });
          }
        }
      }
      reader.disconnect();
    })();

    const orderIds: string[] = new Array(ORDERS);
    let kills = 0;
    let killing = Promise.resolve();
    // Placing an order is orders' own business (not killed): one request each, answered 201.
    let placing = 0;
    const place = async () => {
      while (placing < ORDERS) {
        const i = placing++;
        if (killAt.has(i)) {
          const victim: Service = next() < 0.5 ? 'payments' : 'inventory';
          kills += 1;
          // One at a time: a kill never hits a process still starting after the previous one.
          killing = killing.then(async () => {
            await children.get(victim)!.stop('SIGKILL');
            await startService(victim);
          });
        }
        const { sku, amount } = KINDS[plan[i]!];
        const answer = await http(`http://127.0.0.1:${ports.orders}/orders`, { method: 'POST', body: { sku, amount } });
        expect(answer.status, JSON.stringify(answer.body)).toBe(201);
        orderIds[i] = (answer.body as { orderId: string }).orderId;
      }
    };
    const started = Date.now();
    await Promise.all(Array.from({ length: CONCURRENCY }, place));
    await killing;

    // Settled: every saga in the owner's log, none in flight.
    const settle = () => eventually(async () => {
      const [row] = await query<{ total: string; moving: string }>('orders', `select count(*)::text as total, count(*) filter (where state in ('running', 'compensating'))::text as moving from meshspec_sagas`);
      return Number(row!.total) === ORDERS && Number(row!.moving) === 0;
    }, 120_000);
    await settle();
    const settledMs = Date.now() - started;
    const kindOf = new Map(orderIds.map((id, i) => [id, plan[i]!]));
    const expected = (state: string) => plan.filter((k) => KINDS[k].state === state).length;

    /** Every saga as planned, no step taken twice, every effect undone or kept by a confirmed order (or a stuck saga). */
    const assertSettled = async (when: string): Promise<Map<string, string>> => {
      const states = new Map((await query<{ id: string; state: string }>('orders', 'select id, state from meshspec_sagas')).map((r) => [r.id, r.state]));
      const wrong = orderIds.map((id, i) => ({ id, kind: plan[i]!, state: states.get(id) })).filter((o) => o.state !== KINDS[o.kind].state);
      expect(wrong, `${when}, seed ${SEED}`).toEqual([]);
      const charges = await query<{ order_id: string; refunded: boolean; refunds: number }>('payments', 'select order_id, refunded, refunds from charges');
      const reservations = await query<{ order_id: string; released: boolean }>('inventory', 'select order_id, released from reservations');
      const twice = (rows: { order_id: string }[]) => rows.length - new Set(rows.map((r) => r.order_id)).size;
      expect([twice(charges), twice(reservations)], `${when}, seed ${SEED}`).toEqual([0, 0]);
      expect(charges.filter((c) => c.refunds > 1), `refunded twice ${when}, seed ${SEED}`).toEqual([]);
      const keptCharges = charges.filter((c) => !c.refunded).map((c) => kindOf.get(c.order_id));
      expect(keptCharges.every((k) => k === 'ok' || k === 'flaky' || k === 'stuck'), when).toBe(true);
      expect(keptCharges.length, when).toBe(expected('completed') + expected('stuck'));
      expect(charges.filter((c) => c.refunded).length, when).toBe(plan.filter((k) => k === 'none' || k === 'reject').length);
      const keptReservations = reservations.filter((r) => !r.released).map((r) => kindOf.get(r.order_id));
      expect(keptReservations.every((k) => k === 'ok' || k === 'flaky'), when).toBe(true);
      expect(keptReservations.length, when).toBe(expected('completed'));
      const confirmed = await query<{ n: string }>('orders', `select count(*)::text as n from orders where status = 'confirmed'`);
      expect(Number(confirmed[0]!.n), when).toBe(expected('completed'));
      // One final event per saga, with the state the log has.
      await eventually(async () => heard.length >= ORDERS, 10_000).catch(() => undefined);
      expect(heard.length, `${when}, seed ${SEED}`).toBe(ORDERS);
      expect(new Set(heard.map((h) => h.sagaId)).size).toBe(ORDERS);
      for (const h of heard) expect(h.event === 'fulfilOrder.completed' ? 'completed' : h.state).toBe(states.get(h.sagaId));
      return states;
    };

    let states: Map<string, string>;
    try {
      states = await assertSettled('after the run');
      // At least once means duplicates: every event of the saga delivered again (as a publisher that
      // lost its acknowledgement would send it, under a new envelope id) changes nothing.
      const replayed = await replayEvents(probe, ['order.created', 'payment.completed', 'stock.reserved', 'stock.failed', 'payment.failed', 'order.rejected']);
      expect(replayed).toBeGreaterThan(ORDERS);
      await eventually(() => consumersCaughtUp(probe, ['order.created', 'payment.completed', 'stock.reserved', 'stock.failed', 'payment.failed', 'order.rejected', 'meshspec.sagaReports.orders']), 60_000);
      await settle();
      await new Promise((resolve) => setTimeout(resolve, 500));
      await assertSettled('after every event was delivered again');
    } finally {
      listening = false;
      await listen;
      probe.disconnect();
    }
    const count = (state: string) => [...states.values()].filter((s) => s === state).length;

    // The owner's view: the status endpoint, the log's routes and the CLI.
    const stuckId = orderIds[plan.indexOf('stuck')]!;
    const status = await http(`http://127.0.0.1:${ports.orders}/orders/fulfilments/${stuckId}`);
    expect(status.body).toEqual({ sagaId: stuckId, state: 'stuck', failure: { step: 'reserve', code: 'stock.failed', message: 'no stuck left' } });
    const rejectedId = orderIds[plan.indexOf('reject')]!;
    const record = await http(`http://127.0.0.1:${ports.orders}/sagas/${rejectedId}`);
    const steps = (record.body as { steps: { step: string; phase: string; outcome: string }[] }).steps.map((s) => `${s.step}.${s.phase}:${s.outcome}`).sort();
    expect(steps).toEqual(['charge.compensate:succeeded', 'charge.forward:succeeded', 'confirm.forward:failed', 'reserve.compensate:succeeded', 'reserve.forward:succeeded']);
    const flakyId = orderIds[plan.indexOf('flaky')]!;
    const flaky = await http(`http://127.0.0.1:${ports.orders}/sagas/${flakyId}`);
    expect((flaky.body as { steps: { step: string; phase: string; attempts: number }[] }).steps.find((s) => s.step === 'reserve')?.attempts).toBeGreaterThanOrEqual(2);
    const cli = await runToEnd([path.join(repoRoot, 'bin/meshspec.js'), 'sagas', 'list', '--state', 'stuck', '--limit', '200', '--json', '--spec', path.join(root, 'spec')], { MESH_ORDERS_DATABASE_URL: databases!.env['MESH_ORDERS_DATABASE_URL']! }, root);
    expect(cli.code, cli.stderr).toBe(0);
    expect(cli.stdout).toContain(stuckId);

    const participants = await Promise.all((['payments', 'inventory'] as const).map((s) => query<{ compensation: string | null; attempts: number }>(s, 'select compensation, attempts from meshspec_saga_participants')));
    const compensations = participants.flat().filter((r) => r.compensation === 'compensated').length;
    const retried = participants.flat().filter((r) => r.attempts > 1).length;
    console.log(`choreography crash (seed ${SEED}): ${ORDERS} sagas settled in ${settledMs} ms; ${kills} kills and restarts; ${count('completed')} completed, ${count('compensated')} compensated, ${count('stuck')} stuck; ${compensations} compensations run or skipped; ${retried} steps taken on a later attempt`);
  }, 300_000);
});
