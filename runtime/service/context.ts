// Builds the HandlerContext a hook receives, for endpoint calls (invoke) and event handlers (bus)
// alike. Clients are made on first use: most calls never touch them.
import type { Logger } from 'pino';
import type { Caller, HandlerContext } from '../context/index.js';
import type { TransportFor } from '../host/types.js';
import type { Database } from '../storage/types.js';
import type { CallOptions } from '../transport/types.js';
import type { ServiceDefinition } from './definition.js';

/** Publishes `payload` as `event` on behalf of the service; `requestId` links it to the call that caused it. */
export type ServicePublisher = (event: string, payload: unknown, requestId?: string) => Promise<void>;

/** The context type the runtime hands to hooks; generated code narrows clients and events. */
export type AnyHandlerContext = HandlerContext<object, Record<string, unknown>>;

export interface ContextFactoryOptions {
  definition: ServiceDefinition;
  createClients: (transportFor: TransportFor, call: CallOptions) => object;
  transportFor: TransportFor;
  publisher: ServicePublisher;
  /** The service's database (a service with storage): every context gets it as `ctx.db`. Default none: no `db`. */
  db?: Database | undefined;
}

export interface ContextFields {
  operation: string;
  /** Or what makes it on first use (a UUID costs a fraction of a microsecond, and a call may never need it). */
  requestId: string | DeferredField<string>;
  /**
   * Already bound to the request (requestId, operation, ...), or what makes it on the hook's first
   * use: a child logger per call costs a microsecond, and most hooks never log.
   */
  logger: Logger | DeferredField<Logger>;
  caller: Caller | null;
  deadline: number | null;
  /** Or what makes it on first use (ctx.signal, ctx.clients): an AbortSignal costs microseconds to make. */
  signal: AbortSignal | DeferredField<AbortSignal>;
}

/**
 * A context field made on first use: an object with a `make` method rather than a closure, so that a
 * caller can hand several of them in one object it makes per call anyway.
 *
 * @example
 * const requestId: DeferredField<string> = { make: () => randomUUID() };
 */
export interface DeferredField<T> {
  make(): T;
}

function isDeferred<T>(value: T | DeferredField<T>): value is DeferredField<T> {
  return typeof (value as Partial<DeferredField<T>>).make === 'function';
}

export type ContextFactory = (fields: ContextFields) => AnyHandlerContext;

/**
 * The factory of the contexts of one service's hooks.
 *
 * @param options definition, createClients, transportFor, publisher; db (default none) for a service with storage.
 * @example
 * const contextFor = createContextFactory({ definition, createClients, transportFor, publisher });
 * const ctx = contextFor({ operation: 'getUser', requestId, logger, caller: null, deadline: null, signal });
 */
export function createContextFactory(options: ContextFactoryOptions): ContextFactory {
  const { definition, createClients, transportFor, publisher } = options;
  const service = definition.name;
  // Downstream services see this service as the caller.
  const self: Caller = Object.freeze({ subject: `service:${service}`, service });
  const shared: Shared = { service, self, createClients, transportFor, publisher };
  const { db } = options;
  // A class of its own, so a service without storage has no `db` at all (not an undefined one).
  if (db) return (fields) => new StorageBackedContext(shared, fields, db);
  return (fields) => new Context(shared, fields);
}

/** What every context of one service shares. */
interface Shared {
  readonly service: string;
  readonly self: Caller;
  readonly createClients: ContextFactoryOptions['createClients'];
  readonly transportFor: TransportFor;
  readonly publisher: ServicePublisher;
}

/**
 * A hook's context. A class rather than an object literal with getters: V8 builds an instance in a
 * fraction of the time (a literal with accessors costs microseconds per call), and the parts most
 * hooks never touch (logger, signal, clients, publish) are made on first use.
 */
class Context implements AnyHandlerContext {
  readonly service: string;
  readonly operation: string;
  readonly caller: Caller | null;
  readonly deadline: number | null;
  readonly #shared: Shared;
  #requestId: string | DeferredField<string>;
  #logger: Logger | DeferredField<Logger>;
  #signal: AbortSignal | DeferredField<AbortSignal>;
  #clients: object | undefined;
  #publish: AnyHandlerContext['publish'] | undefined;

  constructor(shared: Shared, fields: ContextFields) {
    this.service = shared.service;
    this.operation = fields.operation;
    this.#requestId = fields.requestId;
    this.caller = fields.caller;
    this.deadline = fields.deadline;
    this.#shared = shared;
    this.#logger = fields.logger;
    this.#signal = fields.signal;
  }

  get requestId(): string {
    const id = this.#requestId;
    return typeof id === 'string' ? id : (this.#requestId = id.make());
  }

  get logger(): Logger {
    const logger = this.#logger;
    return isDeferred(logger) ? (this.#logger = logger.make()) : logger;
  }

  get signal(): AbortSignal {
    const signal = this.#signal;
    return isDeferred(signal) ? (this.#signal = signal.make()) : signal;
  }

  get clients(): object {
    const { createClients, transportFor, self } = this.#shared;
    this.#clients ??= createClients(transportFor, { requestId: this.requestId, deadline: this.deadline, caller: self, signal: this.signal });
    return this.#clients;
  }

  /** A function of its own, so `const { publish } = ctx` works too. */
  get publish(): AnyHandlerContext['publish'] {
    if (!this.#publish) {
      const { publisher } = this.#shared;
      const requestId = this.requestId;
      this.#publish = (event: string, payload: unknown) => publisher(event, payload, requestId);
    }
    return this.#publish;
  }
}

/** The context of a service with storage: `ctx.db` besides the rest. */
class StorageBackedContext extends Context {
  readonly db: Database;

  constructor(shared: Shared, fields: ContextFields, db: Database) {
    super(shared, fields);
    this.db = db;
  }
}
