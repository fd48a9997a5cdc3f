// Hooks of the `inventory` service: the code behind its endpoints and events.
// This file is yours. meshspec created it once and never overwrites it: when the spec gains an
// endpoint or event handler, `meshspec generate` only adds a stub for it at the end of the object,
// and it warns (without deleting anything) about members the spec no longer declares.

import type { InventoryHandlers, InventorySubscriptions } from '../generated/inventory/handlers.js';
import { NotImplemented } from 'meshspec/runtime';

export const handlers: InventoryHandlers = {
  // GET /products/{id}: GetProductInput -> Product; errors: NotFound
  async getProduct(input, ctx) {
    throw new NotImplemented('inventory.getProduct');
  },

  // GET /products: ListProductsInput -> Product[]
  async listProducts(input, ctx) {
    throw new NotImplemented('inventory.listProducts');
  },

  // DELETE /reservations/{orderId}: ReleaseReservationInput -> no content; errors: NotFound
  async releaseReservation(input, ctx) {
    throw new NotImplemented('inventory.releaseReservation');
  },

  // POST /reservations: Reserve -> Reservation; errors: NotFound, OutOfStock
  async reserve(input, ctx) {
    throw new NotImplemented('inventory.reserve');
  },
};

export const subscriptions: InventorySubscriptions = {
  // on order.cancelled: OrderEvent
  async releaseForCancelledOrder(payload, ctx) {
    throw new NotImplemented('inventory.releaseForCancelledOrder');
  },

  // on order.confirmed: OrderEvent
  async commitReservation(payload, ctx) {
    throw new NotImplemented('inventory.commitReservation');
  },
};
