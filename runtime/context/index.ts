// What a hook receives besides its input. Transport-neutral on purpose: no req/res, so the same
// hook serves HTTP, gRPC and in-process calls.
import type { Logger } from 'pino';
import type { Database } from '../storage/types.js';

export type { Logger };

/** Who is calling: a user (from gateway auth) or another service. */
export interface Caller {
  /** User id or `service:<name>`. */
  readonly subject: string;
  readonly roles?: readonly string[];
  /** Set when the immediate caller is another service of the mesh. */
  readonly service?: string;
}

/** Typed publish for a map of event name -> payload type. */
export type Publish<Events> = <K extends keyof Events & string>(event: K, payload: Events[K]) => Promise<void>;

export interface HandlerContext<Clients = Record<string, never>, Events = Record<string, never>> {
  readonly service: string;
  /** Endpoint or event-handler name being served. */
  readonly operation: string;
  readonly requestId: string;
  readonly logger: Logger;
  readonly caller: Caller | null;
  /** Epoch milliseconds after which the caller no longer waits; null when unbounded. */
  readonly deadline: number | null;
  /** Aborted when the caller goes away or the deadline passes. */
  readonly signal: AbortSignal;
  /** Typed clients of the services this one calls, already carrying request id and deadline. */
  readonly clients: Clients;
  readonly publish: Publish<Events>;
}

/**
 * What the hooks of a service with storage get on top of {@link HandlerContext} (and
 * {@link EventContext}): `ctx.db`, the service's own database, migrated before the service listens.
 * A service without storage has no `db`: its context type does not mention one, and at run time it
 * is absent. The generated context types of a service with storage are the intersection.
 *
 * @example
 * type OrdersContext = HandlerContext<OrdersClients, OrdersPublishes> & StorageContext;
 * async function getOrder(input: { id: string }, ctx: OrdersContext) {
 *   const { rows } = await ctx.db.query<{ id: string; total: string }>(sql`select id, total from orders where id = ${input.id}`);
 *   if (!rows[0]) throw new NotFound(`no order ${input.id}`);
 *   return rows[0];
 * }
 */
export interface StorageContext {
  /**
   * The service's database (PostgreSQL, or PGlite under `meshspec dev`); closed by the host when the
   * service stops. Inside a transaction the runtime opened around the hook (a request with an
   * idempotency key, `ctx.once`) its statements join that transaction.
   */
  readonly db: Database;
}

/** The event an event hook is handling, from its envelope. */
export interface EventInfo {
  /** Unique per published event: the same on every redelivery. */
  readonly id: string;
  readonly name: string;
  readonly version: number;
  /** The publishing service. */
  readonly source: string;
  /** ISO 8601 time of publishing. */
  readonly time: string;
}

/** Options of {@link EventContext.once}. */
export interface EventOnceOptions {
  /** Distinguishes several effects of one handler for the same event (`<service>:<handler>:<event id>:<step>`). */
  readonly step?: string;
  /** How long the effect may run before another delivery may run it again (a crashed holder). Default 30_000. */
  readonly leaseMs?: number;
}

/** What an event hook gets: the endpoint context, the event, and a helper that makes redeliveries harmless. */
export interface EventContext<Clients = Record<string, never>, Events = Record<string, never>> extends HandlerContext<Clients, Events> {
  readonly event: EventInfo;
  /**
   * Runs `effect` at most once for this event and handler, keyed `<service>:<handler>:<event id>`,
   * and returns its (JSON) result; a redelivery of an event whose effect completed gets the stored
   * result without running it. Delivery is at-least-once, so wrap every effect that must not happen
   * twice (charging, sending mail). The store is the service's idempotency store (Redis when the bus
   * is Redis or `IDEMPOTENCY_STORE_URL` names one; in memory otherwise, which absorbs redeliveries
   * within one process only). An effect that fails is not recorded: the retry runs it again.
   * In a service with storage the record is in its database and `effect` runs in one transaction
   * with it: its `ctx.db` writes and `ctx.publish` events (through the outbox) commit with the record,
   * or are rolled back with it when the effect fails.
   *
   * @example
   * await ctx.once(() => mailer.send(welcome(event.email)));
   * await ctx.once(() => ctx.db.query(sql`update orders set status = 'paid' where id = ${event.orderId}`));
   */
  once<T>(effect: () => Promise<T>, options?: EventOnceOptions): Promise<T>;
}
