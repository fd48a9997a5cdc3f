// The deployed shape on one machine: every service of the shop and the gateway in a process of its
// own, each started from its generated entry point with the environment a container gets (PORT,
// GRPC_PORT, HOST, EVENT_BUS, EVENT_BUS_URL, MESH_<SERVICE>_HTTP/_GRPC), on free ports, once over
// Redis and once over RabbitMQ, driven through the gateway with the README tour's flows. Then the
// command that does the same for a user, `meshspec dev --processes`. Each stack runs under its own
// EVENT_BUS_NAMESPACE, deleted afterwards, and keeps its data in fresh PostgreSQL databases, one per
// service (MESH_<SERVICE>_DATABASE_URL), dropped afterwards. A missing broker or PostgreSQL fails these
// tests, it never skips them.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { brokerProblem } from '../../generator/cli/processes/broker.js';
import { freePortAssignment } from '../../generator/cli/processes/free-ports.js';
import { planProcesses, type PlannedProcess, type ProcessBus } from '../../generator/cli/processes/plan.js';
import { BROKER_URLS, deleteBusNamespace, testNamespace } from '../support/brokers.js';
import { redactUrl } from '../../runtime/bus/settings.js';
import { repoRoot } from '../support/project.js';
import { bannerUrl, eventually, http, meshspec, start, type Child } from '../support/processes.js';
import { formatIdentityKeys, generateIdentityKey } from '../../runtime/identity/index.js';
import { createServiceDatabases, type ServiceDatabases } from '../support/service-databases.js';
import { SHOP_SERVICES, shopMesh } from '../support/shop-mesh.js';
import { call, cancellationReleasesStock, orderConfirmedByPayment, SHOP_AUTH_ENV, shopApi, type ShopApi } from '../support/shop-flow.js';

const buses = (['redis', 'rabbitmq'] as const).map((kind) => ({ kind, url: BROKER_URLS[kind] }));
const SERVICES = SHOP_SERVICES;

/** Five processes with tsx on a shared 2-core machine: generous, only a hang fails. */
const START_MS = 180_000;

interface ShopProcesses {
  readonly api: ShopApi;
  readonly children: readonly Child[];
}

/** Every process as a container would start it: `node --import tsx generated/<name>/main.ts` and its environment. */
async function startShop(bus: ProcessBus, databases: ServiceDatabases): Promise<ShopProcesses> {
  const problem = await brokerProblem(bus);
  if (problem) throw new Error(problem);
  const mesh = shopMesh();
  const plan = planProcesses(mesh, { ports: await freePortAssignment(mesh), bus });
  const planned: PlannedProcess[] = [...plan.services, plan.gateway as PlannedProcess];
  // As the manifests give them: the gateway its JWT secret, every process the identity keys.
  const identity = { MESH_IDENTITY_KEYS: formatIdentityKeys([generateIdentityKey('test')]) };
  const children = planned.map((p) => start(['--import', 'tsx', p.entry], { ...p.env, ...databases.env, ...identity, ...(p === plan.gateway && SHOP_AUTH_ENV) }));
  const output = () => children.map((c, i) => `--- ${planned[i]!.name}\n${c.output()}`).join('\n');
  try {
    await eventually(async () => {
      const exited = children.findIndex((c) => c.process.exitCode !== null);
      if (exited !== -1) throw new Error(`${planned[exited]!.name} exited before it was ready:\n${output()}`);
      const answers = await Promise.all(planned.map((p) => http(p.readyUrl, { timeoutMs: 2000 }).then((r) => r.status, () => 0)));
      return answers.every((status) => status === 200);
    }, START_MS);
  } catch (err) {
    await Promise.all(children.map((c) => c.stop('SIGKILL')));
    throw new Error(`${(err as Error).message}\n${output()}`, { cause: err });
  }
  return { api: await shopApi(`${plan.gatewayUrl}/api/v1`), children };
}

describe.each(buses)('the shop with every service in its own process, over $kind', ({ kind, url }) => {
  const namespace = testNamespace();
  let shop: ShopProcesses | undefined;
  let databases: ServiceDatabases | undefined;
  beforeAll(async () => {
    databases = await createServiceDatabases(SERVICES);
    shop = await startShop({ kind, url, namespace }, databases);
  }, START_MS + 10_000);
  afterAll(async () => {
    await Promise.all(shop?.children.map((c) => c.stop('SIGKILL')) ?? []);
    await deleteBusNamespace(kind, namespace, SERVICES);
    await databases?.drop();
  });

  it('confirms an order through the payment.completed event published by another process', async () => {
    await orderConfirmedByPayment(shop!.api);
  }, 60_000);

  it('releases the stock of a cancelled order through order.cancelled', async () => {
    await cancellationReleasesStock(shop!.api);
  }, 60_000);

  it('stops every process on SIGTERM with exit code 0', async () => {
    // The gateway first, as a rolling stop would drain it, then the services.
    const [gateway, ...services] = [...shop!.children].reverse();
    expect(await gateway!.stop('SIGTERM', 30_000)).toBe(0);
    expect(await Promise.all(services.map((c) => c.stop('SIGTERM', 30_000)))).toEqual(services.map(() => 0));
  }, 70_000);
});

/** The node processes `pid` started from generated entry points (Linux: /proc), by entry point. */
function entryPointChildren(pid: number): Map<string, number> {
  const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  const found = new Map<string, number>();
  for (const child of children) {
    try {
      const entry = /generated\/(\w+)\/main\.ts/.exec(readFileSync(`/proc/${child}/cmdline`, 'utf8'))?.[1];
      if (entry) found.set(entry, child);
    } catch {
      // Exited meanwhile: not one of ours any more.
    }
  }
  return found;
}

/** `meshspec dev --processes` over Redis on free ports, under its own namespace, on `databases`. */
function devProcesses(namespace: string, databases: ServiceDatabases): Child {
  return start([path.join(repoRoot, 'bin/meshspec.js'), 'dev', '--processes', '--bus', 'redis', '--bus-url', BROKER_URLS.redis, '--free-ports'], {
    ...databases.env,
    EVENT_BUS_NAMESPACE: namespace,
    // Unset, whatever the shell has: dev makes them up for the run.
    JWT_SECRET: '',
    MESH_IDENTITY_KEYS: '',
  });
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('meshspec dev --processes', () => {
  it('starts every service and the gateway as processes, prints the banner with the bus, serves, and stops them all on SIGTERM', async () => {
    const namespace = testNamespace();
    const databases = await createServiceDatabases(SERVICES);
    const dev = devProcesses(namespace, databases);
    try {
      await dev.waitFor(/Ctrl-C to stop/, START_MS);
      const output = dev.output();
      const gateway = bannerUrl(output, 'gateway');
      for (const service of ['inventory', 'orders', 'payments', 'users']) {
        expect((await http(`${bannerUrl(output, service)}/ready`)).status).toBe(200);
        // Logs arrive prefixed by service, turned from JSON into readable lines.
        expect(output).toMatch(new RegExp(`^\\[${service}\\] \\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO  ${service} started`, 'm'));
      }
      expect(output).toContain(`redis ${redactUrl(BROKER_URLS.redis)} (namespace ${namespace})`);
      expect(output).toMatch(/^ {2}bus {2,}redis /m);

      const children = [...entryPointChildren(dev.process.pid!).values()];
      expect(children).toHaveLength(5);

      const products = await http(`${gateway}/api/v1/products`);
      expect(products.status).toBe(200);
      expect(products.body).toEqual(expect.arrayContaining([expect.objectContaining({ id: 'sku-keyboard' })]));
      // No JWT_SECRET given: the gateway got a random one for the run, and the token printed is signed with it.
      expect((await http(`${gateway}/api/v1/orders`)).status).toBe(401);
      const token = /^development token \(expires in 12h\): (\S+)$/m.exec(dev.output())?.[1];
      expect(token, output).toBeDefined();
      expect((await call({ base: `${gateway}/api/v1`, token: token! }, '/orders/00000000-0000-4000-8000-000000000000')).status).toBe(404);

      expect(await dev.stop('SIGTERM', 60_000)).toBe(0);
      expect(children.filter(isRunning)).toEqual([]);
      expect(dev.output()).not.toMatch(/did not stop|was killed|exited with code [1-9]/);
    } finally {
      await dev.stop('SIGKILL');
      await deleteBusNamespace('redis', namespace, SERVICES);
      await databases.drop();
    }
  }, START_MS + 90_000);

  it('names a service that dies, stops the others and exits 1', async () => {
    const namespace = testNamespace();
    const databases = await createServiceDatabases(SERVICES);
    const dev = devProcesses(namespace, databases);
    try {
      await dev.waitFor(/Ctrl-C to stop/, START_MS);
      const children = entryPointChildren(dev.process.pid!);
      expect([...children.keys()].sort()).toEqual(['gateway', ...SERVICES]);
      process.kill(children.get('orders')!, 'SIGKILL');
      expect(await dev.exited).toBe(1);
      expect(dev.output()).toMatch(/^meshspec: orders was killed by SIGKILL; its last lines:\n {2}\[orders\] /m);
      expect(dev.output()).toMatch(/^meshspec: stopping the stack$/m);
      expect([...children.values()].filter(isRunning)).toEqual([]);
    } finally {
      await dev.stop('SIGKILL');
      await deleteBusNamespace('redis', namespace, SERVICES);
      await databases.drop();
    }
  }, START_MS + 60_000);

  it('refuses --bus memory: events would not cross processes', async () => {
    const dev = meshspec('dev', '--processes', '--bus', 'memory');
    expect(await dev.exited).toBe(2);
    expect(dev.output()).toMatch(/--bus memory cannot be used with --processes: .*events would not cross between services/);
    expect(dev.output()).not.toMatch(/at .*\.ts:\d+/);
  });

  it('refuses --bus without --processes, and a URL of another broker', async () => {
    const alone = meshspec('dev', '--bus', 'redis');
    expect(await alone.exited).toBe(2);
    expect(alone.output()).toMatch(/--bus and --bus-url go with --processes/);

    const wrong = meshspec('dev', '--processes', '--bus', 'rabbitmq', '--bus-url', 'redis://127.0.0.1:6379');
    expect(await wrong.exited).toBe(2);
    expect(wrong.output()).toMatch(/--bus-url must start with amqp:\/\/ or amqps:\/\/ for --bus rabbitmq/);
  });
});
