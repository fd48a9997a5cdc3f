// Hooks of the payments service: the code you write. meshspec created this file once and will only
// ever add stubs to it; it never changes or deletes what is here.
// Payments live in the service's database (hooks/migrations/payments/); a payment and its event commit together.
import { randomUUID } from 'node:crypto';
import { isMeshError } from 'meshspec/runtime';
import { isDatabaseError, sql, SQLSTATE, type Queryable } from 'meshspec/runtime/storage';
import type { Payment } from '../generated/payments/types.js';
import type { PaymentsHandlers } from '../generated/payments/handlers.js';
import { AmountMismatch, Conflict, NotFound, PaymentDeclined } from '../generated/payments/errors.js';

type PaymentRow = { id: string; order_id: string; amount_cents: number; status: Payment['status']; created_at: Date };
const PAYMENT_COLUMNS = sql`id, order_id, amount_cents, status, created_at`;

function toPayment(row: PaymentRow): Payment {
  return { id: row.id, orderId: row.order_id, amount: row.amount_cents / 100, status: row.status, createdAt: row.created_at.toISOString() };
}

/** The order's payment: its saga charge first, else the newest; `undefined` if it has none. */
async function paymentOfOrder(db: Queryable, orderId: string): Promise<Payment | undefined> {
  const { rows } = await db.query<PaymentRow>(sql`
    select ${PAYMENT_COLUMNS} from payments where order_id = ${orderId}
    order by source = 'charge' desc, created_at desc, id limit 1`);
  return rows[0] && toPayment(rows[0]);
}

/** Refunds the order's completed payment, if it has one; returns the order's payment as it is then. */
async function refundCompleted(db: Queryable, orderId: string): Promise<Payment | undefined> {
  for (;;) {
    const { rows } = await db.query<PaymentRow>(sql`update payments set status = 'refunded' where order_id = ${orderId} and status = 'completed' returning ${PAYMENT_COLUMNS}`);
    if (rows[0]) return toPayment(rows[0]);
    const payment = await paymentOfOrder(db, orderId);
    // Completed now: a charge committed between the two statements; the update sees it this time.
    if (payment?.status !== 'completed') return payment;
  }
}

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
    const amountCents = Math.round(input.amount * 100);
    if (amountCents !== Math.round(order.totalAmount * 100)) {
      throw new AmountMismatch(`the order's total is ${order.totalAmount}, not ${input.amount}`);
    }

    const declined = input.cardToken === DECLINED_TOKEN;
    let payment: Payment;
    try {
      payment = await ctx.db.transaction(async (tx) => {
        const { rows } = await tx.query<PaymentRow>(sql`
          insert into payments (id, order_id, amount_cents, status)
          values (${randomUUID()}, ${order.id}, ${amountCents}, ${declined ? 'declined' : 'completed'})
          returning ${PAYMENT_COLUMNS}`);
        const payment = toPayment(rows[0]!);
        const event = { paymentId: payment.id, orderId: order.id, amount: payment.amount };
        if (declined) await ctx.publish('payment.failed', { ...event, reason: 'card declined' });
        else await ctx.publish('payment.completed', event);
        return payment;
      });
    } catch (error) {
      // The unique index on completed payments per order: a second payment lost the race.
      if (isDatabaseError(error, SQLSTATE.uniqueViolation)) throw new Conflict(`order ${order.id} is already paid`);
      throw error;
    }
    // Declined after the commit: the declined payment and its payment.failed event are kept.
    if (declined) throw new PaymentDeclined('the card was declined');
    return payment;
  },

  async getPayment(input, ctx) {
    const { rows } = await ctx.db.query<PaymentRow>(sql`select ${PAYMENT_COLUMNS} from payments where id = ${input.id}`);
    if (!rows[0]) throw new NotFound(`no payment ${input.id}`);
    return toPayment(rows[0]);
  },

  async charge(input, ctx) {
    const amountCents = Math.round(input.amount * 100);
    const status = input.cardToken === DECLINED_TOKEN ? 'declined' : 'completed';
    let payment: Payment;
    try {
      payment = await ctx.db.transaction(async (tx) => {
        // One charge per order, whatever its outcome: a repeat (a retry, a saga resumed after a crash)
        // finds the first one and captures nothing more.
        const { rows } = await tx.query<PaymentRow>(sql`
          insert into payments (id, order_id, amount_cents, status, source)
          values (${randomUUID()}, ${input.orderId}, ${amountCents}, ${status}, 'charge')
          on conflict (order_id) where source = 'charge' do nothing
          returning ${PAYMENT_COLUMNS}`);
        return rows[0] ? toPayment(rows[0]) : (await paymentOfOrder(tx, input.orderId))!;
      });
    } catch (error) {
      // The unique index on completed payments per order: the order was paid through createPayment.
      if (isDatabaseError(error, SQLSTATE.uniqueViolation)) throw new Conflict(`order ${input.orderId} is already paid`);
      throw error;
    }
    if (payment.status === 'voided') throw new Conflict(`the charge for order ${input.orderId} was refunded before it arrived`);
    if (Math.round(payment.amount * 100) !== amountCents) throw new Conflict(`order ${input.orderId} was charged ${payment.amount}, not ${input.amount}`);
    if (payment.status === 'declined') throw new PaymentDeclined('the card was declined');
    ctx.logger.info({ orderId: input.orderId, paymentId: payment.id, status: payment.status }, 'charge');
    return payment;
  },

  async refund(input, ctx) {
    const payment = await ctx.db.transaction(async (tx) => {
      const found = await refundCompleted(tx, input.orderId);
      if (found) return found;
      // Nothing charged yet: a void, so that a charge arriving later (abandoned on its timeout, then
      // delivered) captures nothing. Lost to a charge that just committed: refund that one.
      const voided = await tx.query(sql`
        insert into payments (id, order_id, amount_cents, status, source) values (${randomUUID()}, ${input.orderId}, 0, 'voided', 'charge')
        on conflict (order_id) where source = 'charge' do nothing returning id`);
      return voided.rows[0] ? undefined : refundCompleted(tx, input.orderId);
    });
    // 404 ("nothing to undo" to the saga); outside the transaction, so the void commits either way.
    if (!payment || payment.status === 'voided') throw new NotFound(`no payment for order ${input.orderId}`);
    ctx.logger.info({ orderId: input.orderId, paymentId: payment.id, status: payment.status }, 'refund');
    return payment;
  },
};
