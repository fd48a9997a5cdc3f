// Hooks of the payments service: the code you write. meshspec created this file once and will only
// ever add stubs to it; it never changes or deletes what is here.
import { randomUUID } from 'node:crypto';
import { isMeshError } from 'meshspec/runtime';
import type { Payment } from '../generated/payments/types.js';
import type { PaymentsHandlers } from '../generated/payments/handlers.js';
import { AmountMismatch, Conflict, NotFound, PaymentDeclined } from '../generated/payments/errors.js';

// In-memory storage: enough for the example (databases arrive with service storage).
const payments = new Map<string, Payment>();

// The example has no card processor: this test token is declined, every other `tok_...` is charged.
const DECLINED_TOKEN = 'tok_declined';

export const handlers: PaymentsHandlers = {
  async createPayment(input, ctx) {
    let order;
    try {
      order = await ctx.clients.orders.getOrder({ id: input.orderId });
    } catch (error) {
      if (isMeshError(error, 'NotFound')) throw new NotFound(`no order ${input.orderId}`);
      throw error;
    }
    if (order.status !== 'pending') throw new Conflict(`order ${order.id} is ${order.status}, not awaiting payment`);
    if ([...payments.values()].some((p) => p.orderId === order.id && p.status === 'completed')) {
      throw new Conflict(`order ${order.id} is already paid`);
    }
    if (Math.round(input.amount * 100) !== Math.round(order.totalAmount * 100)) {
      throw new AmountMismatch(`the order's total is ${order.totalAmount}, not ${input.amount}`);
    }

    const declined = input.cardToken === DECLINED_TOKEN;
    const payment: Payment = {
      id: randomUUID(),
      orderId: order.id,
      amount: input.amount,
      status: declined ? 'declined' : 'completed',
      createdAt: new Date().toISOString(),
    };
    payments.set(payment.id, payment);
    const event = { paymentId: payment.id, orderId: order.id, amount: payment.amount };
    if (declined) {
      await ctx.publish('payment.failed', { ...event, reason: 'card declined' });
      throw new PaymentDeclined('the card was declined');
    }
    await ctx.publish('payment.completed', event);
    return payment;
  },

  async getPayment(input) {
    const payment = payments.get(input.id);
    if (!payment) throw new NotFound(`no payment ${input.id}`);
    return payment;
  },
};
