// Hooks of the `orders` service: the code behind its endpoints.
// This file is yours. meshspec created it once and never overwrites it: when the spec gains an
// endpoint or event handler, `meshspec generate` only adds a stub for it at the end of the object,
// and it warns (without deleting anything) about members the spec no longer declares.

import type { OrdersHandlers } from '../generated/orders/handlers.js';
import { NotImplemented } from 'meshspec/runtime';

export const handlers: OrdersHandlers = {
  // GET /orders/{id}: GetOrderInput -> Order
  async getOrder(_input, _ctx) {
    throw new NotImplemented('orders.getOrder');
  },

  // GET /orders/health: OrderHealthInput -> Order
  async orderHealth(_input, _ctx) {
    throw new NotImplemented('orders.orderHealth');
  },
};
