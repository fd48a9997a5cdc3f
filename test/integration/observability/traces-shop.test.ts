// Traces of the example shop, started in process with its gateway and colocation off (users over
// HTTP, inventory over gRPC, events on the bus): a client's checkout (an order, then its payment,
// both sent with the client's traceparent) is one trace whose spans have the right parents, and
// every service's log shop.lines for it carry its trace id.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SpanKind } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { SHOP_SERVICES, startTracedShop, type ShopUnderTest } from './shop-stack.js';
import { call, createUser } from '../../support/shop-flow.js';
import { eventually } from '../../support/processes.js';
import { parentOf, registerTestTracing, type TestTracing } from '../../support/tracing.js';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const CLIENT_SPAN = '00f067aa0ba902b7';
const TRACEPARENT = `00-${TRACE_ID}-${CLIENT_SPAN}-01`;

let tracing: TestTracing;
let shop: ShopUnderTest;

beforeAll(async () => {
  tracing = registerTestTracing();
  shop = await startTracedShop();
}, 120_000);

afterAll(async () => {
  await shop?.running.close();
  await tracing?.close();
});

/** The one span of `trace` named `name` of `kind`. */
function only(spans: ReadableSpan[], kind: SpanKind, name: string | RegExp, service?: string): ReadableSpan {
  const found = spans.filter((s) => s.kind === kind && (typeof name === 'string' ? s.name === name : name.test(s.name)));
  const named = service === undefined ? found : found.filter((s) => s.attributes['server.address'] === service);
  expect(named.map((s) => s.name), `one ${SpanKind[kind]} span ${String(name)}`).toHaveLength(1);
  return named[0]!;
}

describe('traces of the shop', () => {
  it('makes one trace of a checkout through the gateway, HTTP, gRPC and the bus, with the right parents', async () => {
    const user = await createUser(shop.api, 'Ada');
    tracing.exporter.reset();
    const headers = { traceparent: TRACEPARENT, tracestate: 'client=1' };
    const order = await call(shop.api, '/orders', { body: { userId: user.id, items: [{ productId: 'sku-keyboard', quantity: 1 }] }, headers });
    expect(order.status).toBe(201);
    const paid = await call(shop.api, '/payments', { body: { orderId: order.body.id, amount: 49.9, cardToken: 'tok_visa' }, headers });
    expect(paid.status).toBe(201);
    // payment.completed -> orders confirms -> order.confirmed -> inventory commits the stock.
    await eventually(async () => tracing.spans().some((s) => s.name === 'process order.confirmed' && s.attributes['messaging.consumer.group.name'] === 'inventory'), 20_000);

    const spans = tracing.spans().filter((s) => s.spanContext().traceId === TRACE_ID);
    if (process.env['SHOW_SPANS']) for (const s of spans) console.log(SpanKind[s.kind], s.name, s.spanContext().spanId, '<-', parentOf(s));
    expect(tracing.spans().length - spans.length, 'spans of another trace').toBe(0);

    // The order: gateway -> orders -> users over HTTP and inventory over gRPC, and order.created published.
    const gatewayOrder = only(spans, SpanKind.SERVER, 'POST /api/v1/orders');
    expect(parentOf(gatewayOrder)).toBe(CLIENT_SPAN);
    expect(gatewayOrder.attributes['http.response.status_code']).toBe(201);
    // The client's tracestate goes on with its trace, to the services too.
    expect(gatewayOrder.spanContext().traceState?.get('client')).toBe('1');
    const createOrder = only(spans, SpanKind.SERVER, 'POST /orders');
    expect(parentOf(createOrder)).toBe(gatewayOrder.spanContext().spanId);
    expect(createOrder.attributes).toMatchObject({ 'http.request.method': 'POST', 'http.route': '/orders', 'http.response.status_code': 201 });

    const getUser = only(spans, SpanKind.CLIENT, 'GET /users/{id}');
    expect(parentOf(getUser)).toBe(createOrder.spanContext().spanId);
    const usersServer = only(spans, SpanKind.SERVER, 'GET /users/{id}');
    expect(usersServer.spanContext().traceState?.get('client')).toBe('1');
    expect(parentOf(usersServer)).toBe(getUser.spanContext().spanId);

    const grpcClients = spans.filter((s) => s.kind === SpanKind.CLIENT && s.attributes['rpc.system'] === 'grpc');
    expect(grpcClients.length).toBeGreaterThanOrEqual(1);
    for (const client of grpcClients) {
      expect(parentOf(client)).toBe(createOrder.spanContext().spanId);
      const server = only(spans, SpanKind.SERVER, client.name);
      expect(parentOf(server)).toBe(client.spanContext().spanId);
      expect(server.attributes).toMatchObject({ 'rpc.system': 'grpc', 'rpc.grpc.status_code': 0 });
      expect(String(server.attributes['rpc.service'])).toMatch(/inventory/i);
    }
    const orderCreated = only(spans, SpanKind.PRODUCER, 'send order.created');
    expect(parentOf(orderCreated)).toBe(createOrder.spanContext().spanId);

    // The payment: gateway -> payments -> payment.completed -> orders -> order.confirmed -> inventory.
    const gatewayPayment = only(spans, SpanKind.SERVER, 'POST /api/v1/payments');
    expect(parentOf(gatewayPayment)).toBe(CLIENT_SPAN);
    const createPayment = only(spans, SpanKind.SERVER, 'POST /payments');
    expect(parentOf(createPayment)).toBe(gatewayPayment.spanContext().spanId);
    const paymentCompleted = only(spans, SpanKind.PRODUCER, 'send payment.completed');
    expect(parentOf(paymentCompleted)).toBe(createPayment.spanContext().spanId);
    const confirm = only(spans, SpanKind.CONSUMER, 'process payment.completed');
    expect(parentOf(confirm)).toBe(paymentCompleted.spanContext().spanId);
    expect(confirm.attributes).toMatchObject({ 'messaging.destination.name': 'payment.completed', 'messaging.operation.type': 'process', 'messaging.consumer.group.name': 'orders' });
    const orderConfirmed = only(spans, SpanKind.PRODUCER, 'send order.confirmed');
    expect(parentOf(orderConfirmed)).toBe(confirm.spanContext().spanId);
    const commit = only(spans, SpanKind.CONSUMER, 'process order.confirmed');
    expect(parentOf(commit)).toBe(orderConfirmed.spanContext().spanId);

    // Every service wrote a line of this trace, the gateway too (access shop.lines, hooks' own shop.lines).
    await eventually(async () => ['gateway', ...SHOP_SERVICES].every((service) => shop.lines.some((l) => l.startsWith(`[${service}]`) && l.includes(`trace_id=${TRACE_ID}`))), 5000);
    for (const service of ['gateway', ...SHOP_SERVICES]) {
      expect(shop.lines.some((l) => l.startsWith(`[${service}]`) && l.includes(`trace_id=${TRACE_ID}`)), `${service} logged the trace id`).toBe(true);
    }
    // inventory's gRPC calls have an access line like an HTTP request's.
    expect(shop.lines.some((l) => l.startsWith('[inventory]') && / INFO  request /.test(l) && l.includes('grpcStatus=OK') && l.includes(`trace_id=${TRACE_ID}`))).toBe(true);
  });

  it('starts a trace at the gateway when the client sends none', async () => {
    tracing.exporter.reset();
    const res = await call(shop.api, '/products/sku-keyboard');
    expect(res.status).toBe(200);
    await eventually(async () => tracing.spans().some((s) => s.name === 'GET /api/v1/products'), 5000);
    const gateway = only(tracing.spans(), SpanKind.SERVER, 'GET /api/v1/products');
    expect(parentOf(gateway)).toBe('');
    const served = tracing.spans().filter((s) => s.kind === SpanKind.SERVER && s.spanContext().traceId === gateway.spanContext().traceId && s !== gateway);
    expect(served.length).toBeGreaterThanOrEqual(1);
    expect(served.every((s) => parentOf(s) === gateway.spanContext().spanId || s.parentSpanContext !== undefined)).toBe(true);
  });
});
