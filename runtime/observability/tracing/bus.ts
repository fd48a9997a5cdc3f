// Messaging spans: a PRODUCER span per event published (its trace context written into the
// envelope), and a CONSUMER span per delivery handled, the child of the publisher's span whose
// context the envelope carried (a redelivery is another child of the same publish).
import { context, propagation, ROOT_CONTEXT, SpanKind, type Tracer } from '@opentelemetry/api';
import type { EventBus, EventEnvelope } from '../../bus/types.js';
import { ENVELOPE_GETTER, ENVELOPE_SETTER, type EnvelopeTraceContext } from './carriers.js';
import { endWithError, plan, startChild, type SpanPlan } from './server.js';

/**
 * The messaging system of a bus for `messaging.system` (its adapter), `meshspec` when unknown.
 *
 * @param bus - the process's bus
 * @example
 * messagingSystemOf(bus); // 'redis'
 */
export function messagingSystemOf(bus: EventBus): string {
  // The process's bus says what it is (`memory`, `redis at ...`, `rabbitmq at ...`, runtime/host/event-bus.ts).
  const description = (bus as { description?: unknown }).description;
  if (typeof description === 'string') return description.split(' ')[0] || 'meshspec';
  // A memory bus made directly (the dev stack, tests) is the one with `idle`.
  return typeof (bus as { idle?: unknown }).idle === 'function' ? 'memory' : 'meshspec';
}

/** Span plans per event and operation, made on first use. */
class MessagingPlans {
  readonly #plans = new Map<string, SpanPlan>();
  constructor(private readonly system: string, private readonly group: string) {}
  of(operation: 'send' | 'process', event: string): SpanPlan {
    const key = `${operation} ${event}`;
    let found = this.#plans.get(key);
    if (!found) {
      const attributes: Record<string, string> = {
        'messaging.system': this.system,
        'messaging.destination.name': event,
        'messaging.operation.type': operation,
        'messaging.operation.name': operation === 'send' ? 'publish' : 'process',
      };
      if (operation === 'process') attributes['messaging.consumer.group.name'] = this.group;
      found = plan(key, operation === 'send' ? SpanKind.PRODUCER : SpanKind.CONSUMER, attributes);
      this.#plans.set(key, found);
    }
    return found;
  }
}

/**
 * `bus` with a PRODUCER span around each publish and its trace context in the envelope.
 *
 * @param bus - the bus the service's publisher writes to
 * @param tracer - the service's tracer
 * @param service - the publishing service
 * @param system - `messaging.system`
 * @example
 * const publishing = tracePublishes(bus, tracer, 'orders', 'redis');
 */
export function tracePublishes(bus: EventBus, tracer: Tracer, service: string, system: string): EventBus {
  const plans = new MessagingPlans(system, service);
  return {
    publish: (envelope) => {
      const { span, ctx } = startChild(tracer, plans.of('send', envelope.event));
      if (span.isRecording()) span.setAttribute('messaging.message.id', envelope.id);
      const carried: EnvelopeTraceContext = {};
      propagation.inject(ctx, carried, ENVELOPE_SETTER);
      const traced: EventEnvelope = carried.traceparent ? { ...envelope, ...carried } : envelope;
      return context.with(ctx, () => bus.publish(traced)).then(
        () => span.end(),
        (err: unknown) => {
          endWithError(span, err);
          throw err;
        },
      );
    },
    subscribe: (event, group, handler, options) => bus.subscribe(event, group, handler, options),
    close: () => bus.close(),
    ...(bus.consumerLag ? { consumerLag: bus.consumerLag.bind(bus) } : {}),
    ...(bus.maxAttempts === undefined ? {} : { maxAttempts: bus.maxAttempts }),
  };
}

/**
 * `bus` whose handlers each run inside a CONSUMER span, the child of the event's publish.
 *
 * @param bus - the bus the service subscribes on
 * @param tracer - the service's tracer
 * @param service - the consuming service (its group)
 * @param system - `messaging.system`
 * @example
 * await subscribeAll({ ...options, bus: traceSubscriptions(bus, tracer, 'payments', 'redis') });
 */
export function traceSubscriptions(bus: EventBus, tracer: Tracer, service: string, system: string): EventBus {
  const plans = new MessagingPlans(system, service);
  return {
    publish: (envelope) => bus.publish(envelope),
    subscribe: (event, group, handler, options) => {
      const spanPlan = plans.of('process', event);
      return bus.subscribe(
        event,
        group,
        (envelope) => {
          const parent = propagation.extract(ROOT_CONTEXT, envelope as EnvelopeTraceContext, ENVELOPE_GETTER);
          const { span, ctx } = startChild(tracer, spanPlan, parent);
          if (span.isRecording()) span.setAttribute('messaging.message.id', envelope.id);
          return context.with(ctx, () => handler(envelope)).then(
            () => span.end(),
            (err: unknown) => {
              endWithError(span, err);
              throw err;
            },
          );
        },
        options,
      );
    },
    close: () => bus.close(),
    ...(bus.consumerLag ? { consumerLag: bus.consumerLag.bind(bus) } : {}),
    ...(bus.maxAttempts === undefined ? {} : { maxAttempts: bus.maxAttempts }),
  };
}
