// The saga benchmark's baseline: placeOrder's five steps called in sequence by a plain hook with no
// saga (no log, no lease, no compensation), served by the orders service itself. The orders host of
// the stack gets one more endpoint, `placeOrderPlain` (`POST /orders/plain-placements`): placeOrder's
// descriptor (same input type, output type and errors) without `startsSaga`, so its request goes
// through the same service HTTP layer (body parsing, input validation, idempotency wrapper, deadline,
// access log) as `POST /orders/placements`, into a hook instead of the orchestrator. The hook calls
// the five steps through the very transports and call options the host hands the saga's steps (it
// wraps the host's `sagas` to keep its `transportFor` and `callOptions`): the same generated clients,
// co-located callees, resilience policies, and each call with the key, deadline, request id and
// caller a saga step sends (`saga:<id>:<step>`). It answers 201 with placeOrder's completed status.
import { randomUUID } from 'node:crypto';
import type { DevStack } from 'meshspec/runtime/dev';
import type { EndpointDescriptor, ServiceDefinition } from 'meshspec/runtime';
import type { ServiceHostOptions, TransportFor } from 'meshspec/runtime/host';
import type { StepCall } from 'meshspec/runtime/saga';
import type { CallOptions } from 'meshspec/runtime';
import type { ExampleShop, LooseClient } from './example.js';

/** The plain sequence's route on the orders service. */
export const PLAIN_PATH = '/orders/plain-placements';
const PLAIN_ENDPOINT = 'placeOrderPlain';

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

/**
 * The example's stack with the plain sequence mounted on orders as `POST /orders/plain-placements`
 * (beside its `POST /orders/placements`, which starts the saga). Without a gateway: the benchmark
 * calls orders directly.
 *
 * @param example - the example's generated modules (loadExample)
 * @example
 * const running = await startStack(withPlainSequence(await loadExample()), options);
 * await fetch(`${running.urls['orders']!.http}/orders/plain-placements`, { method: 'POST', body });
 */
export function withPlainSequence(example: ExampleShop): DevStack {
  const { stack, ordersHost, createClient } = example;
  const services = stack.services.map((host) => (host === ordersHost || host().definition.name === 'orders' ? () => plainOrdersHost(ordersHost(), createClient) : host));
  return { ...stack, services, gateway: null };
}

function plainOrdersHost(host: ServiceHostOptions, createClient: ExampleShop['createClient']): ServiceHostOptions {
  const placeOrder = host.definition.endpoints.find((e) => e.name === 'placeOrder' && e.startsSaga?.saga === 'placeOrder');
  if (!placeOrder || !host.sagas) throw new Error('bench:saga: orders has no placeOrder saga to copy for the plain sequence');
  const { startsSaga: _saga, ...rest } = placeOrder;
  const plain: EndpointDescriptor = { ...rest, name: PLAIN_ENDPOINT, path: PLAIN_PATH, grpc: { ...placeOrder.grpc, method: 'PlaceOrderPlain' } };
  const definition: ServiceDefinition = { ...host.definition, endpoints: [...host.definition.endpoints, plain] };

  // What the host hands the saga's steps, kept when it makes its sagas (before it listens).
  let steps: { transportFor: TransportFor; callOptions: (step: StepCall) => CallOptions } | undefined;
  const sagas = host.sagas;
  let clients: Record<'users' | 'inventory' | 'payments' | 'orders', (call: CallOptions) => LooseClient> | undefined;

  const place = async (input: PlaceOrder) => {
    if (!steps) throw new Error('bench:saga: the orders host made no sagas, so the plain sequence has no transports');
    const { transportFor, callOptions } = steps;
    // As the generated host.ts makes a step's clients: per call, inventory over gRPC, the others HTTP.
    const clients = {
      users: (call: CallOptions) => createClient.users(transportFor('users', 'http'), call),
      inventory: (call: CallOptions) => createClient.inventory(transportFor('inventory', 'grpc'), call),
      payments: (call: CallOptions) => createClient.payments(transportFor('payments', 'http'), call),
      orders: (call: CallOptions) => createClient.orders(transportFor('orders', 'http'), call),
    };
    const id = randomUUID();
    const call = (step: string) => callOptions({ idempotencyKey: `saga:${id}:${step}`, deadline: Date.now() + STEP_TIMEOUT_MS, requestId: id });
    let options = call('validateUser');
    await clients.users(options)['getUser']!({ id: input.userId }, options);
    options = call('reserveInventory');
    const reservation = await clients.inventory(options)['reserve']!({ orderId: id, items: input.items.map((i) => ({ productId: i.productId, quantity: i.quantity })) }, options);
    options = call('chargePayment');
    await clients.payments(options)['charge']!({ orderId: id, amount: reservation['total'], cardToken: input.cardToken }, options);
    const items = (reservation['items'] as ReservedItem[]).map((i) => ({ productId: i.productId, quantity: i.quantity, unitPrice: i.unitPrice }));
    options = call('createOrder');
    const order = await clients.orders(options)['saveOrder']!({ id, userId: input.userId, items }, options);
    options = call('confirmStock');
    await clients.inventory(options)['commitReservation']!({ orderId: id }, options);
    return { sagaId: id, state: 'completed', output: order };
  };

  return {
    ...host,
    definition,
    handlers: Object.assign(Object.create(host.handlers) as object, { [PLAIN_ENDPOINT]: (input: PlaceOrder) => place(input) }),
    sagas: (transportFor, callOptions) => {
      steps = { transportFor, callOptions };
      return sagas(transportFor, callOptions);
    },
  };
}
