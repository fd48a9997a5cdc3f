// The typed side of events, between hooks and an EventBus adapter: publishing checks the event is
// the service's to publish and that its payload matches the schema; subscribing checks incoming
// payloads before a hook sees them.
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { Caller, EventContext, EventOnceOptions } from '../context/index.js';
import { createMemoryIdempotencyStore } from '../idempotency/memory.js';
import { once } from '../idempotency/once.js';
import type { IdempotencyStore } from '../idempotency/types.js';
import { StartupError } from '../host/startup-error.js';
import type { ContextFactory, ServicePublisher } from '../service/context.js';
import type { EventCatalog, ServiceDefinition } from '../service/definition.js';
import { describeIssues } from '../validation/issues.js';
import type { Validators } from '../validation/types.js';
import { UnprocessableEvent, type BusSubscription, type EnvelopeHandler, type EventBus, type EventEnvelope } from './types.js';
import { currentPayload } from './versions.js';

export * from './types.js';
export { currentPayload, takenVersions, type EventCatalogEntry, type UpgradeFunction, type VersionedReading } from './versions.js';
export { createMemoryBus, ReplayRefused, type DeadLetter, type EventCounts, type GroupCounts, type MemoryBus, type MemoryBusOptions } from './memory.js';
export { createMemoryDeadLetters } from './memory-dead-letters.js';
export { replayDeadLetters, type ReplayOptions, type ReplayOutcome } from './replay.js';
export { createConnectingBus, type ConnectingBus, type ConnectingBusOptions } from './connecting.js';
export {
  BUS_KINDS,
  DEFAULT_BUS,
  DEFAULT_NAMESPACE,
  LOCAL_BUS_URLS,
  busSettingsFromEnv,
  redactUrl,
  type BusDefaults,
  type BusKind,
  type BusSettings,
} from './settings.js';
export type { ServicePublisher } from '../service/context.js';

/** A publish the spec does not allow, or an invalid payload: a bug in the publishing service (500). */
export class PublishError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PublishError';
  }
}

export interface PublisherOptions {
  definition: ServiceDefinition;
  events: EventCatalog;
  validators: Validators;
  bus: EventBus;
}

export function createPublisher(options: PublisherOptions): ServicePublisher {
  const { definition, events, validators, bus } = options;
  const service = definition.name;
  const allowed = new Set(definition.publishes);
  for (const event of allowed) {
    if (!events[event]) {
      throw new StartupError(`${service} publishes '${event}', which is not in the event catalog`, { service });
    }
  }
  const allowedList = allowed.size > 0 ? [...allowed].join(', ') : 'none';

  return async (event, payload, requestId) => {
    const entry = allowed.has(event) ? events[event] : undefined;
    if (!entry) {
      throw new PublishError(`${service} may not publish '${event}': the events it may publish are ${allowedList}`);
    }
    const result = validators.validate(entry.payload, payload);
    if (!result.ok) {
      throw new PublishError(`${service} tried to publish an invalid '${event}' (${entry.payload}): ${describeIssues(result.issues)}`);
    }
    await bus.publish({
      id: randomUUID(),
      event,
      version: entry.version,
      source: service,
      time: new Date().toISOString(),
      ...(requestId ? { requestId } : {}),
      payload,
    });
  };
}

export interface SubscribeAllOptions {
  definition: ServiceDefinition;
  /** The user's event hooks by handler name. */
  subscriptions: object | undefined;
  /** The user's upgrade hooks by name (older event versions still accepted); needed when a subscription names one. */
  upgrades?: object | undefined;
  events: EventCatalog;
  validators: Validators;
  bus: EventBus;
  contextFor: ContextFactory;
  logger: Logger;
  /** Where `ctx.once` records the effects that ran (see EventContext.once); default a memory store. */
  idempotency?: IdempotencyStore;
  /**
   * Runs each `ctx.once` (the effect and its record) as one unit. A service with storage passes its
   * database's transaction, with the store in that database: the effect's writes, its events (through
   * the outbox) and the record commit together, so a redelivery after a crash finds either both or
   * neither. Default: none.
   */
  transaction?: <T>(work: () => Promise<T>) => Promise<T>;
}

export interface ServiceSubscriptions {
  /** Unsubscribes every handler and waits for the ones running. */
  close(): Promise<void>;
}

type EventHook = (payload: unknown, ctx: unknown) => Promise<unknown>;

// Event handlers have no caller waiting on them, so nothing aborts their signal.
const NEVER_ABORTED = new AbortController().signal;

/**
 * Throws a message naming every subscription whose hook, upgrade hook or event is missing (fail fast
 * at startup).
 *
 * @param definition - the service's subscriptions, with the upgrade hooks each names
 * @param subscriptions - the hook file's `subscriptions`
 * @param events - the event catalog
 * @param upgrades - the hook file's `upgrades`, when it has some
 * @example
 * checkSubscriptions(mailerDefinition, subscriptions, events, upgrades); // throws StartupError when one is missing
 */
export function checkSubscriptions(
  definition: ServiceDefinition,
  subscriptions: object | undefined,
  events: EventCatalog,
  upgrades?: object,
): void {
  const problems: string[] = [];
  for (const { event, handler, upgrades: upgradeHooks } of definition.subscriptions) {
    if (!events[event]) problems.push(`'${event}' is not in the event catalog`);
    const hook = (subscriptions as Record<string, unknown> | undefined)?.[handler];
    if (typeof hook !== 'function') problems.push(`no hook '${handler}' for event '${event}'`);
    for (const [version, name] of Object.entries(upgradeHooks ?? {})) {
      const upgrade = (upgrades as Record<string, unknown> | undefined)?.[name];
      if (typeof upgrade !== 'function') problems.push(`no upgrade hook '${name}' for version ${version} of '${event}' (export it in the service's upgrades)`);
    }
  }
  if (problems.length > 0) {
    throw new StartupError(
      `${definition.name} cannot subscribe: ${problems.join('; ')} (export it in the service's subscriptions)`,
      { service: definition.name },
    );
  }
}

/**
 * How `ctx.once` runs an effect: recorded in `idempotency` under its key, the effect and its record
 * in one `transaction` when the service has a database (so they commit together).
 *
 * @param idempotency - where effects that ran are recorded
 * @param transaction - the service's unit of work; default none
 * @example
 * const runOnce = onceRunner(store, (work) => db.transaction(() => work()));
 * await runOnce('payments:chargeOrder:evt-1', () => charge(), undefined);
 */
export function onceRunner(idempotency: IdempotencyStore, transaction?: <T>(work: () => Promise<T>) => Promise<T>): EventContextFields['runOnce'] {
  return <T>(key: string, effect: () => Promise<T>, leaseMs: number | undefined): Promise<T> => {
    const run = () => once(idempotency, key, effect, leaseMs === undefined ? {} : { leaseMs });
    return transaction ? transaction(run) : run();
  };
}

/**
 * What {@link eventContext} needs to make the context of one delivery.
 *
 * @example
 * const fields: EventContextFields = { service: 'payments', handler: 'chargeOrder', envelope, contextFor, logger, runOnce };
 */
export interface EventContextFields {
  readonly service: string;
  /** The hook's name: the context's `operation`, and part of `ctx.once`'s keys. */
  readonly handler: string;
  readonly envelope: EventEnvelope;
  readonly contextFor: ContextFactory;
  /** Already bound to the delivery (requestId, operation, eventId). */
  readonly logger: Logger;
  /** Runs `ctx.once`'s effect under its key, once (with its record, in the service's transaction when it has one). */
  readonly runOnce: <T>(key: string, effect: () => Promise<T>, leaseMs: number | undefined) => Promise<T>;
}

/**
 * The context an event hook gets for one delivery: the service's context with the publisher as the
 * caller, no deadline, `ctx.event` and `ctx.once` (keyed `<service>:<handler>:<event id>[:<step>]`).
 * Event hooks and the compensations of choreographed sagas (runtime/saga/choreography) share it.
 *
 * @param fields - service, handler, envelope, contextFor, logger, runOnce
 * @example
 * await hook(envelope.payload, eventContext({ service: 'payments', handler: 'chargeOrder', envelope, contextFor, logger, runOnce }));
 */
export function eventContext(fields: EventContextFields): EventContext<object, Record<string, unknown>> {
  const { service, handler, envelope, contextFor, logger, runOnce } = fields;
  const caller: Caller = { subject: `service:${envelope.source}`, service: envelope.source };
  const base = contextFor({ operation: handler, requestId: envelope.requestId ?? envelope.id, logger, caller, deadline: null, signal: NEVER_ABORTED });
  const keyOf = (step: string | undefined) => `${service}:${handler}:${envelope.id}${step === undefined ? '' : `:${step}`}`;
  return Object.assign(base, {
    event: { id: envelope.id, name: envelope.event, version: envelope.version, source: envelope.source, time: envelope.time },
    once: <T>(effect: () => Promise<T>, onceOptions: EventOnceOptions = {}) => runOnce(keyOf(onceOptions.step), effect, onceOptions.leaseMs),
  });
}

export async function subscribeAll(options: SubscribeAllOptions): Promise<ServiceSubscriptions> {
  const { definition, subscriptions, upgrades, events, validators, bus, contextFor, logger, transaction } = options;
  const runOnce = onceRunner(options.idempotency ?? createMemoryIdempotencyStore(), transaction);
  checkSubscriptions(definition, subscriptions, events, upgrades);
  const taken: BusSubscription[] = [];
  const close = async () => {
    await Promise.all(taken.splice(0).map((s) => s.unsubscribe()));
  };

  try {
    for (const { event, handler, maxAttempts, upgrades: upgradeHooks } of definition.subscriptions) {
      const hooks = subscriptions as Record<string, EventHook>;
      const hook = hooks[handler] as EventHook;
      const entry = events[event] as EventCatalog[string];

      const onEnvelope: EnvelopeHandler = async (envelope) => {
        const requestId = envelope.requestId ?? envelope.id;
        const log = logger.child({ requestId, operation: handler, eventId: envelope.id });
        const ctx = eventContext({ service: definition.name, handler, envelope, contextFor, logger: log, runOnce });
        // An accepted older version is upgraded by the hook the definition names, with the same context.
        const upgrade = (version: number) => {
          const name = upgradeHooks?.[version];
          const fn = name === undefined ? undefined : (upgrades as Record<string, EventHook> | undefined)?.[name];
          return fn && ((payload: unknown) => fn.call(upgrades, payload, ctx));
        };
        let payload: unknown;
        try {
          payload = await currentPayload(envelope, { service: definition.name, entry, validators, upgrade });
        } catch (err) {
          if (err instanceof UnprocessableEvent) log.error({ version: envelope.version }, err.message);
          throw err;
        }
        await hook.call(subscriptions, payload, ctx);
      };

      taken.push(await bus.subscribe(event, definition.name, onEnvelope, maxAttempts === undefined ? undefined : { maxAttempts }));
    }
  } catch (err) {
    await close();
    throw err;
  }
  return { close };
}
