// The shop with no tracer provider registered (nothing in OTEL_*): requests with and without a
// client's traceparent are answered as ever, the gateway still continues the trace context
// upstream, and no log line claims a span.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type RunningStack } from '../../support/runtime.js';
import { call, createUser, SHOP_AUTH_ENV, shopApi, type ShopApi } from '../../support/shop-flow.js';
import { activeTracer } from '../../../runtime/observability/tracing/index.js';

const SERVICES = ['inventory', 'orders', 'payments', 'users'] as const;
const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';

let running: RunningStack;
let api: ShopApi;
const lines: string[] = [];

beforeAll(async () => {
  const { stack } = await import('../../../generated/stack.js');
  Object.assign(process.env, SHOP_AUTH_ENV);
  const ports = Object.fromEntries(SERVICES.map((s) => [s, { http: 0, grpc: 0 }]));
  const output = { write: (text: string) => lines.push(...text.split('\n').filter((l) => l !== '')) };
  running = await startStack(stack, { ports, gatewayPort: 0, logLevel: 'info', output, data: 'memory', env: {}, colocated: false });
  api = await shopApi(`${running.gatewayUrl}/api/v1`);
}, 120_000);

afterAll(async () => {
  await running?.close();
});

describe('traces off', () => {
  it('serves the order flow with a client traceparent, no span on any line', async () => {
    expect(activeTracer()).toBeUndefined();
    const user = await createUser(api, 'Grace');
    const headers = { traceparent: `00-${TRACE_ID}-00f067aa0ba902b7-01` };
    const order = await call(api, '/orders', { body: { userId: user.id, items: [{ productId: 'sku-mouse', quantity: 1 }] }, headers });
    expect(order.status).toBe(201);
    // The gateway's own line still names the trace it continued (trace-context.ts), as traceId.
    expect(lines.some((l) => l.startsWith('[gateway]') && l.includes(`traceId=${TRACE_ID}`))).toBe(true);
    expect(lines.filter((l) => l.includes('trace_id='))).toEqual([]);
    // inventory's gRPC call has its access line all the same.
    expect(lines.some((l) => l.startsWith('[inventory]') && l.includes('grpcStatus=OK'))).toBe(true);
  });
});
