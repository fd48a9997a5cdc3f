// The gRPC contract as a client that is not meshspec's reads it, on the example's orders service
// served by startService (HTTP and gRPC on the same hooks): requests encoded and error details
// decoded with definitions loaded independently of the runtime, and every answer compared with
// what HTTP answers for the same request.
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Metadata, status as Status, type ServiceError } from '@grpc/grpc-js';
import protobuf from 'protobufjs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { compileSpec } from '../../../generator/pipeline.js';
import {
  Conflict,
  createTransportFactory,
  MeshError,
  NotFound,
  startService,
  type ClientTransport,
  type EndpointDescriptor,
  type RunningService,
  type ServiceDefinition,
  type TransportFactory,
} from '../../support/runtime.js';
import { writeProtos } from '../proto/write-protos.js';
import { captureLogger, testSettings } from '../runtime/fixtures.js';
import { statusDetailsOf } from '../../support/google-rpc.js';
import { definitionOf, schemasOf } from './harness.js';
import { rawCall } from './raw-client.js';

const order = {
  id: '4b1f7a52-9c1e-4a8e-9d0a-1f2e3d4c5b6a',
  userId: '0d9c8b7a-6f5e-4d3c-2b1a-0f9e8d7c6b5a',
  items: [{ productId: 'p-1', quantity: 2, unitPrice: 9.99 }],
  totalAmount: 19.98,
  status: 'pending',
  createdAt: '2024-05-01T12:00:00.000Z',
};

let out: string;
let definition: ServiceDefinition;
let service: RunningService;
let factory: TransportFactory;
let protos: protobuf.Root;
/** Hook calls, by endpoint. */
const calls: { endpoint: string; input: unknown }[] = [];

beforeAll(async () => {
  const { model } = await compileSpec('spec');
  if (!model) throw new Error('the example spec does not compile');
  out = await writeProtos(model);
  definition = definitionOf(model, 'orders', join(out, 'proto'));
  const schemas = schemasOf(model);
  const record = (endpoint: string, input: unknown) => void calls.push({ endpoint, input });
  const handlers = {
    async listOrders(input: unknown) {
      record('listOrders', input);
      return [order];
    },
    async getOrder(input: { id: string }) {
      record('getOrder', input);
      throw new NotFound(`no order ${input.id}`);
    },
    async createOrder(input: unknown) {
      record('createOrder', input);
      throw new MeshError('OutOfStock', 'only 1 left of p-1', 409, { productId: 'p-1', requested: 3, available: 1, items: ['p-1'] });
    },
    async cancelOrder(input: unknown) {
      record('cancelOrder', input);
      throw new Conflict('the order is already cancelled');
    },
  };
  service = await startService(
    { definition, handlers, schemas, events: {}, callees: {}, createClients: () => ({}) },
    testSettings(captureLogger('orders').logger, { grpcPort: 0 }),
  );
  factory = createTransportFactory({
    callees: { orders: definition },
    schemas,
    logger: captureLogger('caller').logger,
    discovery: { http: { orders: `http://127.0.0.1:${service.httpPort}` }, grpc: { orders: `127.0.0.1:${service.grpcPort}` } },
  });
  // The protos as any other gRPC implementation reads them: from the files, with its own names.
  protos = new protobuf.Root();
  protos.resolvePath = (_origin, target) => join(out, 'proto', target);
  protos.loadSync('shop/orders/v1/orders.proto');
});

afterAll(async () => {
  await factory?.close();
  await service?.close();
  await rm(out, { recursive: true, force: true });
});

beforeEach(() => {
  calls.length = 0;
});

const endpoint = (name: string) => definition.endpoints.find((e) => e.name === name) as EndpointDescriptor;

/** A request encoded from the .proto alone (protobufjs's camelCase JSON names). */
function request(method: string, value: Record<string, unknown>): Buffer {
  const type = protos.lookupType(`shop.orders.v1.${method}Request`);
  return Buffer.from(type.encode(type.fromObject(value)).finish());
}

async function grpcFailure(method: string, value: Record<string, unknown>): Promise<ServiceError> {
  const { error } = await rawCall(`127.0.0.1:${service.grpcPort}`, `/shop.orders.v1.OrdersService/${method}`, request(method, value), new Metadata());
  if (!error) throw new Error(`${method} succeeded`);
  return error;
}

function trailer(error: ServiceError, key: string): unknown {
  const [value] = error.metadata.get(key);
  return typeof value === 'string' && key === 'x-mesh-error-details' ? JSON.parse(value) : value;
}

async function httpError(path: string, init?: RequestInit): Promise<{ status: number; error: { code: string; details?: unknown } }> {
  const res = await fetch(`http://127.0.0.1:${service.httpPort}${path}`, init);
  return { status: res.status, error: ((await res.json()) as { error: { code: string; details?: unknown } }).error };
}

async function rejection(call: Promise<unknown>): Promise<unknown> {
  return call.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: unknown) => e,
  );
}

const detailPaths = (details: unknown) => (details as { path: string }[]).map((d) => d.path);

describe('request enums over gRPC', () => {
  it('answers ListOrders(status=99) and status=0 (UNSPECIFIED) with INVALID_ARGUMENT naming the field, as HTTP answers 400', async () => {
    const http = await httpError('/orders?status=bogus');
    expect([http.status, http.error.code, detailPaths(http.error.details)]).toEqual([400, 'ValidationFailed', ['/status']]);
    for (const [status, shown] of [[99, '99'], [0, 'ORDER_STATUS_UNSPECIFIED (0)']] as const) {
      const error = await grpcFailure('ListOrders', { listOrdersQuery: { status } });
      expect(error.code).toBe(Status.INVALID_ARGUMENT);
      expect(error.details).toBe(
        `invalid input: ListOrdersRequest.list_orders_query.status: ${shown} is not a value of OrderStatus: expected one of ORDER_STATUS_PENDING, ORDER_STATUS_CONFIRMED, ORDER_STATUS_FAILED, ORDER_STATUS_CANCELLED`,
      );
      expect(trailer(error, 'x-mesh-error-code')).toBe('ValidationFailed');
      expect(detailPaths(trailer(error, 'x-mesh-error-details'))).toEqual(['/status']);
    }
    expect(calls).toEqual([]);
  });

  it('reads an unset query message as the empty query, as proto3 does', async () => {
    const { error, response } = await rawCall(`127.0.0.1:${service.grpcPort}`, '/shop.orders.v1.OrdersService/ListOrders', request('ListOrders', {}));
    expect(error).toBeNull();
    const listed = protos.lookupType('shop.orders.v1.ListOrdersResponse').decode(response!) as unknown as { items: { id: string }[] };
    expect(listed.items.map((o) => o.id)).toEqual([order.id]);
    expect(calls).toEqual([{ endpoint: 'listOrders', input: {} }]);
  });

  it('rejects an invalid value in the typed gRPC client before sending, with the error the HTTP client gets', async () => {
    const input = { status: 'shipped' };
    const viaHttp = await rejection(factory.transportFor('orders', 'http').call(endpoint('listOrders'), input, {}));
    const viaGrpc = await rejection(factory.transportFor('orders', 'grpc').call(endpoint('listOrders'), input, {}));
    expect(viaGrpc).not.toBeInstanceOf(TypeError);
    expect(viaGrpc).toBeInstanceOf(MeshError);
    expect(viaHttp).toBeInstanceOf(MeshError);
    const shape = (e: MeshError) => ({ code: e.code, status: e.status, paths: detailPaths(e.details) });
    expect(shape(viaGrpc as MeshError)).toEqual({ code: 'ValidationFailed', status: 400, paths: ['/status'] });
    expect(shape(viaGrpc as MeshError)).toEqual(shape(viaHttp as MeshError));
    expect((viaGrpc as MeshError).message).toBe(
      'invalid input: ListOrdersRequest.list_orders_query.status: "shipped" is not a value of OrderStatus: expected one of "pending", "confirmed", "failed", "cancelled"',
    );
    // Only HTTP reached the service (and its validation stopped the call before the hook).
    expect(calls).toEqual([]);
  });
});

describe('gRPC status codes of errors', () => {
  it('answers a declared error with the code its spec names, and others with the default for their status', async () => {
    const outOfStock = await grpcFailure('CreateOrder', { createOrder: { userId: order.userId, items: [{ productId: 'p-1', quantity: 3 }] } });
    expect([outOfStock.code, trailer(outOfStock, 'x-mesh-error-code'), trailer(outOfStock, 'x-mesh-error-status')]).toEqual([
      Status.FAILED_PRECONDITION,
      'OutOfStock',
      '409',
    ]);
    const conflict = await grpcFailure('CancelOrder', { id: order.id });
    expect([conflict.code, trailer(conflict, 'x-mesh-error-code')]).toEqual([Status.ABORTED, 'Conflict']);
    const notFound = await grpcFailure('GetOrder', { id: 'o-9' });
    expect([notFound.code, trailer(notFound, 'x-mesh-error-code')]).toEqual([Status.NOT_FOUND, 'NotFound']);
    // The typed client still rebuilds the exact error.
    const rebuilt = await rejection(factory.transportFor('orders', 'grpc').call(endpoint('createOrder'), { userId: order.userId, items: [{ productId: 'p-1', quantity: 3 }] }, {}));
    expect(rebuilt).toMatchObject({ code: 'OutOfStock', status: 409, details: { productId: 'p-1', requested: 3, available: 1, items: ['p-1'] } });
  });
});

describe('standard error details (grpc-status-details-bin)', () => {
  it('carry a google.rpc.ErrorInfo with the error code, the service and the details\' scalars', async () => {
    const error = await grpcFailure('CreateOrder', { createOrder: { userId: order.userId, items: [{ productId: 'p-1', quantity: 3 }] } });
    expect(statusDetailsOf(error.metadata)).toEqual({
      code: Status.FAILED_PRECONDITION,
      message: 'only 1 left of p-1',
      details: [
        {
          '@type': 'google.rpc.ErrorInfo',
          reason: 'OutOfStock',
          domain: 'shop.orders.v1.OrdersService',
          metadata: { productId: 'p-1', requested: '3', available: '1', httpStatus: '409' },
        },
      ],
    });
  });

  it('carry a google.rpc.BadRequest with a proto field path per problem the validation found', async () => {
    const error = await grpcFailure('CreateOrder', { createOrder: { userId: 'not-a-uuid', items: [{ productId: 'p-1', quantity: 1 }, { productId: '', quantity: 0 }] } });
    expect(error.code).toBe(Status.INVALID_ARGUMENT);
    const status = statusDetailsOf(error.metadata);
    expect(status.code).toBe(Status.INVALID_ARGUMENT);
    expect(status.details[0]).toMatchObject({ '@type': 'google.rpc.ErrorInfo', reason: 'ValidationFailed', domain: 'shop.orders.v1.OrdersService', metadata: { httpStatus: '400' } });
    expect(status.details[1]).toEqual({
      '@type': 'google.rpc.BadRequest',
      fieldViolations: [
        { field: 'create_order.user_id', description: 'must match format "uuid"' },
        { field: 'create_order.items[1].product_id', description: 'must NOT have fewer than 1 characters' },
        { field: 'create_order.items[1].quantity', description: 'must be >= 1' },
      ],
    });
    expect(calls).toEqual([]);
    // HTTP reports the same problems at the same places, as JSON pointers into the input.
    const http = await httpError('/orders', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ userId: 'not-a-uuid', items: [{ productId: 'p-1', quantity: 1 }, { productId: '', quantity: 0 }] }),
    });
    expect(detailPaths(http.error.details)).toEqual(['/userId', '/items/1/productId', '/items/1/quantity']);
  });

  it('name the fields of an unset record, and the enum the request decoder refused', async () => {
    // An unset CreateOrder reads as the empty one: an empty user id, no items.
    const empty = statusDetailsOf((await grpcFailure('CreateOrder', {})).metadata);
    expect(empty.details[1]).toEqual({
      '@type': 'google.rpc.BadRequest',
      fieldViolations: [
        { field: 'create_order.user_id', description: 'must match format "uuid"' },
        { field: 'create_order.items', description: 'must NOT have fewer than 1 items' },
      ],
    });
    const status = statusDetailsOf((await grpcFailure('ListOrders', { listOrdersQuery: { status: 42 } })).metadata);
    expect(status.details[1]).toEqual({
      '@type': 'google.rpc.BadRequest',
      fieldViolations: [
        {
          field: 'list_orders_query.status',
          description: '42 is not a value of OrderStatus: expected one of ORDER_STATUS_PENDING, ORDER_STATUS_CONFIRMED, ORDER_STATUS_FAILED, ORDER_STATUS_CANCELLED',
        },
      ],
    });
  });

  it('carry only ErrorInfo for bytes that are not the request message', async () => {
    const { error } = await rawCall(`127.0.0.1:${service.grpcPort}`, '/shop.orders.v1.OrdersService/GetOrder', Buffer.from([0x0a, 0xff, 0xff]));
    const status = statusDetailsOf(error?.metadata);
    expect(status.code).toBe(Status.INVALID_ARGUMENT);
    expect(status.details).toEqual([{ '@type': 'google.rpc.ErrorInfo', reason: 'BadRequest', domain: 'shop.orders.v1.OrdersService', metadata: { httpStatus: '400' } }]);
  });
});
