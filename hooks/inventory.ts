// Hooks of the inventory service: the code you write. meshspec created this file once and will only
// ever add stubs to it; it never changes or deletes what is here.
import type { Product, Reservation } from '../generated/inventory/types.js';
import type { InventoryHandlers, InventorySubscriptions } from '../generated/inventory/handlers.js';
import { NotFound, OutOfStock } from '../generated/inventory/errors.js';

// In-memory storage seeded with a small catalogue (databases arrive with service storage).
const products = new Map<string, Product>(
  [
    { id: 'sku-keyboard', name: 'Mechanical keyboard', price: 49.9, available: 10 },
    { id: 'sku-mouse', name: 'Wireless mouse', price: 19.5, available: 25 },
    { id: 'sku-monitor', name: '27" monitor', price: 189, available: 3 },
  ].map((p) => [p.id, p]),
);
const reservations = new Map<string, Reservation>();

function release(reservation: Reservation): void {
  if (reservation.state !== 'held') return;
  for (const item of reservation.items) products.get(item.productId)!.available += item.quantity;
  reservation.state = 'released';
}

export const handlers: InventoryHandlers = {
  async listProducts() {
    return [...products.values()].sort((a, b) => a.id.localeCompare(b.id));
  },

  async getProduct(input) {
    const product = products.get(input.id);
    if (!product) throw new NotFound(`no product ${input.id}`);
    return product;
  },

  async reserve(input) {
    // Reserving twice for the same order (a retried call) returns the first reservation.
    const existing = reservations.get(input.orderId);
    if (existing) return existing;
    const wanted = new Map<string, number>();
    for (const item of input.items) wanted.set(item.productId, (wanted.get(item.productId) ?? 0) + item.quantity);
    for (const [id, quantity] of wanted) {
      const product = products.get(id);
      if (!product) throw new NotFound(`no product ${id}`);
      if (product.available < quantity) throw new OutOfStock(`only ${product.available} of ${id} left, ${quantity} wanted`);
    }
    const items = [...wanted].map(([productId, quantity]) => {
      const product = products.get(productId)!;
      product.available -= quantity;
      return { productId, quantity, unitPrice: product.price };
    });
    const reservation: Reservation = { orderId: input.orderId, items, state: 'held' };
    reservations.set(input.orderId, reservation);
    return reservation;
  },

  async releaseReservation(input) {
    const reservation = reservations.get(input.orderId);
    if (!reservation) throw new NotFound(`no reservation for order ${input.orderId}`);
    release(reservation);
  },
};

export const subscriptions: InventorySubscriptions = {
  async commitReservation(event, ctx) {
    const reservation = reservations.get(event.orderId);
    if (reservation?.state === 'held') {
      reservation.state = 'committed';
      ctx.logger.info({ orderId: event.orderId }, 'reservation committed');
    }
  },

  async releaseForCancelledOrder(event) {
    const reservation = reservations.get(event.orderId);
    if (reservation) release(reservation);
  },
};
