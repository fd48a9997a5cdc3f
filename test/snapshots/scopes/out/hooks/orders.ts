// Hooks of the `orders` service: the code behind its endpoints, events and call fallbacks.
// This file is yours. meshspec created it once and never overwrites it: when the spec gains an
// endpoint, event handler or fallback, `meshspec generate` only adds a stub for it at the end of the object,
// and it warns (without deleting anything) about members the spec no longer declares.

import type { OrdersHandlers, OrdersSubscriptions, OrdersFallbacks } from '../generated/orders/handlers.js';
import { NotImplemented } from 'meshspec/runtime';

export const handlers: OrdersHandlers = {
  // GET /orders/{id}: GetOrderInput -> Order; errors: NotFound
  async getOrder(_input, _ctx) {
    throw new NotImplemented('orders.getOrder');
  },
};

export const subscriptions: OrdersSubscriptions = {
  // on item.shipped: ItemShipped
  async markShipped(_payload, _ctx) {
    throw new NotImplemented('orders.markShipped');
  },
};

export const fallbacks: OrdersFallbacks = {
  // when stock.getItem fails: GetItemInput -> Item
  async lastKnownItem(_input, _failure) {
    throw new NotImplemented('orders.lastKnownItem');
  },
};
