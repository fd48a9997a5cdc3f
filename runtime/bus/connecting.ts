// A bus whose broker may not be reachable yet. A service must start (and answer /health) while its
// broker is down, report not ready, and keep trying; it must never fall back to memory, where its
// events would silently stay in the process. Subscriptions taken before the connection are applied
// once it is up; a publish waits a bounded time for it, then fails as 503.
import type { Logger } from 'pino';
import { Unavailable } from '../errors/index.js';
import type { BusSubscription, EnvelopeHandler, EventBus, EventEnvelope, SubscribeOptions } from './types.js';

/**
 * Options of {@link createConnectingBus}.
 *
 * @example
 * const options: ConnectingBusOptions = { connect: () => connectRabbitBus({ url }), describe: 'rabbitmq at amqp://…', logger };
 */
export interface ConnectingBusOptions {
  /** Opens the real bus; rejects while the broker is unreachable. */
  readonly connect: () => Promise<EventBus>;
  /** Names the broker in log lines and errors, without credentials (e.g. `redis at redis://127.0.0.1:6379`). */
  readonly describe: string;
  readonly logger: Logger;
  /** First wait after a failed attempt, doubled up to `maxDelayMs`. Default 250. */
  readonly initialDelayMs?: number;
  /** Longest wait between attempts. Default 10_000. */
  readonly maxDelayMs?: number;
  /** How long a publish waits for the first connection before it fails as Unavailable (503). Default 5_000. */
  readonly publishWaitMs?: number;
  /** The attempts limit of the bus `connect` opens, told before it is open (EventBus.maxAttempts). */
  readonly maxAttempts?: number;
}

/**
 * The bus of a process, with whether its broker has been reached.
 *
 * @example
 * if (!bus.connected) res.status(503);
 */
export interface ConnectingBus extends EventBus {
  /** True once the broker was reached and every subscription taken so far is in place. */
  readonly connected: boolean;
  /** Resolves when connected; rejects if the bus is closed first. */
  ready(): Promise<void>;
}

interface Pending {
  readonly event: string;
  readonly group: string;
  readonly handler: EnvelopeHandler;
  readonly options: SubscribeOptions | undefined;
  /** The real subscription, once taken. */
  taken: BusSubscription | null;
  cancelled: boolean;
}

/**
 * Starts connecting at once and keeps retrying with exponential backoff until it succeeds or the bus
 * is closed; each failure is logged (the first as a warning naming the broker, later ones with the
 * attempt count). After the first connection the adapter owns reconnection.
 *
 * @param options.connect opens the real bus (required)
 * @param options.describe the broker without credentials, for messages (required)
 * @param options.logger where attempts are logged (required)
 * @param options.initialDelayMs first wait after a failure; default 250
 * @param options.maxDelayMs longest wait; default 10_000
 * @param options.publishWaitMs how long a publish waits for the connection; default 5_000
 * @example
 * const bus = createConnectingBus({ connect: () => Promise.resolve(createRedisBus({ url })), describe: 'redis at redis://127.0.0.1:6379', logger });
 * await bus.subscribe('order.created', 'payments', handler); // applied when connected
 * bus.connected; // drives /ready
 */
export function createConnectingBus(options: ConnectingBusOptions): ConnectingBus {
  const { describe, logger } = options;
  const initialDelayMs = options.initialDelayMs ?? 250;
  const maxDelayMs = options.maxDelayMs ?? 10_000;
  const publishWaitMs = options.publishWaitMs ?? 5_000;
  const subscriptions = new Set<Pending>();
  let inner: EventBus | null = null;
  let connected = false;
  let closed = false;
  let closing: Promise<void> | null = null;
  let wake: (() => void) | null = null;
  let settle!: { resolve: () => void; reject: (err: Error) => void };
  const readiness = new Promise<void>((resolve, reject) => (settle = { resolve, reject }));
  // Nobody may be waiting; a close before connecting must not surface as an unhandled rejection.
  readiness.catch(() => undefined);

  const take = async (bus: EventBus, pending: Pending) => {
    const taken = await bus.subscribe(pending.event, pending.group, pending.handler, pending.options);
    if (pending.cancelled) await taken.unsubscribe();
    else pending.taken = taken;
  };

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        wake = null;
        resolve();
      }
      wake = done;
    });

  const loop = async () => {
    let delay = initialDelayMs;
    for (let attempt = 1; !closed; attempt++) {
      let bus: EventBus | null = null;
      try {
        bus = await options.connect();
        if (closed) {
          await bus.close().catch(() => undefined);
          break;
        }
        inner = bus;
        // Subscriptions recorded while connecting; new ones go straight to the bus from now on.
        for (const pending of subscriptions) if (!pending.taken && !pending.cancelled) await take(bus, pending);
        connected = true;
        if (attempt > 1) logger.info({ attempts: attempt }, `event bus connected: ${describe}`);
        settle.resolve();
        return;
      } catch (err) {
        inner = null;
        await bus?.close().catch(() => undefined);
        if (closed) break;
        const reason = err instanceof Error ? err.message : String(err);
        if (attempt === 1) {
          logger.warn({ err: reason, retryInMs: delay }, `event bus unreachable (${describe}): not ready; retrying`);
        } else {
          logger.warn({ err: reason, attempt, retryInMs: delay }, `event bus still unreachable (${describe})`);
        }
        await sleep(delay);
        delay = Math.min(delay * 2, maxDelayMs);
      }
    }
    settle.reject(new Error(`the event bus (${describe}) was closed before it connected`));
  };
  void loop();

  const waitForConnection = async (event: string): Promise<EventBus> => {
    if (inner && connected) return inner;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Unavailable(`cannot publish '${event}': the event bus is not reachable yet; try again shortly`)),
        publishWaitMs,
      );
    });
    try {
      await Promise.race([readiness, timeout]);
    } catch (err) {
      if (err instanceof Unavailable) throw err;
      throw new Unavailable(`cannot publish '${event}': the event bus is closed`);
    } finally {
      clearTimeout(timer);
    }
    return inner as unknown as EventBus;
  };

  return {
    ...(options.maxAttempts === undefined ? {} : { maxAttempts: options.maxAttempts }),

    get connected() {
      return connected && !closed;
    },

    ready: () => readiness,

    // Not connected: no figure (a scrape must not wait for the broker).
    consumerLag: (event: string, group: string) => (inner && connected && !closed && inner.consumerLag ? inner.consumerLag(event, group) : Promise.resolve(null)),

    async publish(envelope: EventEnvelope) {
      if (closed) throw new Unavailable(`cannot publish '${envelope.event}': the event bus is closed`);
      const bus = await waitForConnection(envelope.event);
      await bus.publish(envelope);
    },

    async subscribe(event, group, handler, subscribeOptions): Promise<BusSubscription> {
      if (closed) throw new Error(`cannot subscribe to '${event}': the event bus is closed`);
      const pending: Pending = { event, group, handler, options: subscribeOptions, taken: null, cancelled: false };
      subscriptions.add(pending);
      if (inner && connected) await take(inner, pending);
      return {
        async unsubscribe() {
          pending.cancelled = true;
          subscriptions.delete(pending);
          await pending.taken?.unsubscribe();
        },
      };
    },

    close() {
      closing ??= (async () => {
        closed = true;
        // A connection attempt in progress closes what it opens when it returns (see the loop).
        wake?.();
        await inner?.close();
      })();
      return closing;
    },
  };
}
