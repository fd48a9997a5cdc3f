// What the placeOrder crash test (issue #12) checks once every saga settled, read from the services'
// own databases: the sagas' log (orders), orders, reservations and stock (inventory), and charges
// (payments). Each broken invariant is one line naming the saga or product, so a failure says what
// went wrong where; the figures are printed by the test.
import pg from 'pg';

/** A saga as the log has it. */
export interface AuditedSaga {
  readonly id: string;
  readonly state: string;
  readonly failureStep: string | null;
  readonly failureCode: string | null;
}

/** What the databases hold after the run. */
export interface PlaceOrderState {
  readonly sagas: readonly AuditedSaga[];
  /** Compensations that ran to an outcome (succeeded, or 404 counted as done), by step. */
  readonly compensations: number;
  /** Step attempts beyond the first (retries, and calls repeated after a crash). */
  readonly repeatedAttempts: number;
  /** order id → status and total (cents). */
  readonly orders: ReadonlyMap<string, { status: string; totalCents: number }>;
  /** order id → reservation state and total (cents). */
  readonly reservations: ReadonlyMap<string, { state: string; totalCents: number }>;
  /** order id → the saga's charge: status and amount (cents). */
  readonly charges: ReadonlyMap<string, { status: string; amountCents: number }>;
  /** product → available now, held and committed (sold) quantities. */
  readonly stock: ReadonlyMap<string, { available: number; held: number; committed: number }>;
}

async function query<T>(url: string, text: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text)).rows as T[];
  } finally {
    await client.end();
  }
}

/**
 * Reads what the audit needs from the three databases.
 *
 * @param urls each service's database URL
 * @example
 * const state = await readPlaceOrderState({ orders: url('orders'), inventory: url('inventory'), payments: url('payments') });
 */
export async function readPlaceOrderState(urls: { orders: string; inventory: string; payments: string }): Promise<PlaceOrderState> {
  const [sagas, steps, orders, reservations, stock, charges] = await Promise.all([
    query<{ id: string; state: string; failure_step: string | null; failure_code: string | null }>(urls.orders, 'select id, state, failure_step, failure_code from meshspec_sagas'),
    query<{ compensations: string; repeated: string }>(
      urls.orders,
      `select count(*) filter (where phase = 'compensate' and outcome = 'succeeded') as compensations,
              coalesce(sum(attempts - 1) filter (where attempts > 1), 0) as repeated from meshspec_saga_steps`,
    ),
    query<{ id: string; status: string; total_cents: number }>(urls.orders, 'select id, status, total_cents from orders'),
    query<{ order_id: string; state: string; total_cents: string }>(
      urls.inventory,
      `select r.order_id, r.state, coalesce(sum(i.quantity * i.unit_price_cents), 0) as total_cents
       from reservations r left join reservation_items i using (order_id) group by r.order_id, r.state`,
    ),
    query<{ id: string; available: number; held: string; committed: string }>(
      urls.inventory,
      `select p.id, p.available,
              coalesce(sum(i.quantity) filter (where r.state = 'held'), 0) as held,
              coalesce(sum(i.quantity) filter (where r.state = 'committed'), 0) as committed
       from products p left join reservation_items i on i.product_id = p.id left join reservations r using (order_id)
       group by p.id, p.available`,
    ),
    query<{ order_id: string; status: string; amount_cents: number }>(urls.payments, `select order_id, status, amount_cents from payments where source = 'charge'`),
  ]);
  return {
    sagas: sagas.map((s) => ({ id: s.id, state: s.state, failureStep: s.failure_step, failureCode: s.failure_code })),
    compensations: Number(steps[0]!.compensations),
    repeatedAttempts: Number(steps[0]!.repeated),
    orders: new Map(orders.map((o) => [o.id, { status: o.status, totalCents: o.total_cents }])),
    reservations: new Map(reservations.map((r) => [r.order_id, { state: r.state, totalCents: Number(r.total_cents) }])),
    charges: new Map(charges.map((c) => [c.order_id, { status: c.status, amountCents: c.amount_cents }])),
    stock: new Map(stock.map((p) => [p.id, { available: p.available, held: Number(p.held), committed: Number(p.committed) }])),
  };
}

/**
 * Every broken invariant of a settled run, one line each (empty: all hold):
 * - every saga is completed or compensated, and the sagas are exactly `expectedIds` (one per request key);
 * - per product, available + held + committed = the initial stock, and nothing is still held;
 * - a completed saga has its order confirmed, its reservation committed and its charge completed, all
 *   of the same total; a compensated one has none of them in effect (order cancelled or absent,
 *   reservation released or absent, charge refunded, declined, voided or absent);
 * - no order, reservation or charge belongs to no saga.
 *
 * @param state what readPlaceOrderState read
 * @param expectedIds the saga ids of the test's requests
 * @param initialStock product → its stock before the run
 * @example
 * expect(placeOrderViolations(state, new Set(placements.map((p) => p.sagaId)), initial)).toEqual([]);
 */
export function placeOrderViolations(state: PlaceOrderState, expectedIds: ReadonlySet<string>, initialStock: ReadonlyMap<string, number>): string[] {
  const problems: string[] = [];
  const sagaIds = new Set(state.sagas.map((s) => s.id));
  for (const id of expectedIds) if (!sagaIds.has(id)) problems.push(`request of saga ${id}: no saga in the log`);
  for (const id of sagaIds) if (!expectedIds.has(id)) problems.push(`saga ${id}: no request of the test started it`);

  for (const [product, initial] of initialStock) {
    const now = state.stock.get(product);
    if (!now) problems.push(`product ${product}: gone`);
    else if (now.available + now.held + now.committed !== initial) problems.push(`product ${product}: available ${now.available} + held ${now.held} + sold ${now.committed} != initial ${initial}`);
    else if (now.held !== 0) problems.push(`product ${product}: ${now.held} still held after every saga ended`);
  }

  for (const saga of state.sagas) {
    const order = state.orders.get(saga.id);
    const reservation = state.reservations.get(saga.id);
    const charge = state.charges.get(saga.id);
    const where = `saga ${saga.id} (${saga.state}${saga.failureStep ? `, failed at ${saga.failureStep} ${saga.failureCode}` : ''})`;
    if (saga.state === 'completed') {
      if (order?.status !== 'confirmed') problems.push(`${where}: order ${order?.status ?? 'absent'}, not confirmed`);
      if (reservation?.state !== 'committed') problems.push(`${where}: reservation ${reservation?.state ?? 'absent'}, not committed`);
      if (charge?.status !== 'completed') problems.push(`${where}: charge ${charge?.status ?? 'absent'}, not completed`);
      if (order && reservation && charge && !(order.totalCents === reservation.totalCents && charge.amountCents === order.totalCents)) {
        problems.push(`${where}: order total ${order.totalCents}, reservation ${reservation.totalCents}, charge ${charge.amountCents} (cents) differ`);
      }
    } else if (saga.state === 'compensated') {
      if (order && order.status !== 'cancelled') problems.push(`${where}: order left ${order.status}`);
      if (reservation && reservation.state !== 'released') problems.push(`${where}: reservation left ${reservation.state}`);
      if (charge && !['refunded', 'declined', 'voided'].includes(charge.status)) problems.push(`${where}: charge left ${charge.status}`);
    } else {
      problems.push(`${where}: not final`);
    }
  }
  for (const [kind, ids] of [['order', state.orders], ['reservation', state.reservations], ['charge', state.charges]] as const) {
    for (const id of ids.keys()) if (!sagaIds.has(id)) problems.push(`${kind} ${id}: of no saga`);
  }
  return problems;
}
