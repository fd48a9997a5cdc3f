// The event bus seen by the runtime. Adapters (memory.ts, redis/, rabbitmq/) implement this; the typed publish/subscribe API the hooks see is built on top of it.

export interface EventEnvelope<T = unknown> {
  /** Unique per published event (UUID): consumers use it to drop duplicates. */
  readonly id: string;
  readonly event: string;
  readonly version: number;
  /** Publishing service. */
  readonly source: string;
  /** ISO 8601 time of publishing. */
  readonly time: string;
  readonly requestId?: string;
  /** W3C trace context of the call that published the event (`traceparent` header value). */
  readonly traceparent?: string;
  /** W3C `tracestate` that goes with `traceparent`, when the publisher's trace has one. */
  readonly tracestate?: string;
  readonly payload: T;
}

export type EnvelopeHandler = (envelope: EventEnvelope) => Promise<void>;

/** Per-subscription settings that override the bus's own. */
export interface SubscribeOptions {
  /** Deliveries of one event to this group, the first included, before it is dead-lettered. */
  readonly maxAttempts?: number;
}

export interface BusSubscription {
  unsubscribe(): Promise<void>;
}

export interface EventBus {
  /** Resolves once the bus has accepted the event (not when it has been handled). */
  publish(envelope: EventEnvelope): Promise<void>;
  /**
   * Each event is delivered once per `group` (a subscribing service), to one of the group's
   * handlers. A handler that throws gets the event again, up to the adapter's retry limit.
   */
  subscribe(event: string, group: string, handler: EnvelopeHandler, options?: SubscribeOptions): Promise<BusSubscription>;
  /** Stops delivering and waits for handlers in progress. */
  close(): Promise<void>;
  /**
   * Entries of `event` not yet delivered to `group`, when the broker tells it cheaply (Redis 7:
   * `XINFO GROUPS`' `lag`); null when it does not (an unknown lag, a broker without the figure).
   * Optional: the memory and RabbitMQ buses do not have it. Read by the metrics at scrape time.
   */
  consumerLag?(event: string, group: string): Promise<number | null>;
  /**
   * Deliveries of one event to one group, the first included, for a subscription that names none
   * (`SubscribeOptions.maxAttempts` wins). Read by the metrics to tell a retry from the last
   * attempt; absent on a bus that does not say (the metrics then assume 5).
   */
  readonly maxAttempts?: number;
}

/**
 * Thrown by a handler when retrying cannot help (e.g. the payload does not match its schema):
 * adapters dead-letter the event at once instead of delivering it again.
 */
export class UnprocessableEvent extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'UnprocessableEvent';
  }
}
