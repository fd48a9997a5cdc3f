// The shop as the placeOrder crash test runs it (issue #12): users, inventory and payments each in a
// process of its own, and orders in its own process whose calls to them go through fault proxies
// (MESH_USERS_HTTP, MESH_INVENTORY_GRPC / _HTTP, MESH_PAYMENTS_HTTP), with short saga timing, on fresh
// PostgreSQL databases and a Redis namespace of its own. Orders can be killed with SIGKILL and started
// again on the same database and port; every orders process's output is kept (resumptions are counted
// from its logs).
import { databaseEnvName, discoveryEnvName } from '../../common/discovery.js';
import { freePortAssignment } from '../../generator/cli/processes/free-ports.js';
import { planProcesses, type PlannedProcess } from '../../generator/cli/processes/plan.js';
import { BROKER_URLS, deleteBusNamespace, testNamespace } from './brokers.js';
import { startFaultProxy, type FaultCounts, type FaultPolicy, type FaultProxy } from './fault-proxy.js';
import { eventually, http, start, type Child } from './processes.js';
import { createServiceDatabases, type ServiceDatabases } from './service-databases.js';
import { SHOP_SERVICES, shopMesh } from './shop-mesh.js';

/** Four processes with tsx on a shared 2-core machine: generous, only a hang fails. */
const START_MS = 120_000;

/** What the proxies in front of users, inventory and payments inject, per connection and per chunk orders sends. */
export interface PlaceOrderFaults {
  /** users (HTTP) and payments (HTTP). */
  readonly http: FaultPolicy;
  /** inventory (gRPC: one HTTP/2 connection carries every call). */
  readonly grpc: FaultPolicy;
}

/** The running shop. */
export interface PlaceOrderShop {
  /** orders' HTTP base URL (the test calls it directly: no gateway). */
  readonly ordersUrl: string;
  /** users' HTTP base URL (to create the test's users). */
  readonly usersUrl: string;
  /** MESH_<SERVICE>_DATABASE_URL of each service. */
  readonly databaseUrl: (service: (typeof SHOP_SERVICES)[number]) => string;
  /** Turns the faults on (the given policies) or off (undefined). */
  setFaults(faults: PlaceOrderFaults | undefined): void;
  /** What the proxies did so far, summed. */
  faultCounts(): FaultCounts;
  /** SIGKILLs orders and waits for it to be gone. */
  killOrders(): Promise<void>;
  /** Starts orders again (same database, ports, environment) and waits until it is ready. */
  startOrders(): Promise<void>;
  /** The output of every orders process so far, oldest first. */
  ordersOutputs(): string[];
  /** Stops everything, drops the databases and deletes the bus namespace. */
  stop(): Promise<void>;
}

/** Options of startPlaceOrderShop. */
export interface PlaceOrderShopOptions {
  /** Draws of the proxies, in [0, 1) (a seeded source makes the faults of a run reproducible). */
  readonly random: () => number;
  /** MESH_SAGA_LEASE_MS and MESH_SAGA_RESUME_MS of orders, ms. */
  readonly sagaTiming: { readonly leaseMs: number; readonly resumeMs: number };
  /** Called once the databases are migrated and before orders starts, e.g. to set the stock. */
  readonly beforeOrders?: (databaseUrl: (service: (typeof SHOP_SERVICES)[number]) => string) => Promise<void>;
}

/** Waits until `url` answers 200, or `child` exits (then throws with its output). */
async function ready(child: Child, name: string, url: string): Promise<void> {
  try {
    await eventually(async () => {
      if (child.process.exitCode !== null || child.process.signalCode !== null) throw new Error(`${name} exited before it was ready`);
      return (await http(url, { timeoutMs: 2000 }).then((r) => r.status, () => 0)) === 200;
    }, START_MS);
  } catch (err) {
    throw new Error(`${(err as Error).message}\n--- ${name}\n${child.output()}`, { cause: err });
  }
}

/**
 * Starts the shop for the placeOrder crash test: databases, Redis namespace, users, inventory and
 * payments, the fault proxies (passing everything until setFaults), then orders behind them.
 *
 * @param options the proxies' random source, orders' saga timing, and what to do before orders starts
 * @returns the running shop; call `stop()` whatever happens
 * @example
 * const shop = await startPlaceOrderShop({ random: seeded(1), sagaTiming: { leaseMs: 1500, resumeMs: 300 } });
 * shop.setFaults({ http: { chunk: { cut: 0.02 } }, grpc: { chunk: { cut: 0.02 } } });
 * await shop.killOrders(); await shop.startOrders();
 * await shop.stop();
 */
export async function startPlaceOrderShop(options: PlaceOrderShopOptions): Promise<PlaceOrderShop> {
  const namespace = testNamespace();
  const databases: ServiceDatabases = await createServiceDatabases(SHOP_SERVICES);
  const databaseUrl = (service: string) => databases.env[databaseEnvName(service)]!;
  const children: Child[] = [];
  const proxies: FaultProxy[] = [];
  const outputs: Child[] = [];
  let orders: Child | undefined;
  const stop = async () => {
    await Promise.all([...children, ...(orders ? [orders] : [])].map((c) => c.stop('SIGKILL')));
    await Promise.all(proxies.map((p) => p.close()));
    await deleteBusNamespace('redis', namespace, SHOP_SERVICES);
    await databases.drop();
  };

  try {
    const mesh = shopMesh();
    const plan = planProcesses(mesh, { ports: await freePortAssignment(mesh), bus: { kind: 'redis', url: BROKER_URLS.redis, namespace } });
    const planned = (name: string) => plan.services.find((p) => p.name === name) as PlannedProcess;
    for (const name of ['users', 'inventory', 'payments']) {
      const p = planned(name);
      children.push(start(['--import', 'tsx', p.entry], { ...p.env, ...databases.env, LOG_LEVEL: 'warn' }));
    }
    await Promise.all(['users', 'inventory', 'payments'].map((name, i) => ready(children[i]!, name, planned(name).readyUrl)));
    await options.beforeOrders?.(databaseUrl);

    // Each proxy draws from the one seeded source: a run's faults follow from its seed (and timing).
    const target = (address: string) => {
      const { hostname, port } = new URL(address.includes('://') ? address : `tcp://${address}`);
      return startFaultProxy(hostname, Number(port), { random: options.random });
    };
    const users = await target(plan.urls['users']!.http);
    const payments = await target(plan.urls['payments']!.http);
    const inventoryHttp = await target(plan.urls['inventory']!.http);
    const inventoryGrpc = await target(plan.urls['inventory']!.grpc!);
    proxies.push(users, payments, inventoryHttp, inventoryGrpc);

    const p = planned('orders');
    const proxied = `127.0.0.1:`;
    const env = {
      ...p.env,
      ...databases.env,
      [discoveryEnvName('users', 'HTTP')]: `http://${proxied}${users.port}`,
      [discoveryEnvName('payments', 'HTTP')]: `http://${proxied}${payments.port}`,
      [discoveryEnvName('inventory', 'HTTP')]: `http://${proxied}${inventoryHttp.port}`,
      [discoveryEnvName('inventory', 'GRPC')]: `${proxied}${inventoryGrpc.port}`,
      MESH_SAGA_LEASE_MS: String(options.sagaTiming.leaseMs),
      MESH_SAGA_RESUME_MS: String(options.sagaTiming.resumeMs),
      // info: "saga resumed" is logged at info.
      LOG_LEVEL: 'info',
    };
    const startOrders = async () => {
      orders = start(['--import', 'tsx', p.entry], env);
      outputs.push(orders);
      await ready(orders, 'orders', p.readyUrl);
    };
    await startOrders();

    return {
      ordersUrl: plan.urls['orders']!.http,
      usersUrl: plan.urls['users']!.http,
      databaseUrl,
      setFaults(faults) {
        for (const proxy of proxies) proxy.setPolicy((proxy === inventoryGrpc ? faults?.grpc : faults?.http) ?? {});
      },
      faultCounts() {
        const sum = { connections: 0, refused: 0, hung: 0, cut: 0 };
        for (const proxy of proxies) for (const [k, v] of Object.entries(proxy.counts())) sum[k as keyof FaultCounts] += v;
        return sum;
      },
      async killOrders() {
        await orders?.stop('SIGKILL');
      },
      startOrders,
      ordersOutputs: () => outputs.map((c) => c.output()),
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
