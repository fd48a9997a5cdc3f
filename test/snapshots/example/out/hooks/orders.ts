// Hooks of the `orders` service: the code behind its endpoints and events.
// This file is yours. meshspec created it once and never overwrites it: when the spec gains an
// endpoint or event handler, `meshspec generate` only adds a stub for it at the end of the object,
// and it warns (without deleting anything) about members the spec no longer declares.

import type { OrdersHandlers, OrdersSubscriptions } from '../generated/orders/handlers.js';
import { NotImplemented } from 'meshspec/runtime';

export const handlers: OrdersHandlers = {
  // POST /orders/{id}/cancel: CancelOrderInput -> Order; errors: Conflict, NotFound
  async cancelOrder(input, ctx) {
    throw new NotImplemented('orders.cancelOrder');
  },

  // POST /orders: CreateOrder -> Order; errors: NotFound, OutOfStock, UserNotFound
  async createOrder(input, ctx) {
    throw new NotImplemented('orders.createOrder');
  },

  // GET /orders/{id}: GetOrderInput -> Order; errors: NotFound
  async getOrder(input, ctx) {
    throw new NotImplemented('orders.getOrder');
  },

  // GET /orders: ListOrdersQuery -> Order[]
  async listOrders(input, ctx) {
    throw new NotImplemented('orders.listOrders');
  },
};

export const subscriptions: OrdersSubscriptions = {
  // on payment.completed: PaymentEvent
  async confirmOrder(payload, ctx) {
    throw new NotImplemented('orders.confirmOrder');
  },

  // on payment.failed: PaymentEvent
  async failOrder(payload, ctx) {
    throw new NotImplemented('orders.failOrder');
  },

  // on user.deleted: UserDeleted
  async cancelOrdersForUser(payload, ctx) {
    throw new NotImplemented('orders.cancelOrdersForUser');
  },
};
