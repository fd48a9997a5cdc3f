// The transactional outbox (issue #11): ctx.publish inside a transaction writes the event into the
// service's database in that transaction; the relay forwards committed events to the bus in order.
// A rolled-back transaction publishes nothing; a crash between commit and relay delays an event,
// never loses it. Outside a transaction, publishing goes to the bus directly, as without an outbox.
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { EventBus, EventEnvelope } from '../../bus/types.js';
import type { Database } from '../types.js';
import { enqueueEvent } from './enqueue.js';
import { startRelay, type Relay } from './relay.js';
import { ensureOutboxTable } from './table.js';

export { OUTBOX_TABLE, ensureOutboxTable } from './table.js';
export { deleteSentRows } from './retention.js';
export { forwardBatch, type BatchResult, type BatchSettings } from './batch.js';

/**
 * Options of {@link createOutbox}; durations in milliseconds.
 *
 * @example
 * const options: OutboxOptions = { db, bus, service: 'orders', logger, pollIntervalMs: 500 };
 */
export interface OutboxOptions {
  readonly db: Database;
  /** Where the relay forwards events, and where publishes outside a transaction go. */
  readonly bus: EventBus;
  /** The publishing service (the envelopes' `source`, the relay lock's name). */
  readonly service: string;
  readonly logger: Logger;
  /** Rows forwarded per pass. Default 100. */
  readonly batchSize?: number;
  /** Fallback poll when no commit woke the relay (crash leftovers, other replicas' rows). Default 1000. */
  readonly pollIntervalMs?: number;
  /** Longest wait for the bus to accept one event. Default 5000. */
  readonly publishTimeoutMs?: number;
  /** First wait after a failed pass, doubled each further failure. Default 100. */
  readonly retryDelayMs?: number;
  /** Longest wait between failed passes. Default 30000. */
  readonly maxRetryDelayMs?: number;
  /** How long sent rows are kept for inspection. Default 3 600 000 (one hour). */
  readonly retentionMs?: number;
  /** How often sent rows past retention are deleted. Default 60000. */
  readonly cleanupIntervalMs?: number;
}

/**
 * What `publish(event, payload)` may add to the envelope it builds.
 *
 * @example
 * await outbox.publish('order.placed', { id }, { version: 2, requestId });
 */
export interface PublishOptions {
  /** Default 1. */
  readonly version?: number;
  readonly requestId?: string;
  readonly traceparent?: string;
}

/**
 * A service's outbox and its running relay.
 *
 * @example
 * const outbox = await createOutbox({ db, bus, service: 'orders', logger });
 * await db.transaction(async () => {
 *   await db.current()!.query(sql`insert into orders (id) values (${id})`);
 *   await outbox.publish('order.placed', { id });   // sent once the transaction commits
 * });
 */
export interface Outbox {
  /**
   * Inside a transaction (`db.current()`): writes the event into it and resolves `'outbox'`.
   * Outside: publishes on the bus directly (today's behaviour) and resolves `'bus'`.
   */
  publish(envelope: EventEnvelope): Promise<'outbox' | 'bus'>;
  publish(event: string, payload: unknown, options?: PublishOptions): Promise<'outbox' | 'bus'>;
  /** Inside a transaction: writes the event into it and resolves true. Outside: writes nothing, resolves false. */
  enqueue(envelope: EventEnvelope): Promise<boolean>;
  /**
   * The bus as hooks should see it: `publish` goes through the outbox, the rest is the bus's own
   * (`close` closes the bus; close the outbox first).
   */
  readonly bus: EventBus;
  /** Resolves once every event committed before the call is sent (rejects after `timeoutMs`, default 10 s). */
  drained(timeoutMs?: number): Promise<void>;
  /** Stops the relay, waiting for its batch in flight. Rows left are sent by the next start. */
  close(): Promise<void>;
}

/**
 * Creates the outbox table if missing and starts the relay, which at once forwards whatever a
 * previous run left committed and unsent.
 *
 * @param options - `db`, `bus`, `service`, `logger`; timing: `batchSize` (100), `pollIntervalMs`
 *   (1000), `publishTimeoutMs` (5000), `retryDelayMs` (100), `maxRetryDelayMs` (30000),
 *   `retentionMs` (one hour), `cleanupIntervalMs` (60000)
 * @example
 * const outbox = await createOutbox({ db, bus, service: 'orders', logger });
 * const publisher = createPublisher({ definition, events, validators, bus: outbox.bus });
 */
export async function createOutbox(options: OutboxOptions): Promise<Outbox> {
  const { db, bus, service } = options;
  await ensureOutboxTable(db);
  const relay: Relay = startRelay({
    db,
    bus,
    service,
    logger: options.logger,
    batchSize: options.batchSize ?? 100,
    pollIntervalMs: options.pollIntervalMs ?? 1000,
    publishTimeoutMs: options.publishTimeoutMs ?? 5000,
    retryDelayMs: options.retryDelayMs ?? 100,
    maxRetryDelayMs: options.maxRetryDelayMs ?? 30_000,
    retentionMs: options.retentionMs ?? 3_600_000,
    cleanupIntervalMs: options.cleanupIntervalMs ?? 60_000,
  });
  const enqueue = (envelope: EventEnvelope) => enqueueEvent(db, envelope, relay.wake);

  async function publish(first: EventEnvelope | string, payload?: unknown, publishOptions: PublishOptions = {}): Promise<'outbox' | 'bus'> {
    const envelope = typeof first === 'string' ? envelopeOf(service, first, payload, publishOptions) : first;
    if (await enqueue(envelope)) return 'outbox';
    await bus.publish(envelope);
    return 'bus';
  }

  return {
    publish,
    enqueue,
    bus: {
      publish: async (envelope) => void (await publish(envelope)),
      subscribe: (event, group, handler, subscribeOptions) => bus.subscribe(event, group, handler, subscribeOptions),
      close: () => bus.close(),
      ...(bus.maxAttempts === undefined ? {} : { maxAttempts: bus.maxAttempts }),
    },
    drained: (timeoutMs) => relay.drained(timeoutMs),
    close: () => relay.close(),
  };
}

function envelopeOf(service: string, event: string, payload: unknown, options: PublishOptions): EventEnvelope {
  return {
    id: randomUUID(),
    event,
    version: options.version ?? 1,
    source: service,
    time: new Date().toISOString(),
    ...(options.requestId ? { requestId: options.requestId } : {}),
    ...(options.traceparent ? { traceparent: options.traceparent } : {}),
    payload,
  };
}
