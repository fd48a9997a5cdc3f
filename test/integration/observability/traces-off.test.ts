// The shop with no tracer provider registered (nothing in OTEL_*): requests with and without a
// client's traceparent are answered as ever, the gateway still continues the trace context
// upstream, and no log line claims a span.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SHOP_SERVICES, startTracedShop, type ShopUnderTest } from './shop-stack.js';
import { call, createUser } from '../../support/shop-flow.js';
import { activeTracer } from '../../../runtime/observability/tracing/index.js';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';

let shop: ShopUnderTest;

beforeAll(async () => {
  shop = await startTracedShop();
}, 120_000);

afterAll(async () => {
  await shop?.running.close();
});

describe('traces off', () => {
  it('serves the order flow with a client traceparent, no span on any line', async () => {
    expect(activeTracer()).toBeUndefined();
    const user = await createUser(shop.api, 'Grace');
    const headers = { traceparent: `00-${TRACE_ID}-00f067aa0ba902b7-01` };
    const order = await call(shop.api, '/orders', { body: { userId: user.id, items: [{ productId: 'sku-mouse', quantity: 1 }] }, headers });
    expect(order.status).toBe(201);
    // The gateway's own line still names the trace it continued (trace-context.ts), as traceId.
    expect(shop.lines.some((l) => l.startsWith('[gateway]') && l.includes(`traceId=${TRACE_ID}`))).toBe(true);
    expect(shop.lines.filter((l) => l.includes('trace_id='))).toEqual([]);
    // inventory's gRPC call has its access line all the same.
    expect(shop.lines.some((l) => l.startsWith('[inventory]') && l.includes('grpcStatus=OK'))).toBe(true);
  });
});
