// The servers of bench/service.ts, each run in its own forked child: the meshspec inventory service
// on either HTTP binding and three baselines answering the same two routes with the same JSON.
//   GET  /products/sku-keyboard -> 200 Product      (inventory.getProduct)
//   POST /reservations          -> 201 Reservation  (inventory.reserve; a fixed orderId, so after
//                                  the first call the hook returns the stored reservation: no growth)
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import Fastify from 'fastify';
import { inventoryHost } from './generated/inventory/host.js';
import { schemas } from './generated/schemas.js';
import { createMemoryBus } from 'meshspec/runtime/bus';
import { startService } from 'meshspec/runtime/host';
import { setupTracing } from 'meshspec/runtime/observability/tracing';
import { createLogger } from 'meshspec/runtime/logging';
import { listen, serveCpu, type HttpRequest } from './support.js';

export type ServerKind = 'raw' | 'fastify' | 'express' | 'ours' | 'ours-express';

export const PRODUCT_ID = 'sku-keyboard';
const ORDER_ID = '00000000-0000-4000-8000-000000000001';

export const GET_PRODUCT: HttpRequest = { path: `/products/${PRODUCT_ID}`, method: 'GET', status: 200 };
export const RESERVE: HttpRequest = {
  path: '/reservations',
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ orderId: ORDER_ID, items: [{ productId: PRODUCT_ID, quantity: 1 }] }),
  status: 201,
};

// The baselines' data: the same catalogue entry as bench/hooks/inventory.ts.
const products = new Map([[PRODUCT_ID, { id: PRODUCT_ID, name: 'Mechanical keyboard', price: 49.9, available: 10 }]]);

interface ReserveBody {
  orderId: string;
  items: { productId: string; quantity: number }[];
}

/** What the hook answers: the items priced, state held. */
function reservationFor(body: ReserveBody) {
  const items = body.items.map((i) => ({ productId: i.productId, quantity: i.quantity, unitPrice: products.get(i.productId)!.price }));
  return { orderId: body.orderId, items, state: 'held' };
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  const body = JSON.stringify(value);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

/** Baseline (a): node:http with hand-written routing and body reading. */
async function runRaw(): Promise<void> {
  serveCpu(
    await listen((req: IncomingMessage, res: ServerResponse) => {
      const url = req.url ?? '';
      if (req.method === 'GET' && url.startsWith('/products/')) {
        const product = products.get(decodeURIComponent(url.slice('/products/'.length)));
        if (product) sendJson(res, 200, product);
        else sendJson(res, 404, { error: { code: 'NotFound', message: 'no such product' } });
        return;
      }
      if (req.method === 'POST' && url === '/reservations') {
        const chunks: Buffer[] = [];
        req.on('data', (chunk: Buffer) => chunks.push(chunk));
        req.on('end', () => sendJson(res, 201, reservationFor(JSON.parse(Buffer.concat(chunks).toString('utf8')) as ReserveBody)));
        return;
      }
      sendJson(res, 404, { error: { code: 'NotFound', message: 'no route' } });
    }),
  );
}

/**
 * Baseline (b): Fastify 5 validating the path param and the body with the mesh's own JSON Schemas
 * (the registry added whole, so its `#/$defs/...` references resolve); no response schema, so it
 * serialises with JSON.stringify as the others do; no logger.
 */
async function runFastify(): Promise<void> {
  const app = Fastify();
  app.addSchema(schemas);
  const ref = (type: string) => ({ $ref: `${schemas.$id}#/$defs/${type}` });
  app.get('/products/:id', { schema: { params: ref('inventory.GetProductInput') } }, async (req, reply) => {
    const product = products.get((req.params as { id: string }).id);
    if (product) return product;
    return reply.code(404).send({ error: { code: 'NotFound', message: 'no such product' } });
  });
  app.post('/reservations', { schema: { body: ref('inventory.Reserve') } }, async (req, reply) => {
    return reply.code(201).send(reservationFor(req.body as ReserveBody));
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  serveCpu((app.server.address() as AddressInfo).port);
}

/** Baseline (c): a plain Express 5 app; etag and x-powered-by off, as the meshspec binding has them. */
async function runExpress(): Promise<void> {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.get('/products/:id', (req, res) => {
    const product = products.get(req.params.id);
    if (product) res.json(product);
    else res.status(404).json({ error: { code: 'NotFound', message: 'no such product' } });
  });
  app.post('/reservations', express.json(), (req, res) => {
    res.status(201).json(reservationFor(req.body as ReserveBody));
  });
  serveCpu(await listen(app));
}

/**
 * The generated inventory service on the memory bus, served by `binding` (the spec's `http.binding`),
 * logging to stdout (the parent points it at /dev/null) as in production. NODE_ENV comes from the
 * parent (production: no output check).
 */
async function runOurs(level: 'silent' | 'info', binding: 'node' | 'express'): Promise<void> {
  // BENCH_TRACING=on: spans exported over OTLP HTTP to the parent's stub collector (OTEL_EXPORTER_OTLP_ENDPOINT).
  if (process.env['BENCH_TRACING'] === 'on' && (await setupTracing('inventory')) === null) throw new Error('BENCH_TRACING=on needs OTEL_EXPORTER_OTLP_ENDPOINT');
  const logger = createLogger({ service: 'inventory', level });
  const host = inventoryHost();
  const service = await startService({ ...host, definition: { ...host.definition, binding } }, {
    bodyLimitBytes: 1024 * 1024,
    shutdownGraceMs: 1000,
    httpPort: 0,
    grpcPort: 0,
    host: '127.0.0.1',
    bus: createMemoryBus({ logger }),
    logger,
    // BENCH_METRICS=off: no metrics at all, to measure what they cost (the parent sets it per server).
    ...(process.env['BENCH_METRICS'] === 'off' ? { metrics: false as const } : {}),
  });
  serveCpu(service.httpPort, service.grpcPort ?? undefined);
}

export async function runServer(kind: ServerKind, level: 'silent' | 'info'): Promise<void> {
  if (kind === 'raw') await runRaw();
  else if (kind === 'fastify') await runFastify();
  else if (kind === 'express') await runExpress();
  else await runOurs(level, kind === 'ours-express' ? 'express' : 'node');
}
