// The README tour's flows through the shop's gateway, shared by every test that runs the shop
// (`meshspec dev` in one process, every service in a process of its own over a durable bus): the
// same steps and the same expectations, whatever the shape of the stack. Every call but the public
// catalogue carries a bearer token signed with the secret the test gives the stack (JWT_SECRET).
import { expect } from 'vitest';
import { SECRET, signToken } from './jwt.js';
import { eventually, http } from './processes.js';

/** The shop's gateway as a client sees it: its API base (`http://127.0.0.1:8080/api/v1`) and the token it sends. */
export interface ShopApi {
  readonly base: string;
  readonly token: string;
}

/** What a test gives the shop's gateway: the secret its tokens are signed with (the spec's `keys: env:JWT_SECRET`). */
export const SHOP_AUTH_ENV: Readonly<Record<string, string>> = { JWT_SECRET: SECRET };

/**
 * The shop's API at `base`, with a token for `subject` as the shop's gateway wants it (HS256 with
 * SHOP_AUTH_ENV's secret, issuer `shop`, audience `shop-api`, valid an hour).
 *
 * @param base the gateway's API base
 * @param subject the user the token names; default `shop-test`
 * @example const api = await shopApi(`${origin}/api/v1`);
 */
export async function shopApi(base: string, subject = 'shop-test'): Promise<ShopApi> {
  return { base, token: await signToken(SECRET, 'HS256', { iss: 'shop', aud: 'shop-api', sub: subject }) };
}

/**
 * A call to the shop's API with its token, as `http` makes it.
 *
 * @param api the API and its token
 * @param path below the API base, e.g. `/orders`
 * @param init as for `http`
 * @example await call(api, '/orders', { body: { userId, items } });
 */
export function call(api: ShopApi, path: string, init: Parameters<typeof http>[1] = {}) {
  return http(`${api.base}${path}`, { ...init, headers: { authorization: `Bearer ${api.token}`, ...init.headers } });
}

/** How long an event's effect may take to show: generous, only a hang fails. */
const EVENT_EFFECT_MS = 30_000;

/**
 * Creates a user with a unique email through the gateway.
 *
 * @param api the gateway's API base, e.g. `http://127.0.0.1:8080/api/v1`
 * @param name the user's name
 */
export async function createUser(api: ShopApi, name: string) {
  const email = `${name.toLowerCase()}-${Date.now()}-${Math.random().toString(36).slice(2)}@example.com`;
  const res = await call(api, '/users', { body: { email, name } });
  expect(res.status).toBe(201);
  return res.body as { id: string; email: string; name: string };
}

/**
 * The tour: a user, an order (orders calls users and inventory, in process in one stack, over HTTP
 * and gRPC between processes; inventory reserves the stock), a payment, and the order confirmed by
 * the `payment.completed` event; paying twice is a conflict. Returns the order's id.
 *
 * @param api the gateway's API base
 */
export async function orderConfirmedByPayment(api: ShopApi): Promise<string> {
  const user = await createUser(api, 'Ada');
  expect(user).toMatchObject({ name: 'Ada', id: expect.stringMatching(/^[0-9a-f-]{36}$/) });

  const stockBefore = (await call(api, '/products/sku-keyboard')).body.available as number;
  const created = await call(api, '/orders', { body: { userId: user.id, items: [{ productId: 'sku-keyboard', quantity: 2 }] } });
  expect(created.status).toBe(201);
  expect(created.body).toMatchObject({ userId: user.id, status: 'pending', totalAmount: 99.8, items: [{ productId: 'sku-keyboard', quantity: 2, unitPrice: 49.9 }] });
  expect(created.headers.get('x-request-id')).toBeTruthy();
  // inventory reserved the stock over gRPC
  expect((await call(api, '/products/sku-keyboard')).body.available).toBe(stockBefore - 2);

  const paid = await call(api, '/payments', { body: { orderId: created.body.id, amount: 99.8, cardToken: 'tok_visa' } });
  expect(paid.status).toBe(201);
  expect(paid.body).toMatchObject({ orderId: created.body.id, status: 'completed', amount: 99.8 });

  // payment.completed -> orders confirms -> order.confirmed
  await eventually(async () => (await call(api, `/orders/${created.body.id}`)).body.status === 'confirmed', EVENT_EFFECT_MS);
  const again = await call(api, '/payments', { body: { orderId: created.body.id, amount: 99.8, cardToken: 'tok_visa' } });
  expect(again.status).toBe(409);
  expect(again.body.error.code).toBe('Conflict');
  return created.body.id as string;
}

/**
 * Deleting a user cancels their pending orders (`user.deleted`), and the cancellation releases the
 * reserved stock (`order.cancelled` -> inventory).
 *
 * @param api the gateway's API base
 */
export async function cancellationReleasesStock(api: ShopApi): Promise<void> {
  const user = await createUser(api, 'Linus');
  const order = await call(api, '/orders', { body: { userId: user.id, items: [{ productId: 'sku-mouse', quantity: 1 }] } });
  expect(order.status).toBe(201);
  const stock = (await call(api, '/products/sku-mouse')).body.available as number;

  expect((await call(api, `/users/${user.id}`, { method: 'DELETE' })).status).toBe(204);
  expect((await call(api, `/users/${user.id}`)).status).toBe(404);
  await eventually(async () => (await call(api, `/orders/${order.body.id}`)).body.status === 'cancelled', EVENT_EFFECT_MS);
  // order.cancelled -> inventory released the reservation
  await eventually(async () => (await call(api, '/products/sku-mouse')).body.available === stock + 1, EVENT_EFFECT_MS);
}
