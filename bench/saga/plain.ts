// The saga benchmark's baseline: placeOrder's five steps called in sequence by a plain handler with
// no saga (no log, no lease, no compensation), over the same generated clients and co-located
// transports (resilience policies included), each call with the key, deadline, request id and caller
// the saga's steps send (`saga:<id>:<step>`, through the host's own stepCallOptions). It answers one
// HTTP route on a node:http server of this process, so both ways are one HTTP request per order.
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { createTransportFactory, type ColocatedRegistry } from 'meshspec/runtime/host';
import { stepCallOptions } from '../../runtime/host/sagas.js';
import type { ExampleShop } from './example.js';

/** The shop's PlaceOrder, as the benchmark sends it. */
interface PlaceOrder {
  readonly userId: string;
  readonly items: readonly { readonly productId: string; readonly quantity: number }[];
  readonly cardToken: string;
}
interface ReservedItem {
  readonly productId: string;
  readonly quantity: number;
  readonly unitPrice: number;
}

/** The default step timeout of the orchestrator: each call's deadline, as a saga step's. */
const STEP_TIMEOUT_MS = 10_000;
const SELF = Object.freeze({ subject: 'service:orders', service: 'orders' });

/**
 * A listening plain-sequence server: POST `/plain-placements` with a PlaceOrder body answers 201 and
 * the saved order, or 500 with the first step's error.
 *
 * @example
 * const plain = await startPlainSequence(shop.colocated, shop.running.urls);
 * await fetch(`http://127.0.0.1:${plain.port}/plain-placements`, { method: 'POST', body });
 * await plain.close();
 */
export interface PlainSequence {
  readonly port: number;
  close(): Promise<void>;
}

/**
 * Starts the plain sequence over the shop's co-located services.
 *
 * @param example - the example's generated modules (loadExample)
 * @param colocated - the registry the shop's services registered in
 * @param urls - the services' addresses (a service not in the registry would be called there)
 * @example
 * const plain = await startPlainSequence(example, shop.colocated, shop.running.urls);
 */
export async function startPlainSequence(example: ExampleShop, colocated: ColocatedRegistry, urls: Readonly<Record<string, { http: string; grpc: string | null }>>): Promise<PlainSequence> {
  const { ordersHost, ordersDefinition, schemas, createClient } = example;
  const factory = createTransportFactory({
    callees: { ...ordersHost().callees, orders: ordersDefinition },
    calls: ordersDefinition.calls,
    schemas,
    logger: pino({ level: 'warn' }),
    colocated,
    discovery: { http: Object.fromEntries(Object.entries(urls).map(([s, u]) => [s, u.http])), grpc: {} },
  });
  // The transports the generated sagas.ts asks for (host.ts): inventory over gRPC, the others HTTP.
  const users = createClient.users(factory.transportFor('users', 'http'));
  const inventory = createClient.inventory(factory.transportFor('inventory', 'grpc'));
  const payments = createClient.payments(factory.transportFor('payments', 'http'));
  const orders = createClient.orders(factory.transportFor('orders', 'http'));

  const place = async (input: PlaceOrder) => {
    const id = randomUUID();
    const call = (step: string) => stepCallOptions({ idempotencyKey: `saga:${id}:${step}`, deadline: Date.now() + STEP_TIMEOUT_MS, requestId: id }, SELF);
    await users['getUser']!({ id: input.userId }, call('validateUser'));
    const reservation = await inventory['reserve']!({ orderId: id, items: input.items.map((i) => ({ productId: i.productId, quantity: i.quantity })) }, call('reserveInventory'));
    await payments['charge']!({ orderId: id, amount: reservation['total'], cardToken: input.cardToken }, call('chargePayment'));
    const items = (reservation['items'] as ReservedItem[]).map((i) => ({ productId: i.productId, quantity: i.quantity, unitPrice: i.unitPrice }));
    const order = await orders['saveOrder']!({ id, userId: input.userId, items }, call('createOrder'));
    await inventory['commitReservation']!({ orderId: id }, call('confirmStock'));
    return order;
  };

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      place(JSON.parse(Buffer.concat(chunks).toString('utf8')) as PlaceOrder).then(
        (order) => res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify(order)),
        (err: unknown) => res.writeHead(500, { 'content-type': 'text/plain' }).end(err instanceof Error ? err.message : String(err)),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await factory.close();
    },
  };
}
