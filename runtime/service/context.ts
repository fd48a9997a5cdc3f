// Builds the HandlerContext a hook receives, for endpoint calls (invoke) and event handlers (bus)
// alike. Clients are made on first use: most calls never touch them.
import type { Logger } from 'pino';
import type { Caller, HandlerContext } from '../context/index.js';
import type { TransportFor } from '../host/types.js';
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
}

/**
 * What a context is built from. `logger` is read when the hook first reads it, so a caller may pass
 * it as a getter that makes it on demand (a child logger bound to the request).
 *
 * @example
 * const fields: ContextFields = { operation: 'getUser', requestId, logger, caller: null, deadline: null, signal };
 */
export interface ContextFields {
  operation: string;
  requestId: string;
  /** Already bound to the request (requestId, operation, ...). */
  logger: Logger;
  caller: Caller | null;
  deadline: number | null;
  signal: AbortSignal;
}

export type ContextFactory = (fields: ContextFields) => AnyHandlerContext;

export function createContextFactory(options: ContextFactoryOptions): ContextFactory {
  const { definition, createClients, transportFor, publisher } = options;
  const service = definition.name;
  // Downstream services see this service as the caller.
  const self: Caller = Object.freeze({ subject: `service:${service}`, service });

  return (fields) => {
    let clients: object | undefined;
    const { requestId, deadline, signal } = fields;
    return {
      service,
      operation: fields.operation,
      requestId,
      get logger() {
        return fields.logger;
      },
      caller: fields.caller,
      deadline,
      signal: fields.signal,
      get clients() {
        clients ??= createClients(transportFor, { requestId, deadline, caller: self, signal });
        return clients;
      },
      // A method, not an arrow property: no per-call Object.defineProperty of its name under tsx (keepNames).
      publish(event: string, payload: unknown) {
        return publisher(event, payload, requestId);
      },
    };
  };
}
