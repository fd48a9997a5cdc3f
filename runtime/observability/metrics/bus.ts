// The bus: events a service publishes, and how its handlers fare with the events it receives, per
// event. Measured around the bus the service hands its publisher and subscriptions, so every adapter
// (memory, Redis, RabbitMQ) is counted alike.
import { performance } from 'node:perf_hooks';
import { Counter, Gauge, type Registry } from 'prom-client';
import { DEFAULT_BUS } from '../../bus/settings.js';
import { UnprocessableEvent, type EnvelopeHandler, type EventBus } from '../../bus/types.js';
import { TimedSeries, type TimedChild } from './timed-series.js';

/** How long a scrape waits for the broker's consumer lag before leaving it out, ms. */
const LAG_TIMEOUT_MS = 1_000;

/** Envelopes whose failed deliveries are remembered (to tell a retry from a first delivery); the oldest go first. */
const REMEMBERED_FAILURES = 10_000;

interface EventChildren {
  readonly ok: TimedChild;
  readonly failed: TimedChild;
  readonly retried: Counter.Internal;
  readonly deadLettered: Counter.Internal;
}

/**
 * The bus metrics of one service.
 *
 * @example
 * const bus = new BusMetrics(registry);
 * const publishing = bus.meterPublishes(settings.bus);
 * const subscribing = bus.meterSubscriptions(settings.bus);
 */
export class BusMetrics {
  readonly #published: Counter<string>;
  readonly #handled: TimedSeries;
  readonly #retried: Counter<string>;
  readonly #deadLettered: Counter<string>;
  readonly #publishedBy = new Map<string, Counter.Internal>();
  readonly #handledBy = new Map<string, EventChildren>();
  readonly #registry: Registry;
  /** The subscriptions whose consumer lag the broker can tell, by event; the lag gauge is made with the first. */
  readonly #lagged = new Map<string, { bus: EventBus; group: string }>();

  /**
   * @param registry - the service's registry
   */
  constructor(registry: Registry) {
    const registers = [registry];
    this.#registry = registry;
    this.#published = new Counter({ name: 'meshspec_bus_published_total', help: 'Events this service published (handed to the bus, or written to its outbox), by event.', labelNames: ['event'], registers });
    this.#handled = new TimedSeries(registry, {
      total: 'meshspec_bus_handled_total',
      help: "Deliveries this service's event hooks handled, by event and outcome (ok, failed).",
      duration: 'meshspec_bus_handler_duration_seconds',
      durationHelp: 'Time an event hook took, validation included, by event and outcome.',
    });
    this.#retried = new Counter({ name: 'meshspec_bus_retried_total', help: 'Failed deliveries that the bus delivers again, by event (attempts as this replica counted them).', labelNames: ['event'], registers });
    this.#deadLettered = new Counter({ name: 'meshspec_bus_dead_lettered_total', help: 'Failed deliveries that were the last (an unprocessable event, or the last attempt), by event.', labelNames: ['event'], registers });
  }

  /**
   * `bus` with each publish counted once the bus (or outbox) took it.
   *
   * @param bus - the bus (or outbox bus) the service's publisher writes to
   * @example
   * createPublisher({ definition, events, validators, bus: metrics.bus.meterPublishes(outbox?.bus ?? bus) });
   */
  meterPublishes(bus: EventBus): EventBus {
    return {
      publish: async (envelope) => {
        await bus.publish(envelope);
        this.#publishedChild(envelope.event).inc();
      },
      subscribe: (event, group, handler, options) => bus.subscribe(event, group, handler, options),
      close: () => bus.close(),
      ...(bus.maxAttempts === undefined ? {} : { maxAttempts: bus.maxAttempts }),
    };
  }

  /**
   * `bus` with each delivery to a handler counted and timed, and its failures told apart (retried or last).
   *
   * @param bus - the bus the service subscribes on
   * @example
   * await subscribeAll({ ...options, bus: metrics.bus.meterSubscriptions(bus) });
   */
  meterSubscriptions(bus: EventBus): EventBus {
    return {
      publish: (envelope) => bus.publish(envelope),
      subscribe: (event, group, handler, options) => {
        if (bus.consumerLag) this.#watchLag(event, group, bus);
        // The subscription's own limit, else the bus's (the spec's runtime.bus.maxAttempts), as the bus counts.
        return bus.subscribe(event, group, this.#metered(event, handler, options?.maxAttempts ?? bus.maxAttempts ?? DEFAULT_BUS.maxAttempts), options);
      },
      close: () => bus.close(),
      ...(bus.maxAttempts === undefined ? {} : { maxAttempts: bus.maxAttempts }),
    };
  }

  #watchLag(event: string, group: string, bus: EventBus): void {
    if (this.#lagged.size === 0) {
      const lagged = this.#lagged;
      new Gauge({
        name: 'meshspec_bus_consumer_lag',
        help: "Entries of an event's stream not yet delivered to this service, as the broker tells it (Redis 7 XINFO GROUPS lag), by event.",
        labelNames: ['event'],
        registers: [this.#registry],
        async collect() {
          this.reset();
          const figures = await Promise.all([...lagged].map(async ([name, { bus: lagBus, group: lagGroup }]) => [name, await lagWithin(lagBus, name, lagGroup)] as const));
          for (const [name, lag] of figures) if (lag !== null) this.set({ event: name }, lag);
        },
      });
    }
    this.#lagged.set(event, { bus, group });
  }

  #metered(event: string, handler: EnvelopeHandler, maxAttempts: number): EnvelopeHandler {
    const children = this.#handledChildren(event);
    const failures = new Map<string, number>();
    return async (envelope) => {
      const started = performance.now();
      try {
        await handler(envelope);
      } catch (err) {
        children.failed.observe((performance.now() - started) / 1000);
        const attempts = (failures.get(envelope.id) ?? 0) + 1;
        if (err instanceof UnprocessableEvent || attempts >= maxAttempts) {
          failures.delete(envelope.id);
          children.deadLettered.inc();
        } else {
          if (failures.size >= REMEMBERED_FAILURES && !failures.has(envelope.id)) failures.delete(failures.keys().next().value as string);
          failures.set(envelope.id, attempts);
          children.retried.inc();
        }
        throw err;
      }
      children.ok.observe((performance.now() - started) / 1000);
      if (failures.size > 0) failures.delete(envelope.id);
    };
  }

  #publishedChild(event: string): Counter.Internal {
    let child = this.#publishedBy.get(event);
    if (child === undefined) this.#publishedBy.set(event, (child = this.#published.labels(event)));
    return child;
  }

  #handledChildren(event: string): EventChildren {
    let children = this.#handledBy.get(event);
    if (children === undefined) {
      children = {
        // Made at subscription, so both outcomes show at 0 from the start.
        ok: this.#handled.child({ event, outcome: 'ok' }),
        failed: this.#handled.child({ event, outcome: 'failed' }),
        retried: this.#retried.labels(event),
        deadLettered: this.#deadLettered.labels(event),
      };
      // Shown at 0 from the subscription on: a rate over a series that appears late misses its first increase.
      for (const counter of [children.retried, children.deadLettered]) counter.inc(0);
      this.#handledBy.set(event, children);
    }
    return children;
  }
}

/** The broker's lag of `group` on `event`, or null when it does not answer within LAG_TIMEOUT_MS (or fails). */
async function lagWithin(bus: EventBus, event: string, group: string): Promise<number | null> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), LAG_TIMEOUT_MS)));
  try {
    return await Promise.race([bus.consumerLag!(event, group).catch(() => null), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
