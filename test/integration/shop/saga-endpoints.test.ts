// The shop's endpoints the placeOrder saga calls (issue #12), on the shop's own hooks and migrations:
// each is safe to repeat (with the same idempotency key or without one) and each compensation is safe
// to run when its step never took effect, also when the step arrives after it. The services are
// called directly (no gateway), in one process, on PGlite in memory and on fresh PostgreSQL databases.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServiceDatabases, type ServiceDatabases } from '../../support/service-databases.js';
import { eventually } from '../../support/processes.js';
import { startStack, type RunningStack } from '../../support/runtime.js';

const SERVICES = ['inventory', 'orders', 'payments', 'users'] as const;
type Service = (typeof SERVICES)[number];

describe.each(['pglite', 'postgres'] as const)('the saga endpoints of the shop on %s', (engine) => {
  let running: RunningStack;
  let databases: ServiceDatabases | undefined;

  beforeAll(async () => {
    const { stack } = await import('../../../generated/stack.js');
    databases = engine === 'postgres' ? await createServiceDatabases(SERVICES) : undefined;
    const ports = Object.fromEntries(SERVICES.map((s) => [s, { http: 0, grpc: 0 }]));
    running = await startStack(
      { ...stack, gateway: null },
      { ports, gatewayPort: 0, logLevel: 'silent', output: { write: () => true }, ...(databases ? { env: databases.env } : { data: 'memory', env: {} }) },
    );
  }, 120_000);

  afterAll(async () => {
    await running?.close();
    await databases?.drop();
  });

  /** One request to a service; `key` is sent as its Idempotency-Key. */
  async function send(service: Service, method: string, path: string, body?: unknown, key?: string) {
    const headers: Record<string, string> = { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...(key ? { 'idempotency-key': key } : {}) };
    const res = await fetch(`${running.urls[service]!.http}${path}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  }

  const available = async (productId: string) => (await send('inventory', 'GET', `/products/${productId}`)).body.available as number;
  const reserve = (orderId: string, quantity = 2) => send('inventory', 'POST', '/reservations', { orderId, items: [{ productId: 'sku-keyboard', quantity }] });

  describe('inventory', () => {
    it('a reservation carries its total; committing it sells the stock, once', async () => {
      const orderId = randomUUID();
      const before = await available('sku-keyboard');
      const reserved = await reserve(orderId);
      expect(reserved).toMatchObject({ status: 201, body: { state: 'held', total: 99.8, items: [{ productId: 'sku-keyboard', quantity: 2, unitPrice: 49.9 }] } });

      const committed = await send('inventory', 'POST', `/reservations/${orderId}/commit`, undefined, `commit:${orderId}`);
      expect(committed).toMatchObject({ status: 200, body: { orderId, state: 'committed', total: 99.8 } });
      expect(await send('inventory', 'POST', `/reservations/${orderId}/commit`, undefined, `commit:${orderId}`)).toEqual(committed);
      expect(await send('inventory', 'POST', `/reservations/${orderId}/commit`)).toEqual(committed);
      expect(await available('sku-keyboard')).toBe(before - 2);

      // Sold stock is never given back.
      const release = await send('inventory', 'DELETE', `/reservations/${orderId}`);
      expect([release.status, release.body.error.code]).toEqual([409, 'Conflict']);
      expect(await available('sku-keyboard')).toBe(before - 2);
    });

    it('a released reservation gives its stock back once and cannot be committed', async () => {
      const orderId = randomUUID();
      const before = await available('sku-keyboard');
      await reserve(orderId);
      expect((await send('inventory', 'DELETE', `/reservations/${orderId}`, undefined, `release:${orderId}`)).status).toBe(204);
      expect((await send('inventory', 'DELETE', `/reservations/${orderId}`, undefined, `release:${orderId}`)).status).toBe(204);
      expect((await send('inventory', 'DELETE', `/reservations/${orderId}`)).status).toBe(204);
      expect(await available('sku-keyboard')).toBe(before);
      const commit = await send('inventory', 'POST', `/reservations/${orderId}/commit`);
      expect([commit.status, commit.body.error.code]).toEqual([409, 'Conflict']);
    });

    it('nothing reserved: release and commit answer 404, and a reserve arriving after the release takes no stock', async () => {
      const orderId = randomUUID();
      expect((await send('inventory', 'POST', `/reservations/${orderId}/commit`)).status).toBe(404);
      const before = await available('sku-keyboard');
      const release = await send('inventory', 'DELETE', `/reservations/${orderId}`, undefined, `release:${orderId}`);
      expect([release.status, release.body.error.code]).toEqual([404, 'NotFound']);

      const late = await reserve(orderId);
      expect(late).toMatchObject({ status: 201, body: { orderId, state: 'released', items: [], total: 0 } });
      expect(await available('sku-keyboard')).toBe(before);
      expect((await send('inventory', 'POST', `/reservations/${orderId}/commit`)).status).toBe(409);
    });
  });

  describe('payments', () => {
    const charge = (orderId: string, amount: number, cardToken = 'tok_visa', key?: string) => send('payments', 'POST', '/charges', { orderId, amount, cardToken }, key);
    const refund = (orderId: string, key?: string) => send('payments', 'POST', '/charges/refunds', { orderId }, key);

    it('charges an order once: a repeat, with its key or without, answers the first payment', async () => {
      const orderId = randomUUID();
      const first = await charge(orderId, 99.8, 'tok_visa', `charge:${orderId}`);
      expect(first).toMatchObject({ status: 201, body: { orderId, amount: 99.8, status: 'completed' } });
      expect(await charge(orderId, 99.8, 'tok_visa', `charge:${orderId}`)).toEqual(first);
      expect(await charge(orderId, 99.8, 'tok_visa', 'another-key')).toEqual(first);
      const other = await charge(orderId, 10);
      expect([other.status, other.body.error.code]).toEqual([409, 'Conflict']);
      expect((await send('payments', 'GET', `/payments/${first.body.id}`)).body.status).toBe('completed');
    });

    it('refunds a completed charge once; a repeat answers the refunded payment', async () => {
      const orderId = randomUUID();
      const paid = await charge(orderId, 19.5);
      const refunded = await refund(orderId, `refund:${orderId}`);
      expect(refunded).toMatchObject({ status: 200, body: { id: paid.body.id, orderId, amount: 19.5, status: 'refunded' } });
      expect(await refund(orderId, `refund:${orderId}`)).toEqual(refunded);
      expect(await refund(orderId)).toEqual(refunded);
    });

    it('a declined card is 402 with nothing captured, again on a repeat, and its refund has nothing to undo', async () => {
      const orderId = randomUUID();
      const declined = await charge(orderId, 19.5, 'tok_declined', `charge:${orderId}`);
      expect([declined.status, declined.body.error.code]).toEqual([402, 'PaymentDeclined']);
      expect((await charge(orderId, 19.5, 'tok_declined', `charge:${orderId}`)).status).toBe(402);
      // The same order with another card: still the first charge's outcome, never a second charge.
      expect((await charge(orderId, 19.5, 'tok_visa')).status).toBe(402);
      expect(await refund(orderId)).toMatchObject({ status: 200, body: { orderId, status: 'declined' } });
    });

    it('no charge: refund answers 404, and a charge arriving after it captures nothing', async () => {
      const orderId = randomUUID();
      const missing = await refund(orderId, `refund:${orderId}`);
      expect([missing.status, missing.body.error.code]).toEqual([404, 'NotFound']);
      const late = await charge(orderId, 99.8);
      expect([late.status, late.body.error.code]).toEqual([409, 'Conflict']);
      expect((await refund(orderId)).status).toBe(404);
    });
  });

  describe('a compensation racing its step (a retry beside the call it gave up on)', () => {
    const ROUNDS = 15;

    it('release beside reserve: the stock is never left held', async () => {
      const before = await available('sku-mouse');
      await Promise.all(
        Array.from({ length: ROUNDS }, async () => {
          const orderId = randomUUID();
          const item = { productId: 'sku-mouse', quantity: 1 };
          await Promise.all([send('inventory', 'POST', '/reservations', { orderId, items: [item] }), send('inventory', 'DELETE', `/reservations/${orderId}`)]);
          const late = await send('inventory', 'POST', '/reservations', { orderId, items: [item] });
          expect(late.body.state).toBe('released');
        }),
      );
      expect(await available('sku-mouse')).toBe(before);
    });

    it('refund beside charge: nothing stays captured', async () => {
      await Promise.all(
        Array.from({ length: ROUNDS }, async () => {
          const orderId = randomUUID();
          const [charged, refunded] = await Promise.all([
            send('payments', 'POST', '/charges', { orderId, amount: 5, cardToken: 'tok_visa' }),
            send('payments', 'POST', '/charges/refunds', { orderId }),
          ]);
          if (charged.status === 201) expect((await send('payments', 'GET', `/payments/${charged.body.id}`)).body.status, JSON.stringify(refunded)).toBe('refunded');
          else expect(charged.status).toBe(409);
        }),
      );
    });

    it('cancel beside save: no confirmed order is left', async () => {
      await Promise.all(
        Array.from({ length: ROUNDS }, async () => {
          const id = randomUUID();
          await Promise.all([
            send('orders', 'PUT', `/placed-orders/${id}`, { userId: randomUUID(), items: [{ productId: 'sku-mouse', quantity: 1, unitPrice: 19.5 }] }),
            send('orders', 'POST', `/placed-orders/${id}/cancel`),
          ]);
          const order = await send('orders', 'GET', `/orders/${id}`);
          if (order.status === 200) expect(order.body.status).toBe('cancelled');
          else expect(order.status).toBe(404);
        }),
      );
    });
  });

  describe('orders', () => {
    const items = [{ productId: 'sku-keyboard', quantity: 2, unitPrice: 49.9 }, { productId: 'sku-mouse', quantity: 1, unitPrice: 19.5 }];
    const save = (id: string, userId: string, key?: string) => send('orders', 'PUT', `/placed-orders/${id}`, { userId, items }, key);

    it('saves a confirmed order under the given id once; a repeat answers the same order', async () => {
      const id = randomUUID();
      const userId = randomUUID();
      const saved = await save(id, userId, `save:${id}`);
      expect(saved).toMatchObject({ status: 200, body: { id, userId, status: 'confirmed', totalAmount: 119.3, items } });
      expect(await save(id, userId, `save:${id}`)).toEqual(saved);
      expect(await save(id, userId)).toEqual(saved);
      expect((await send('orders', 'GET', `/orders/${id}`)).body).toEqual(saved.body);
      const other = await save(id, randomUUID());
      expect([other.status, other.body.error.code]).toEqual([409, 'Conflict']);
    });

    it("the saga's cancel cancels a confirmed order (its held stock released through order.cancelled); again answers the same; a customer's cancel refuses a paid order", async () => {
      const id = randomUUID();
      const before = await available('sku-keyboard');
      await reserve(id);
      await save(id, randomUUID());
      const customer = await send('orders', 'POST', `/orders/${id}/cancel`);
      expect([customer.status, customer.body.error.code]).toEqual([409, 'Conflict']);
      const cancelled = await send('orders', 'POST', `/placed-orders/${id}/cancel`, undefined, `cancel:${id}`);
      expect(cancelled).toMatchObject({ status: 200, body: { id, status: 'cancelled' } });
      expect(await send('orders', 'POST', `/placed-orders/${id}/cancel`, undefined, `cancel:${id}`)).toEqual(cancelled);
      expect(await send('orders', 'POST', `/placed-orders/${id}/cancel`)).toEqual(cancelled);
      expect(await send('orders', 'POST', `/orders/${id}/cancel`)).toEqual(cancelled);
      await eventually(async () => (await available('sku-keyboard')) === before, 15_000);
    });

    it('an unknown order: cancel answers 404, and a save arriving after it is refused', async () => {
      const id = randomUUID();
      const missing = await send('orders', 'POST', `/placed-orders/${id}/cancel`, undefined, `cancel:${id}`);
      expect([missing.status, missing.body.error.code]).toEqual([404, 'NotFound']);
      const late = await save(id, randomUUID());
      expect([late.status, late.body.error.code]).toEqual([409, 'Conflict']);
      expect((await send('orders', 'GET', `/orders/${id}`)).status).toBe(404);
    });
  });
});
