// Hooks of the benchmarks' orders service: confirming an order publishes order.confirmed.
import type { OrdersHandlers } from '../generated/orders/handlers.js';

export const handlers: OrdersHandlers = {
  async confirmOrder(input, ctx) {
    await ctx.publish('order.confirmed', { orderId: input.id, userId: input.id, totalAmount: 0, status: 'confirmed' });
  },
};
