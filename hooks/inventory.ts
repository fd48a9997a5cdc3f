// Hooks of the inventory service: the code you write. meshspec created this file once and will only
// ever add stubs to it; it never changes or deletes what is here.
// Products (seeded by hooks/migrations/inventory/0001_init.sql) and reservations live in the service's database.
import { sql, type Queryable } from 'meshspec/runtime/storage';
import type { Product, Reservation } from '../generated/inventory/types.js';
import type { InventoryContext, InventoryHandlers, InventorySubscriptions } from '../generated/inventory/handlers.js';
import { Conflict, NotFound, OutOfStock } from '../generated/inventory/errors.js';

type ProductRow = { id: string; name: string; price_cents: number; available: number };

function toProduct(row: ProductRow): Product {
  return { id: row.id, name: row.name, price: row.price_cents / 100, available: row.available };
}

async function findReservation(db: Queryable, orderId: string): Promise<Reservation | undefined> {
  const { rows } = await db.query<{ state: Reservation['state'] }>(sql`select state from reservations where order_id = ${orderId}`);
  if (!rows[0]) return undefined;
  const items = await db.query<{ product_id: string; quantity: number; unit_price_cents: number }>(
    sql`select product_id, quantity, unit_price_cents from reservation_items where order_id = ${orderId} order by product_id`,
  );
  const reserved = items.rows.map((i) => ({ productId: i.product_id, quantity: i.quantity, unitPrice: i.unit_price_cents / 100 }));
  return toReservation(orderId, reserved, rows[0].state);
}

/** A reservation with its total, summed in cents so 3 x 0.1 is 0.3. */
function toReservation(orderId: string, items: Reservation['items'], state: Reservation['state']): Reservation {
  const totalCents = items.reduce((sum, item) => sum + Math.round(item.unitPrice * 100) * item.quantity, 0);
  return { orderId, items, state, total: totalCents / 100 };
}

/**
 * Gives a held reservation's stock back, once: a released or committed one is left alone. With none,
 * leaves a released one without items, so a reserve for the order arriving later takes no stock.
 * Returns the state the reservation had, `undefined` if there was none.
 */
async function release(orderId: string, ctx: InventoryContext): Promise<Reservation['state'] | undefined> {
  return ctx.db.transaction(async (tx) => {
    const releaseHeld = async () => {
      const released = await tx.query(sql`update reservations set state = 'released' where order_id = ${orderId} and state = 'held' returning order_id`);
      if (!released.rows[0]) return false;
      await tx.query(sql`
        update products p set available = p.available + i.quantity
        from reservation_items i where i.order_id = ${orderId} and p.id = i.product_id`);
      return true;
    };
    if (await releaseHeld()) return 'held';
    // The insert waits for a reserve of the same order in flight; if that one commits, it is released below.
    const voided = await tx.query(sql`insert into reservations (order_id, state) values (${orderId}, 'released') on conflict do nothing returning order_id`);
    if (voided.rows[0]) return undefined;
    if (await releaseHeld()) return 'held';
    const { rows } = await tx.query<{ state: Reservation['state'] }>(sql`select state from reservations where order_id = ${orderId}`);
    return rows[0]!.state;
  });
}

/**
 * Sells a held reservation's stock (it already left `available` when reserved), once; a committed one
 * is left as it is. Returns the reservation as it is now, `undefined` if there is none.
 */
async function commit(orderId: string, ctx: InventoryContext): Promise<Reservation | undefined> {
  return ctx.db.transaction(async (tx) => {
    await tx.query(sql`update reservations set state = 'committed' where order_id = ${orderId} and state = 'held'`);
    return findReservation(tx, orderId);
  });
}

export const handlers: InventoryHandlers = {
  async listProducts(_input, ctx) {
    const { rows } = await ctx.db.query<ProductRow>(sql`select id, name, price_cents, available from products order by id`);
    return rows.map(toProduct);
  },

  async getProduct(input, ctx) {
    const { rows } = await ctx.db.query<ProductRow>(sql`select id, name, price_cents, available from products where id = ${input.id}`);
    if (!rows[0]) throw new NotFound(`no product ${input.id}`);
    return toProduct(rows[0]);
  },

  async reserve(input, ctx) {
    const wanted = new Map<string, number>();
    for (const item of input.items) wanted.set(item.productId, (wanted.get(item.productId) ?? 0) + item.quantity);
    return ctx.db.transaction(async (tx) => {
      // Reserving twice for the same order (a retried call) returns the first reservation.
      const claimed = await tx.query(sql`insert into reservations (order_id) values (${input.orderId}) on conflict do nothing returning order_id`);
      if (!claimed.rows[0]) return (await findReservation(tx, input.orderId))!;
      const items: Reservation['items'] = [];
      // In product order, as findReservation lists them: concurrent reserves lock rows in one order, never deadlock.
      for (const [productId, quantity] of [...wanted].sort(([a], [b]) => a.localeCompare(b))) {
        // Takes the stock only if enough is left, in one statement: concurrent reserves never oversell.
        const taken = await tx.query<{ price_cents: number }>(sql`
          update products set available = available - ${quantity}
          where id = ${productId} and available >= ${quantity} returning price_cents`);
        if (!taken.rows[0]) {
          // Throwing rolls the whole reservation back, the stock of the items before included.
          const { rows } = await tx.query<{ available: number }>(sql`select available from products where id = ${productId}`);
          if (!rows[0]) throw new NotFound(`no product ${productId}`);
          throw new OutOfStock(`only ${rows[0].available} of ${productId} left, ${quantity} wanted`);
        }
        await tx.query(sql`
          insert into reservation_items (order_id, product_id, quantity, unit_price_cents)
          values (${input.orderId}, ${productId}, ${quantity}, ${taken.rows[0].price_cents})`);
        items.push({ productId, quantity, unitPrice: taken.rows[0].price_cents / 100 });
      }
      return toReservation(input.orderId, items, 'held');
    });
  },

  async releaseReservation(input, ctx) {
    // A release of nothing answers 404 (the saga takes it as "nothing to undo") and its void stays: a
    // declared error commits what the hook wrote.
    const was = await release(input.orderId, ctx);
    if (was === undefined) throw new NotFound(`no reservation for order ${input.orderId}`);
    if (was === 'committed') throw new Conflict(`the reservation for order ${input.orderId} is committed: its stock is sold`);
  },

  async commitReservation(input, ctx) {
    const reservation = await commit(input.orderId, ctx);
    if (!reservation) throw new NotFound(`no reservation for order ${input.orderId}`);
    if (reservation.state === 'released') throw new Conflict(`the reservation for order ${input.orderId} was released`);
    return reservation;
  },
};

export const subscriptions: InventorySubscriptions = {
  async commitForConfirmedOrder(event, ctx) {
    const reservation = await commit(event.orderId, ctx);
    if (reservation?.state === 'committed') ctx.logger.info({ orderId: event.orderId }, 'reservation committed');
    else ctx.logger.warn({ orderId: event.orderId, state: reservation?.state }, 'confirmed order without a held reservation');
  },

  async releaseForCancelledOrder(event, ctx) {
    await release(event.orderId, ctx);
  },
};
