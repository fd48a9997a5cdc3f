// Hooks of the orders service: the code you write. meshspec created this file once and will only
// ever add stubs to it; it never changes or deletes what is here.
import { randomUUID } from 'node:crypto';
import { isMeshError } from 'meshspec/runtime';
import type { OrderEvent } from '../generated/types.js';
import type { Order } from '../generated/orders/types.js';
import type { OrdersContext, OrdersHandlers, OrdersSubscriptions } from '../generated/orders/handlers.js';
import { Conflict, NotFound, OutOfStock, UserNotFound } from '../generated/orders/errors.js';

// In-memory storage: enough for the example (databases arrive with service storage).
const orders = new Map<string, Order>();

function toEvent(order: Order): OrderEvent {
  return { orderId: order.id, userId: order.userId, totalAmount: order.totalAmount, status: order.status };
}

function findOrder(id: string): Order {
  const order = orders.get(id);
  if (!order) throw new NotFound(`no order ${id}`);
  return order;
}

/** Moves a pending order to `status` and tells the mesh; other states are left alone (events may repeat). */
async function settle(order: Order, status: 'confirmed' | 'failed' | 'cancelled', ctx: OrdersContext): Promise<void> {
  if (order.status !== 'pending') return;
  order.status = status;
  // A failed order releases its stock like a cancelled one: inventory listens to order.cancelled.
  await ctx.publish(status === 'confirmed' ? 'order.confirmed' : 'order.cancelled', toEvent(order));
  ctx.logger.info({ orderId: order.id, status }, 'order settled');
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
    const order: Order = { id, userId: input.userId, items, totalAmount: totalCents / 100, status: 'pending', createdAt: new Date().toISOString() };
    orders.set(id, order);
    await ctx.publish('order.created', toEvent(order));
    return order;
  },

  async getOrder(input) {
    return findOrder(input.id);
  },

  async listOrders(input) {
    return [...orders.values()]
      .filter((o) => (input.userId === undefined || o.userId === input.userId) && (input.status === undefined || o.status === input.status))
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  },

  async cancelOrder(input, ctx) {
    const order = findOrder(input.id);
    if (order.status !== 'pending') throw new Conflict(`order ${order.id} is ${order.status} and can no longer be cancelled`);
    await settle(order, 'cancelled', ctx);
    return order;
  },
};

export const subscriptions: OrdersSubscriptions = {
  async cancelOrdersForUser(event, ctx) {
    for (const order of orders.values()) {
      if (order.userId === event.userId) await settle(order, 'cancelled', ctx);
    }
  },

  async confirmOrder(event, ctx) {
    const order = orders.get(event.orderId);
    if (!order) return void ctx.logger.warn({ orderId: event.orderId }, 'payment for an unknown order');
    await settle(order, 'confirmed', ctx);
  },

  async failOrder(event, ctx) {
    const order = orders.get(event.orderId);
    if (!order) return void ctx.logger.warn({ orderId: event.orderId }, 'failed payment for an unknown order');
    await settle(order, 'failed', ctx);
  },
};
