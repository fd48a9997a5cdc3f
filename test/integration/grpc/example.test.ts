// The example spec's orders and inventory over gRPC: shared enum types imported from
// shop/types/v1, inline enums, nested lists and all-optional queries.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileSpec } from '../../../generator/pipeline.js';
import { NotFound, MeshError } from '../../../runtime/errors/index.js';
import { startHarness, type Harness } from './harness.js';

let orders: Harness;
let inventory: Harness;

beforeAll(async () => {
  const { model, diagnostics } = await compileSpec('spec');
  if (!model) throw new Error(`the example spec does not compile: ${JSON.stringify(diagnostics)}`);
  [orders, inventory] = await Promise.all([startHarness(model, 'orders'), startHarness(model, 'inventory')]);
});

afterAll(async () => {
  await Promise.all([orders?.close(), inventory?.close()]);
});

const order = {
  id: '4b1f7a52-9c1e-4a8e-9d0a-1f2e3d4c5b6a',
  userId: '0d9c8b7a-6f5e-4d3c-2b1a-0f9e8d7c6b5a',
  items: [
    { productId: 'p-1', quantity: 2, unitPrice: 9.99 },
    { productId: 'p-2', quantity: 1, unitPrice: 0 },
  ],
  totalAmount: 19.98,
  status: 'cancelled',
  createdAt: '2024-05-01T12:00:00.000Z',
};

describe('the example spec over gRPC', () => {
  it('orders: createOrder and listOrders carry the shared OrderStatus both ways', async () => {
    orders.respond = async (endpoint) => (endpoint.name === 'listOrders' ? [order, { ...order, status: 'pending', items: [] }] : order);
    const input = { userId: order.userId, items: [{ productId: 'p-1', quantity: 2 }] };
    expect(await orders.transport.call(orders.endpoint('createOrder'), input, { requestId: 'r-1' })).toStrictEqual(order);
    expect(orders.invocations.at(-1)!.input).toStrictEqual(input);

    const listed = await orders.transport.call(orders.endpoint('listOrders'), { status: 'confirmed' }, {});
    expect(listed).toStrictEqual([order, { ...order, status: 'pending', items: [] }]);
    expect(orders.invocations.at(-1)!.input).toStrictEqual({ status: 'confirmed' });
  });

  it('inventory: reserve carries nested lists and the inline ReservationState', async () => {
    const reservation = { orderId: order.id, items: [{ productId: 'p-1', quantity: 2, unitPrice: 9.99 }], state: 'committed', total: 19.98 };
    inventory.respond = async () => reservation;
    const input = { orderId: order.id, items: [{ productId: 'p-1', quantity: 2 }] };
    expect(await inventory.transport.call(inventory.endpoint('reserve'), input, {})).toStrictEqual(reservation);
    expect(inventory.invocations.at(-1)!.input).toStrictEqual(input);
  });

  it('inventory: a declared error and a list of products', async () => {
    inventory.respond = async () => {
      throw new NotFound('no product p-9', { id: 'p-9' });
    };
    const err = await inventory.transport.call(inventory.endpoint('getProduct'), { id: 'p-9' }, {}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MeshError);
    expect([(err as MeshError).code, (err as MeshError).status, (err as MeshError).details]).toEqual(['NotFound', 404, { id: 'p-9' }]);

    const products = [{ id: 'p-1', name: 'Mug', price: 4.5, available: 0 }];
    inventory.respond = async () => products;
    expect(await inventory.transport.call(inventory.endpoint('listProducts'), {}, {})).toStrictEqual(products);
    expect(inventory.invocations.at(-1)!.input).toStrictEqual({});
  });
});
