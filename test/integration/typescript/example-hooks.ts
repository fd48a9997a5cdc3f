// Hook files for the example spec (spec/), written the way a user would: typed against the
// generated interfaces, using errors, clients and publish. The compile test type-checks them
// together with the generated code, so they must exercise what the generated types promise.

const users = `import { randomUUID } from 'node:crypto';
import type { User } from '../generated/users/types.js';
import { EmailTaken, NotFound } from '../generated/users/errors.js';
import type { UsersHandlers } from '../generated/users/handlers.js';

const users = new Map<string, User>();

export const handlers: UsersHandlers = {
  async createUser(input, ctx) {
    if ([...users.values()].some((u) => u.email === input.email)) throw new EmailTaken();
    const user: User = { id: randomUUID(), email: input.email, name: input.name, createdAt: new Date().toISOString() };
    users.set(user.id, user);
    await ctx.publish('user.created', { userId: user.id, email: user.email, name: user.name });
    return user;
  },
  async getUser(input) {
    const user = users.get(input.id);
    if (!user) throw new NotFound(\`no user \${input.id}\`);
    return user;
  },
  async listUsers() {
    return [...users.values()];
  },
  async deleteUser(input, ctx) {
    if (!users.delete(input.id)) throw new NotFound();
    ctx.logger.info({ userId: input.id }, 'user deleted');
    await ctx.publish('user.deleted', { userId: input.id });
  },
};
`;

const orders = `import { randomUUID } from 'node:crypto';
import type { Order } from '../generated/orders/types.js';
import type { OrderStatus } from '../generated/types.js';
import { OrderStatusValues } from '../generated/types.js';
import { Conflict, NotFound, OutOfStock, UserNotFound } from '../generated/orders/errors.js';
import type { OrdersHandlers, OrdersSubscriptions } from '../generated/orders/handlers.js';
import { isMeshError } from 'meshspec/runtime';

const orders = new Map<string, Order>();

function setStatus(orderId: string, status: OrderStatus): Order | undefined {
  const order = orders.get(orderId);
  if (order) order.status = status;
  return order;
}

export const handlers: OrdersHandlers = {
  async createOrder(input, ctx) {
    try {
      await ctx.clients.users.getUser({ id: input.userId }, { timeoutMs: 500 });
    } catch (err) {
      if (isMeshError(err, 'NotFound')) throw new UserNotFound();
      throw err;
    }
    const id = randomUUID();
    const reservation = await ctx.clients.inventory.reserve({ orderId: id, items: input.items });
    if (reservation.state !== 'held') throw new OutOfStock();
    const totalAmount = reservation.items.reduce((sum, item) => sum + item.quantity * item.unitPrice, 0);
    const order: Order = {
      id,
      userId: input.userId,
      items: reservation.items,
      totalAmount,
      status: OrderStatusValues[0],
      createdAt: new Date().toISOString(),
    };
    orders.set(id, order);
    await ctx.publish('order.created', { orderId: id, userId: order.userId, totalAmount, status: order.status });
    return order;
  },
  async getOrder(input) {
    const order = orders.get(input.id);
    if (!order) throw new NotFound();
    return order;
  },
  async listOrders(input) {
    return [...orders.values()].filter(
      (o) => (input.userId === undefined || o.userId === input.userId) && (input.status === undefined || o.status === input.status),
    );
  },
  async cancelOrder(input, ctx) {
    const order = orders.get(input.id);
    if (!order) throw new NotFound();
    if (order.status !== 'pending') throw new Conflict(\`order is \${order.status}\`);
    order.status = 'cancelled';
    await ctx.clients.inventory.releaseReservation({ orderId: order.id });
    await ctx.publish('order.cancelled', { orderId: order.id, userId: order.userId, totalAmount: order.totalAmount, status: order.status });
    return order;
  },
  async cancelPlacedOrder(input, ctx) {
    const order = orders.get(input.orderId);
    if (!order) throw new NotFound();
    if (order.status === 'failed') throw new Conflict(\`order is \${order.status}\`);
    order.status = 'cancelled';
    await ctx.publish('order.cancelled', { orderId: order.id, userId: order.userId, totalAmount: order.totalAmount, status: order.status });
    return order;
  },
  async saveOrder(input) {
    const existing = orders.get(input.id);
    if (existing) return existing;
    const totalAmount = input.items.reduce((sum, item) => sum + item.quantity * item.unitPrice, 0);
    const order: Order = { id: input.id, userId: input.userId, items: input.items, totalAmount, status: 'confirmed', createdAt: new Date().toISOString() };
    orders.set(order.id, order);
    return order;
  },
};

export const subscriptions: OrdersSubscriptions = {
  async cancelOrdersForUser(event) {
    for (const order of orders.values()) if (order.userId === event.userId) order.status = 'cancelled';
  },
  async confirmOrder(event, ctx) {
    const order = setStatus(event.orderId, 'confirmed');
    if (order) {
      await ctx.publish('order.confirmed', { orderId: order.id, userId: order.userId, totalAmount: order.totalAmount, status: order.status });
    }
  },
  async failOrder(event, ctx) {
    setStatus(event.orderId, 'failed');
    ctx.logger.warn({ reason: event.reason ?? null }, 'payment failed');
  },
};
`;

const payments = `import { randomUUID } from 'node:crypto';
import type { Payment } from '../generated/payments/types.js';
import { AmountMismatch, NotFound, PaymentDeclined } from '../generated/payments/errors.js';
import type { PaymentsHandlers } from '../generated/payments/handlers.js';

const payments = new Map<string, Payment>();

export const handlers: PaymentsHandlers = {
  async createPayment(input, ctx) {
    const order = await ctx.clients.orders.getOrder({ id: input.orderId }, { requestId: ctx.requestId });
    if (order.totalAmount !== input.amount) throw new AmountMismatch(undefined, { expected: order.totalAmount });
    if (input.cardToken === 'tok_declined') {
      await ctx.publish('payment.failed', { paymentId: randomUUID(), orderId: order.id, amount: input.amount, reason: 'declined' });
      throw new PaymentDeclined();
    }
    const payment: Payment = {
      id: randomUUID(),
      orderId: order.id,
      amount: input.amount,
      status: 'completed',
      createdAt: new Date().toISOString(),
    };
    payments.set(payment.id, payment);
    await ctx.publish('payment.completed', { paymentId: payment.id, orderId: order.id, amount: payment.amount });
    return payment;
  },
  async getPayment(input) {
    const payment = payments.get(input.id);
    if (!payment) throw new NotFound();
    return payment;
  },
  async charge(input) {
    if (input.cardToken === 'tok_declined') throw new PaymentDeclined();
    const payment: Payment = { id: randomUUID(), orderId: input.orderId, amount: input.amount, status: 'completed', createdAt: new Date().toISOString() };
    payments.set(input.orderId, payment);
    return payment;
  },
  async refund(input) {
    const payment = payments.get(input.orderId);
    if (!payment) throw new NotFound();
    payment.status = 'refunded';
    return payment;
  },
};
`;

const inventory = `import type { Product, Reservation } from '../generated/inventory/types.js';
import { NotFound, OutOfStock } from '../generated/inventory/errors.js';
import type { InventoryHandlers, InventorySubscriptions } from '../generated/inventory/handlers.js';

const products = new Map<string, Product>([['p1', { id: 'p1', name: 'Pen', price: 2, available: 10 }]]);
const reservations = new Map<string, Reservation>();

export const handlers: InventoryHandlers = {
  async listProducts() {
    return [...products.values()];
  },
  async getProduct(input) {
    const product = products.get(input.id);
    if (!product) throw new NotFound();
    return product;
  },
  async reserve(input) {
    const items = input.items.map((item) => {
      const product = products.get(item.productId);
      if (!product) throw new NotFound(\`no product \${item.productId}\`);
      if (product.available < item.quantity) throw new OutOfStock();
      return { productId: product.id, quantity: item.quantity, unitPrice: product.price };
    });
    const total = items.reduce((sum, item) => sum + item.quantity * item.unitPrice, 0);
    const reservation: Reservation = { orderId: input.orderId, items, state: 'held', total };
    reservations.set(input.orderId, reservation);
    return reservation;
  },
  async releaseReservation(input) {
    if (!reservations.delete(input.orderId)) throw new NotFound();
  },
  async commitReservation(input) {
    const reservation = reservations.get(input.orderId);
    if (!reservation) throw new NotFound();
    reservation.state = 'committed';
    return reservation;
  },
};

export const subscriptions: InventorySubscriptions = {
  async commitForConfirmedOrder(event) {
    const reservation = reservations.get(event.orderId);
    if (reservation) reservation.state = 'committed';
  },
  async releaseForCancelledOrder(event) {
    reservations.delete(event.orderId);
  },
};
`;

/** Hook file path (relative to the project root of the test) -> content. */
export const exampleHooks: Readonly<Record<string, string>> = {
  'hooks/inventory.ts': inventory,
  'hooks/orders.ts': orders,
  'hooks/payments.ts': payments,
  'hooks/users.ts': users,
};
