// A hand-written service with sagas, standing in for generated code: `orders` runs the saga
// `placeOrder` (reserve, then confirm, both endpoints of orders itself, called through the
// transportFor the host hands its `sagas`), started by two endpoints (answering at once, or waiting)
// and shown by a status endpoint. The input's `sku` steers the steps: `none` and `banned` make reserve
// fail (a code placeOrder declares, and one it does not), `slow` holds confirm until the test opens the gate,
// `stuck` makes confirm refuse (409) and every release of its reservation fail (503): a saga left stuck.
import { fileURLToPath } from 'node:url';
import type { Logger } from 'pino';
import { Conflict, Unavailable } from '../../../runtime/errors/index.js';
import { sql } from '../../../runtime/storage/index.js';
import type { SagaDefinition } from '../../../runtime/saga/index.js';
import { testEndpoint, type EndpointSketch } from '../../support/endpoint.js';
import { createMemoryBus, MeshError, type HandlerContext, type HostSettings, type SchemaRegistry, type ServiceDefinition, type ServiceHostOptions, type StorageContext } from '../../support/runtime.js';

const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations', import.meta.url));

const record = (properties: Record<string, object>, optional: string[] = []) => ({
  type: 'object',
  additionalProperties: false,
  required: Object.keys(properties).filter((k) => !optional.includes(k)),
  properties,
});

const schemas: SchemaRegistry = {
  $id: 'https://meshspec.test/schemas/saga-host',
  $defs: {
    PlaceOrder: record({ sku: { type: 'string', minLength: 1 }, quantity: { type: 'integer', minimum: 1 } }),
    PlaceOrderStatus: record({ sagaId: { type: 'string' }, state: { type: 'string' }, output: { type: 'object' }, failure: { type: 'object' } }, ['output', 'failure']),
    GetPlacement: record({ id: { type: 'string' } }),
    Reserve: record({ orderId: { type: 'string' }, sku: { type: 'string' }, quantity: { type: 'integer' } }),
    Reservation: record({ id: { type: 'string' } }),
    OrderRef: record({ orderId: { type: 'string' } }),
    PlaceOrderCompleted: { type: 'object', required: ['sagaId'] },
    PlaceOrderFailed: { type: 'object', required: ['sagaId', 'state', 'failure'] },
  },
};

const OUT_OF_STOCK = { status: 422, grpc: 'FAILED_PRECONDITION' } as const;
const EMBARGOED = { status: 403, grpc: 'PERMISSION_DENIED' } as const;
const STATUS_PATH = '/orders/placements/{id}';

const endpoint = (e: EndpointSketch) => testEndpoint(e, { output: { type: 'PlaceOrderStatus', list: false }, grpcRequest: null, grpcResponse: 'status' });

const placeOrder = endpoint({
  name: 'placeOrder', method: 'POST', path: '/orders/placements', input: 'PlaceOrder', inputSource: 'body', successStatus: 201,
  errors: { OutOfStock: OUT_OF_STOCK }, startsSaga: { saga: 'placeOrder', wait: null, statusPath: STATUS_PATH },
});
const placeOrderWaiting = endpoint({
  name: 'placeOrderWaiting', method: 'POST', path: '/orders/placements/waiting', input: 'PlaceOrder', inputSource: 'body', successStatus: 201,
  errors: { OutOfStock: OUT_OF_STOCK }, startsSaga: { saga: 'placeOrder', wait: 5_000, statusPath: STATUS_PATH },
});
const getPlacement = endpoint({ name: 'getPlacement', method: 'GET', path: STATUS_PATH, input: 'GetPlacement', sagaStatus: 'placeOrder' });
const reserve = endpoint({
  name: 'reserve', method: 'POST', path: '/reservations', input: 'Reserve', inputSource: 'body',
  output: { type: 'Reservation', list: false }, errors: { OutOfStock: OUT_OF_STOCK, Embargoed: EMBARGOED },
});
const release = endpoint({ name: 'release', method: 'POST', path: '/releases', input: 'OrderRef', inputSource: 'body', output: null, successStatus: 204 });
const confirm = endpoint({
  name: 'confirm', method: 'PUT', path: '/confirmations', input: 'OrderRef', inputSource: 'body', output: { type: 'Reservation', list: false },
  errors: { Conflict: { status: 409, grpc: 'ABORTED' } },
});

const definition: ServiceDefinition = {
  mesh: 'test',
  name: 'orders',
  version: '1.0.0',
  ports: { http: 0, grpc: null },
  endpoints: [placeOrder, placeOrderWaiting, getPlacement, reserve, release, confirm],
  subscriptions: [],
  publishes: ['placeOrder.completed', 'placeOrder.failed'],
  calls: [],
  proto: null,
};

const events = { 'placeOrder.completed': { payload: 'PlaceOrderCompleted', version: 1 }, 'placeOrder.failed': { payload: 'PlaceOrderFailed', version: 1 } };

/** What a test sees of the hooks: confirm's calls and the gate that holds a `slow` confirm. */
export interface OrdersProbe {
  /** The order ids confirm was called for, one per call (a repeated call shows twice). */
  readonly confirmCalls: string[];
  /** The order ids release was called for, one per call. */
  readonly releaseCalls: string[];
  /** Lets every held `slow` confirm go on. */
  open(): void;
}

type Ctx = HandlerContext & StorageContext;

function hooks(probe: OrdersProbe, gate: Promise<void>) {
  return {
    async reserve(input: { orderId: string; sku: string; quantity: number }, ctx: Ctx) {
      if (input.sku === 'none') throw new MeshError('OutOfStock', `not enough ${input.sku}`, 422);
      if (input.sku === 'banned') throw new MeshError('Embargoed', `${input.sku} may not be sold`, 403);
      await ctx.db.query(sql`insert into reservations (order_id, sku, quantity) values (${input.orderId}, ${input.sku}, ${input.quantity}) on conflict do nothing`);
      return { id: `r-${input.orderId}` };
    },
    async release(input: { orderId: string }, ctx: Ctx) {
      probe.releaseCalls.push(input.orderId);
      const { rows } = await ctx.db.query<{ sku: string }>(sql`select sku from reservations where order_id = ${input.orderId}`);
      if (rows[0]?.sku === 'stuck') throw new Unavailable(`the warehouse cannot release ${input.orderId} now`);
      await ctx.db.query(sql`delete from reservations where order_id = ${input.orderId}`);
    },
    async confirm(input: { orderId: string }, ctx: Ctx) {
      const { rows } = await ctx.db.query<{ sku: string }>(sql`select sku from reservations where order_id = ${input.orderId}`);
      probe.confirmCalls.push(`${input.orderId}`);
      if (rows[0]?.sku === 'stuck') throw new Conflict(`${input.orderId} cannot be confirmed`);
      if (rows[0]?.sku === 'slow') {
        // Held until the test opens the gate, or until the call's deadline (the step's timeout) aborts it.
        await new Promise<void>((resolve, reject) => {
          void gate.then(resolve);
          ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason), { once: true });
        });
      }
      return { id: `c-${input.orderId}` };
    },
  };
}

/** The saga as generated/orders/sagas.ts would make it, calling orders through the host's transportFor. */
function sagas(confirmTimeoutMs: number): NonNullable<ServiceHostOptions['sagas']> {
  return (transportFor, callOptions): SagaDefinition[] => {
    const orders = () => transportFor('orders', 'http');
    return [
      {
        name: 'placeOrder',
        steps: [
          {
            name: 'reserve',
            endpoint: 'orders.reserve',
            run: (saga, call) => {
              const input = saga.input as { sku: string; quantity: number };
              return orders().call(reserve, { orderId: saga.id, sku: input.sku, quantity: input.quantity }, callOptions(call));
            },
            compensation: { endpoint: 'orders.release', run: (saga, call) => orders().call(release, { orderId: saga.id }, callOptions(call)) },
          },
          { name: 'confirm', endpoint: 'orders.confirm', run: (saga, call) => orders().call(confirm, { orderId: saga.id }, callOptions(call)), timeoutMs: confirmTimeoutMs },
        ],
        output: (saga) => ({ reservation: (saga.outputs['reserve'] as { id: string }).id, confirmation: (saga.outputs['confirm'] as { id: string }).id }),
      },
    ];
  };
}

/**
 * The `orders` host with its saga, and the probe of its hooks.
 *
 * @param confirmTimeoutMs - the confirm step's timeout (default 5000)
 * @example
 * const { host, probe } = ordersWithSagas();
 */
export function ordersWithSagas(confirmTimeoutMs = 5_000): { host: ServiceHostOptions; probe: OrdersProbe } {
  let open!: () => void;
  const gate = new Promise<void>((resolve) => (open = resolve));
  const probe: OrdersProbe = { confirmCalls: [], releaseCalls: [], open: () => open() };
  const host: ServiceHostOptions = {
    definition,
    handlers: hooks(probe, gate),
    schemas,
    events,
    callees: {},
    createClients: () => ({}),
    storage: { migrationsDir: MIGRATIONS_DIR },
    sagas: sagas(confirmTimeoutMs),
  };
  return { host, probe };
}

/**
 * Host settings for a test: a free port on loopback, a memory bus, `database`, quick saga timing.
 *
 * @example
 * const settings = ordersSettings(logger, db);
 */
export function ordersSettings(logger: Logger, database: HostSettings['database'], overrides: Partial<HostSettings> = {}): HostSettings {
  return {
    bodyLimitBytes: 65_536,
    shutdownGraceMs: 2000,
    httpPort: 0,
    host: '127.0.0.1',
    bus: createMemoryBus({ logger }),
    logger,
    database,
    sagaTiming: { leaseMs: 1_500, resumeIntervalMs: 200 },
    ...overrides,
  };
}

/**
 * Calls the service over HTTP: status, headers and parsed body.
 *
 * @example
 * const { status, body, headers } = await call(port, 'POST', '/orders/placements', { sku: 'kb', quantity: 1 });
 */
export async function call(port: number, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; headers: Headers; body: any }> {
  const init: RequestInit = body === undefined ? { method, headers } : { method, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) };
  const res = await fetch(`http://127.0.0.1:${port}${path}`, init);
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : null };
}
