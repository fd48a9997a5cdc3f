// An independent gRPC client against the example's generated orders service: `buf curl` knows the
// service only through server reflection (no .proto files), calls it, and reads the errors' standard
// details; the health service's Check and Watch through the same client.
import { execFile, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { events } from '../../../generated/events.js';
import { ordersDefinition } from '../../../generated/orders/definition.js';
import { schemas } from '../../../generated/schemas.js';
import { MeshError, startService, type RunningService } from '../../support/runtime.js';
import { decodeAny } from '../../support/google-rpc.js';
import { fixtureModel } from '../../unit/proto/model-fixture.js';
import { captureLogger, testSettings } from '../runtime/fixtures.js';
import { startHarness } from './harness.js';

const run = promisify(execFile);
const buf = resolve('node_modules/.bin/buf');

const order = {
  id: '4b1f7a52-9c1e-4a8e-9d0a-1f2e3d4c5b6a',
  userId: '0d9c8b7a-6f5e-4d3c-2b1a-0f9e8d7c6b5a',
  items: [{ productId: 'p-1', quantity: 2, unitPrice: 9.99 }],
  totalAmount: 19.98,
  status: 'pending',
  createdAt: '2024-05-01T12:00:00.000Z',
};

let service: RunningService;
const inputs: unknown[] = [];

beforeAll(async () => {
  const handlers = {
    async listOrders(input: unknown) {
      inputs.push(input);
      return [order];
    },
    async createOrder(input: unknown) {
      inputs.push(input);
      throw new MeshError('OutOfStock', 'only 1 left of p-1', 409, { productId: 'p-1', available: 1 });
    },
  };
  // The service subscribes to events: hooks that do nothing (no event is published here).
  const subscriptions = Object.fromEntries(ordersDefinition.subscriptions.map((s) => [s.handler, async () => undefined]));
  // Without its database the service runs no sagas: the endpoints that start one or answer its status go.
  const definition = { ...ordersDefinition, endpoints: ordersDefinition.endpoints.filter((e) => !('startsSaga' in e) && !('sagaStatus' in e)) };
  service = await startService(
    { definition, handlers, subscriptions, schemas, events, callees: {}, createClients: () => ({}) },
    testSettings(captureLogger('orders').logger, { grpcPort: 0 }),
  );
});

afterAll(async () => {
  await service?.close();
});

beforeEach(() => {
  inputs.length = 0;
});

const url = (method: string, port = service.grpcPort) => `http://127.0.0.1:${port}/${method}`;
const flags = ['curl', '--protocol', 'grpc', '--http2-prior-knowledge', '--reflect'];

/** Runs `buf curl`; resolves with its exit code (buf exits with the gRPC code times 8) and output. */
async function bufCurl(method: string, data: object, port?: number): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(buf, [...flags, '--data', JSON.stringify(data), url(method, port)], { timeout: 30_000 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

interface PrintedError {
  code: string;
  message: string;
  details: { type: string; value: string }[];
}

/** The details buf printed, each decoded with the official google.rpc definitions. */
function decodedDetails(printed: PrintedError): Record<string, unknown>[] {
  return printed.details.map((d) => decodeAny(d.type, Buffer.from(d.value, 'base64')));
}

describe('buf curl, through server reflection only', () => {
  it('lists the service and the health service', async () => {
    const { stdout } = await run(buf, ['curl', '--protocol', 'grpc', '--http2-prior-knowledge', '--list-services', `http://127.0.0.1:${service.grpcPort}`]);
    expect(stdout.trim().split('\n').sort()).toEqual(['grpc.health.v1.Health', 'shop.orders.v1.OrdersService']);
  });

  it('calls an rpc with enum names as protojson writes them', async () => {
    const result = await bufCurl('shop.orders.v1.OrdersService/ListOrders', { list_orders_query: { status: 'ORDER_STATUS_PENDING' } });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({
      items: [
        {
          id: order.id,
          userId: order.userId,
          items: [{ productId: 'p-1', quantity: '2', unitPrice: 9.99 }],
          totalAmount: 19.98,
          status: 'ORDER_STATUS_PENDING',
          createdAt: order.createdAt,
        },
      ],
    });
    expect(inputs).toEqual([{ status: 'pending' }]);
  });

  it('gets INVALID_ARGUMENT with ErrorInfo and BadRequest for an enum number without a value', async () => {
    const result = await bufCurl('shop.orders.v1.OrdersService/ListOrders', { list_orders_query: { status: 99 } });
    expect(result.code).toBe(3 * 8);
    const printed = JSON.parse(result.stderr) as PrintedError;
    expect(printed.code).toBe('invalid_argument');
    expect(printed.message).toMatch(/^invalid input: ListOrdersRequest\.list_orders_query\.status: 99 is not a value of OrderStatus/);
    expect(printed.details.map((d) => d.type)).toEqual(['google.rpc.ErrorInfo', 'google.rpc.BadRequest']);
    expect(decodedDetails(printed)).toEqual([
      { '@type': 'google.rpc.ErrorInfo', reason: 'ValidationFailed', domain: 'shop.orders.v1.OrdersService', metadata: { httpStatus: '400' } },
      {
        '@type': 'google.rpc.BadRequest',
        fieldViolations: [
          {
            field: 'list_orders_query.status',
            description: '99 is not a value of OrderStatus: expected one of ORDER_STATUS_PENDING, ORDER_STATUS_CONFIRMED, ORDER_STATUS_FAILED, ORDER_STATUS_CANCELLED',
          },
        ],
      },
    ]);
    expect(inputs).toEqual([]);
  });

  it('gets the gRPC code the spec declares for an error, with its ErrorInfo', async () => {
    const result = await bufCurl('shop.orders.v1.OrdersService/CreateOrder', { create_order: { user_id: order.userId, items: [{ product_id: 'p-1', quantity: 3 }] } });
    expect(result.code).toBe(9 * 8);
    const printed = JSON.parse(result.stderr) as PrintedError;
    expect([printed.code, printed.message]).toEqual(['failed_precondition', 'only 1 left of p-1']);
    expect(decodedDetails(printed)).toEqual([
      { '@type': 'google.rpc.ErrorInfo', reason: 'OutOfStock', domain: 'shop.orders.v1.OrdersService', metadata: { productId: 'p-1', available: '1', httpStatus: '409' } },
    ]);
    expect(inputs).toEqual([{ userId: order.userId, items: [{ productId: 'p-1', quantity: 3 }] }]);
  });

  it('checks health', async () => {
    const result = await bufCurl('grpc.health.v1.Health/Check', { service: 'shop.orders.v1.OrdersService' });
    expect([result.code, JSON.parse(result.stdout)]).toEqual([0, { status: 'SERVING' }]);
  });
});

describe('buf curl, through server reflection, on a service with maps, nested records and mesh-level types', () => {
  it('calls an rpc whose messages have every kind of field', async () => {
    const h = await startHarness(fixtureModel(), 'catalog');
    try {
      const item = {
        id: 'item-1',
        count: '7',
        price: -9.75,
        active: true,
        tags: ['a'],
        attrs: { color: 'red' },
        kind: 'ITEM_KIND_DIGITAL_DOWNLOAD',
        status: 'STATUS_RETIRED',
        owner: { partyId: 'p-1', vip: true },
        children: [{ id: 'child', kind: 'ITEM_KIND_PHYSICAL' }],
        scores: { a: '1' },
        kinds: ['ITEM_KIND_PHYSICAL'],
        parties: { x: { partyId: 'x' } },
        http: 'HTTP_STATUS_V2_GONE',
      };
      const result = await bufCurl('acme.catalog.v1.CatalogService/PutItem', { item }, h.port);
      expect([result.code, result.stderr]).toEqual([0, '']);
      expect(JSON.parse(result.stdout)).toEqual({ item });
      expect(h.invocations.map((i) => i.input)).toEqual([
        {
          ...fullItemOf(item),
          children: [{ id: 'child', count: 0, price: 0, active: false, tags: [], attrs: {}, kind: 'physical', children: [], scores: {}, kinds: [], parties: {} }],
        },
      ]);
    } finally {
      await h.close();
    }
  });
});

/** The hook-shaped value of the protojson item above. */
function fullItemOf(item: Record<string, unknown>): Record<string, unknown> {
  return {
    ...item,
    count: 7,
    kind: 'digitalDownload',
    status: 'retired',
    scores: { a: 1 },
    kinds: ['physical'],
    http: 'v2Gone',
  };
}

describe('buf curl watching health', () => {
  it('sees SERVING, then NOT_SERVING and the end of the stream when the service shuts down', async () => {
    const watcher = spawn(buf, [...flags, '--data', '{}', url('grpc.health.v1.Health/Watch')], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    watcher.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const exited = new Promise<number | null>((done) => watcher.on('exit', (code) => done(code)));
    try {
      await expect.poll(() => stdout, { timeout: 15_000 }).toContain('SERVING');
      await service.close();
      expect(await exited).toBe(0);
      expect(stdout.replace(/\s+/g, '')).toBe('{"status":"SERVING"}{"status":"NOT_SERVING"}');
    } finally {
      watcher.kill();
    }
  });
});
