// The normalized model of the example spec: defaults applied, references resolved, everything sorted.
import { beforeAll, describe, expect, it } from 'vitest';
import { compileSpec } from '../../../generator/pipeline.js';
import type { MeshModel } from '../../../generator/model/types.js';
import { parseDuration, parseSize } from '../../../common/units.js';
import { snakeCase, upperSnakeCase } from '../../../generator/naming/index.js';

let model: MeshModel;

beforeAll(async () => {
  const result = await compileSpec('spec');
  expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  model = result.model!;
});

const service = (name: string) => model.services.find((s) => s.name === name)!;
const endpoint = (svc: string, name: string) => service(svc).endpoints.find((e) => e.name === name)!;
const type = (name: string) => model.types.find((t) => t.name === name)!;

describe('model of the example spec', () => {
  it('converts units once', () => {
    expect(model.runtime).toEqual({
      bodyLimitBytes: 1024 * 1024,
      shutdownGraceMs: 10_000,
      // The shop sets only the kind: every other bus setting is the default.
      bus: { kind: 'redis', maxAttempts: 5, retryDelayMs: 100, maxRetryDelayMs: 5000, claimIdleMs: 30_000, maxLength: 100_000, maxAgeMs: null },
    });
    expect(model.gateway!.timeoutMs).toBe(10_000);
    expect(parseDuration('250ms')).toBe(250);
    expect(parseDuration('2m')).toBe(120_000);
    expect(parseSize('64kb')).toBe(65_536);
  });

  it('sorts services and events by name, types by key (mesh-level `Name`, then `<service>.Name`)', () => {
    expect(model.services.map((s) => s.name)).toEqual(['inventory', 'orders', 'payments', 'users']);
    const keys = model.types.map((t) => (t.owner === null ? t.name : `${t.owner}.${t.name}`));
    expect(keys).toEqual([...keys].sort());
    expect(keys.slice(0, 5)).toEqual(['OrderEvent', 'OrderStatus', 'PaymentEvent', 'UserCreated', 'UserDeleted']);
    expect(model.events.map((e) => e.name)).toEqual([...model.events.map((e) => e.name)].sort());
  });

  it('synthesizes the input of endpoints without one from their path params', () => {
    const getUser = endpoint('users', 'getUser');
    expect(getUser).toMatchObject({ input: 'GetUserInput', inputSynthesized: true, grpcMethod: 'GetUser' });
    expect(getUser.http).toEqual({ method: 'GET', path: '/users/{id}', pathParams: ['id'], successStatus: 200, inputSource: 'none' });
    expect(type('GetUserInput')).toMatchObject({ kind: 'record', owner: 'users', fields: [{ name: 'id', number: 1, optional: false, type: { kind: 'primitive', name: 'string' } }] });
  });

  it('derives success statuses and input sources', () => {
    expect(endpoint('users', 'createUser').http).toMatchObject({ successStatus: 201, inputSource: 'body' });
    expect(endpoint('users', 'deleteUser').http.successStatus).toBe(204);
    expect(endpoint('users', 'deleteUser').output).toBeNull();
    expect(endpoint('orders', 'cancelOrder').http.successStatus).toBe(200);
    expect(endpoint('orders', 'listOrders').http.inputSource).toBe('query');
    expect(endpoint('orders', 'listOrders').output).toEqual({ type: 'Order', list: true });
  });

  it('resolves declared errors to statuses', () => {
    expect(endpoint('orders', 'createOrder').errors.map((e) => [e.name, e.status, e.builtin])).toEqual([
      ['NotFound', 404, true],
      ['OutOfStock', 409, false],
      ['UserNotFound', 422, false],
    ]);
    expect(service('payments').errors.map((e) => e.name)).toEqual(['AmountMismatch', 'Conflict', 'NotFound', 'PaymentDeclined']);
  });

  it('gives each error the gRPC code it declares, or the default for its HTTP status', () => {
    const codes = (svc: string) => service(svc).errors.map((e) => [e.name, e.status, e.grpc]);
    expect(codes('orders')).toEqual([
      ['Conflict', 409, 'ABORTED'],
      ['NotFound', 404, 'NOT_FOUND'],
      ['OutOfStock', 409, 'FAILED_PRECONDITION'],
      ['PaymentDeclined', 402, 'FAILED_PRECONDITION'],
      ['UserNotFound', 422, 'FAILED_PRECONDITION'],
    ]);
    expect(codes('payments')).toEqual([
      ['AmountMismatch', 422, 'FAILED_PRECONDITION'],
      ['Conflict', 409, 'ABORTED'],
      ['NotFound', 404, 'NOT_FOUND'],
      ['PaymentDeclined', 402, 'FAILED_PRECONDITION'],
    ]);
    expect(codes('users').find(([name]) => name === 'EmailTaken')).toEqual(['EmailTaken', 409, 'ALREADY_EXISTS']);
  });

  it('names inline enums <Type><Field> and keeps their value order', () => {
    expect(type('PaymentStatus')).toMatchObject({ kind: 'enum', inline: true, owner: 'payments', values: ['completed', 'declined', 'refunded', 'voided'] });
    const payment = type('Payment');
    expect(payment.kind === 'record' && payment.fields.find((f) => f.name === 'status')!.type).toEqual({ kind: 'ref', name: 'PaymentStatus' });
  });

  it('sorts fields by number and keeps constraints', () => {
    const order = type('CreateOrder');
    expect(order.kind === 'record' && order.fields.map((f) => [f.name, f.number])).toEqual([['userId', 1], ['items', 2]]);
    expect(order.kind === 'record' && order.fields[1]!.constraints).toEqual({ minItems: 1 });
    expect(order.kind === 'record' && order.fields[1]!.type).toEqual({ kind: 'array', items: { kind: 'ref', name: 'CreateOrderItem' } });
  });

  it('knows who publishes and who subscribes to each event', () => {
    const confirmed = model.events.find((e) => e.name === 'order.confirmed')!;
    expect(confirmed.publishers).toEqual(['orders']);
    expect(confirmed.subscribers).toEqual([{ service: 'inventory', handler: 'commitForConfirmedOrder' }]);
    // The placeOrder saga's events are its service's too.
    expect(service('orders').publishes).toEqual(['order.cancelled', 'order.confirmed', 'order.created', 'placeOrder.completed', 'placeOrder.failed']);
    expect(model.events.find((e) => e.name === 'user.deleted')!.subscribers).toEqual([{ service: 'orders', handler: 'cancelOrdersForUser' }]);
  });

  it('sorts gateway routes longest prefix first and defaults rewrites', () => {
    expect(model.gateway!.routes.map((r) => r.prefix)).toEqual(['/api/v1/payments', '/api/v1/products', '/api/v1/orders', '/api/v1/users']);
    expect(model.gateway!.routes.find((r) => r.service === 'inventory')!.rewrite).toBe('/products');
  });

  it('applies deployment defaults', () => {
    expect(service('users').deploy).toEqual({
      image: 'registry.example.com/shop/users:1.0.0',
      replicas: 2,
      resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '200m', memory: '128Mi' } },
      shutdownDelayMs: 5000,
      env: [],
      secrets: [],
    });
    // Prometheus is let in from the `monitoring` namespace unless the spec says otherwise; no idempotency store is named.
    expect(model.deploy).toEqual({ namespace: 'shop', registry: 'registry.example.com/shop', monitoring: { namespace: 'monitoring', podSelector: {} } });
    expect(model.gateway?.metricsPort).toBe(9464);
  });

  it('records where each declaration came from', () => {
    expect(model.files).toEqual(['spec/mesh.yaml', 'spec/services/inventory.yaml', 'spec/services/orders.yaml', 'spec/services/payments.yaml', 'spec/services/users.yaml']);
    expect(endpoint('users', 'getUser').source).toEqual({ file: 'spec/services/users.yaml', line: 29, col: 3 });
  });

  it('converts names for protobuf', () => {
    expect(snakeCase('createdAt')).toBe('created_at');
    expect(snakeCase('line2Text')).toBe('line2_text');
    expect(upperSnakeCase('inStock')).toBe('IN_STOCK');
  });
});
