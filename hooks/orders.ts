// Hooks of the orders service: the code you write. meshspec created this file once and will only
// ever add stubs to it; it never changes or deletes what is here.
// Orders live in the service's database (hooks/migrations/orders/); every change and its event commit together.
import { randomUUID } from 'node:crypto';
import { isMeshError } from 'meshspec/runtime';
import { sql, type SqlQuery, type Transaction } from 'meshspec/runtime/storage';
import type { OrderEvent } from '../generated/types.js';
import type { Order } from '../generated/orders/types.js';
import type { OrdersContext, OrdersHandlers, OrdersSubscriptions } from '../generated/orders/handlers.js';
import { Conflict, NotFound, OutOfStock, UserNotFound } from '../generated/orders/errors.js';

type OrderRow = { id: string; user_id: string; items: Order['items']; total_cents: number; status: Order['status']; created_at: Date };
const ORDER_COLUMNS = sql`id, user_id, items, total_cents, status, created_at`;

function toOrder(row: OrderRow): Order {
  // jsonb keeps an object's keys in its own order: list them in the API's.
  const items = row.items.map(({ productId, quantity, unitPrice }) => ({ productId, quantity, unitPrice }));
  return { id: row.id, userId: row.user_id, items, totalAmount: row.total_cents / 100, status: row.status, createdAt: row.created_at.toISOString() };
}

function toEvent(order: Order): OrderEvent {
  return { orderId: order.id, userId: order.userId, totalAmount: order.totalAmount, status: order.status };
}

/**
 * Moves the orders `where` selects from `from` (default: pending) to `status` and tells the mesh, in the
 * caller's transaction. Orders in other states are left alone, so a repeated event changes and publishes nothing.
 */
async function settle(
  tx: Transaction,
  where: SqlQuery,
  status: 'confirmed' | 'failed' | 'cancelled',
  ctx: OrdersContext,
  from: SqlQuery = sql`status = 'pending'`,
): Promise<Order[]> {
  const { rows } = await tx.query<OrderRow>(sql`update orders set status = ${status} where ${where} and ${from} returning ${ORDER_COLUMNS}`);
  const orders = rows.map(toOrder);
  for (const order of orders) {
    // A failed order releases its stock like a cancelled one: inventory listens to order.cancelled.
    await ctx.publish(status === 'confirmed' ? 'order.confirmed' : 'order.cancelled', toEvent(order));
    ctx.logger.info({ orderId: order.id, status }, 'order settled');
  }
  return orders;
}

/**
 * Serialises saveOrder and cancelOrder of one id until the caller's transaction ends, so a cancel that
 * finds no order and a save in flight cannot both go through (two tables: no unique key to meet on).
 */
async function lockOrderId(tx: Transaction, id: string): Promise<void> {
  await tx.query(sql`select pg_advisory_xact_lock(hashtextextended(${`order:${id}`}, 0))`);
}

/** Settles one order for a payment event; an unknown order is only logged. */
async function settleForPayment(orderId: string, status: 'confirmed' | 'failed', ctx: OrdersContext): Promise<void> {
  await ctx.db.transaction(async (tx) => {
    if ((await settle(tx, sql`id = ${orderId}`, status, ctx)).length > 0) return;
    const known = await tx.query(sql`select 1 from orders where id = ${orderId}`);
    if (!known.rows[0]) ctx.logger.warn({ orderId }, `${status === 'confirmed' ? 'payment' : 'failed payment'} for an unknown order`);
  });
}

/**
 * Cancels order `id` when `cancellable` holds (publishing order.cancelled). Already cancelled: the
 * same answer. Unknown: 404, and a saveOrder of that id arriving later (a step abandoned on its
 * timeout, then delivered) is refused. Otherwise 409.
 */
async function cancelOrderOf(id: string, cancellable: SqlQuery, ctx: OrdersContext): Promise<Order> {
  const cancelled = await ctx.db.transaction(async (tx) => {
    await lockOrderId(tx, id);
    const [cancelled] = await settle(tx, sql`id = ${id}`, 'cancelled', ctx, cancellable);
    if (cancelled) return cancelled;
    const { rows } = await tx.query<OrderRow>(sql`select ${ORDER_COLUMNS} from orders where id = ${id}`);
    if (rows[0]) return toOrder(rows[0]);
    await tx.query(sql`insert into order_voids (id) values (${id}) on conflict do nothing`);
    return undefined;
  });
  // Outside the transaction, so the void commits with the 404 (the saga's "nothing to undo").
  if (!cancelled) throw new NotFound(`no order ${id}`);
  if (cancelled.status !== 'cancelled') throw new Conflict(`order ${id} is ${cancelled.status} and can no longer be cancelled`);
  return cancelled;
}

export const handlers: OrdersHandlers = {
  async createOrder(input, ctx) {
    try {
      await ctx.clients.users.getUser({ id: input.userId });
    } catch (error) {
      if (isMeshError(error, 'NotFound')) throw new UserNotFound(`no user ${input.userId}`);
      throw error;
    }
    const id = randomUUID();
    let reservation;
    try {
      // reserve is a POST (not idempotent): with a key the client may retry it, and inventory answers a
      // repeat with the first reservation instead of taking the stock twice.
      reservation = await ctx.clients.inventory.reserve({ orderId: id, items: input.items }, { idempotencyKey: `reserve:${id}` });
    } catch (error) {
      if (isMeshError(error, 'OutOfStock')) throw new OutOfStock(error.message);
      if (isMeshError(error, 'NotFound')) throw new NotFound(error.message);
      throw error;
    }
    const items = reservation.items.map((item) => ({ productId: item.productId, quantity: item.quantity, unitPrice: item.unitPrice }));
    const totalCents = items.reduce((sum, item) => sum + Math.round(item.unitPrice * 100) * item.quantity, 0);
    // The calls above stay outside this transaction, which holds a connection only for the write (a request
    // with an Idempotency-Key runs whole in the runtime's transaction, and this one is a savepoint of it).
    return ctx.db.transaction(async (tx) => {
      const { rows } = await tx.query<OrderRow>(sql`
        insert into orders (id, user_id, items, total_cents) values (${id}, ${input.userId}, ${JSON.stringify(items)}, ${totalCents})
        returning ${ORDER_COLUMNS}`);
      const order = toOrder(rows[0]!);
      await ctx.publish('order.created', toEvent(order));
      return order;
    });
  },

  async getOrder(input, ctx) {
    const { rows } = await ctx.db.query<OrderRow>(sql`select ${ORDER_COLUMNS} from orders where id = ${input.id}`);
    if (!rows[0]) throw new NotFound(`no order ${input.id}`);
    return toOrder(rows[0]);
  },

  async listOrders(input, ctx) {
    // Filters are sql fragments: spliced in with their values still parameters.
    const byUser = input.userId === undefined ? sql`true` : sql`user_id = ${input.userId}`;
    const byStatus = input.status === undefined ? sql`true` : sql`status = ${input.status}`;
    const { rows } = await ctx.db.query<OrderRow>(sql`select ${ORDER_COLUMNS} from orders where ${byUser} and ${byStatus} order by created_at, id`);
    return rows.map(toOrder);
  },

  async cancelOrder(input, ctx) {
    // A customer's cancel: only an order still waiting for its payment (a paid one needs a refund).
    return cancelOrderOf(input.id, sql`status = 'pending'`, ctx);
  },

  async cancelPlacedOrder(input, ctx) {
    // The placeOrder saga's compensation: the order it saved (confirmed) when a later step failed; the
    // saga itself refunds the payment and releases the stock. A pending order is a customer's: 409.
    return cancelOrderOf(input.orderId, sql`status = 'confirmed'`, ctx);
  },

  async saveOrder(input, ctx) {
    const items = input.items.map(({ productId, quantity, unitPrice }) => ({ productId, quantity, unitPrice }));
    const totalCents = items.reduce((sum, item) => sum + Math.round(item.unitPrice * 100) * item.quantity, 0);
    return ctx.db.transaction(async (tx) => {
      await lockOrderId(tx, input.id);
      const voided = await tx.query(sql`select 1 from order_voids where id = ${input.id}`);
      if (voided.rows[0]) throw new Conflict(`order ${input.id} was cancelled before it was saved`);
      // Paid for and its stock reserved by the saga: confirmed at once, with no event (the saga publishes
      // placeOrder.completed; order.confirmed would commit the stock before the saga's last step).
      const { rows } = await tx.query<OrderRow>(sql`
        insert into orders (id, user_id, items, total_cents, status)
        values (${input.id}, ${input.userId}, ${JSON.stringify(items)}, ${totalCents}, 'confirmed')
        on conflict (id) do nothing returning ${ORDER_COLUMNS}`);
      if (rows[0]) return toOrder(rows[0]);
      // A repeat: the order as it is now, if it is the same one.
      const existing = await tx.query<OrderRow>(sql`select ${ORDER_COLUMNS} from orders where id = ${input.id}`);
      const order = toOrder(existing.rows[0]!);
      if (order.userId !== input.userId || Math.round(order.totalAmount * 100) !== totalCents) {
        throw new Conflict(`order ${input.id} exists with another user or total`);
      }
      return order;
    });
  },
};

export const subscriptions: OrdersSubscriptions = {
  async cancelOrdersForUser(event, ctx) {
    await ctx.db.transaction((tx) => settle(tx, sql`user_id = ${event.userId}`, 'cancelled', ctx));
  },

  async confirmOrder(event, ctx) {
    await settleForPayment(event.orderId, 'confirmed', ctx);
  },

  async failOrder(event, ctx) {
    await settleForPayment(event.orderId, 'failed', ctx);
  },
};
