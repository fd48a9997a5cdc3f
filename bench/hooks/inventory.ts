// Hooks of the benchmarks' inventory service: the shop's getProduct, reserve and commitReservation
// (hooks/inventory.ts) over the same catalogue entry, so the benchmark measures the same work.
import type { InventoryHandlers, InventorySubscriptions } from '../generated/inventory/handlers.js';
import type { Product, Reservation } from '../generated/inventory/types.js';
import { NotFound, OutOfStock } from '../generated/inventory/errors.js';

const products = new Map<string, Product>([['sku-keyboard', { id: 'sku-keyboard', name: 'Mechanical keyboard', price: 49.9, available: 10 }]]);
const reservations = new Map<string, Reservation>();

export const handlers: InventoryHandlers = {
  async getProduct(input) {
    const product = products.get(input.id);
    if (!product) throw new NotFound(`no product ${input.id}`);
    return product;
  },

  async reserve(input) {
    // Reserving twice for the same order (a retried call) returns the first reservation: the
    // benchmark sends one order id, so nothing grows.
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
};

export const subscriptions: InventorySubscriptions = {
  async commitReservation(event, ctx) {
    const reservation = reservations.get(event.orderId);
    if (reservation?.state === 'held') {
      reservation.state = 'committed';
      ctx.logger.info({ orderId: event.orderId }, 'reservation committed');
    }
  },
};
