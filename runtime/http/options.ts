// What either HTTP binding is built from (runtime/http/server.ts picks one by `definition.binding`).
import type { Logger } from 'pino';
import type { ContextFactory } from '../service/context.js';
import type { ServiceDefinition } from '../service/definition.js';
import type { Invoke } from '../service/invoke.js';
import type { SchemaRegistry } from '../validation/types.js';
import type { CallerTrust } from '../identity/trust.js';
import type { ExtraRoutes } from './extra-routes.js';
import type { HttpBindingMetrics } from '../observability/metrics/http.js';
import type { ReadinessSource } from './probes.js';

/**
 * The options of `createHttpApp`.
 *
 * @example
 * const options: HttpAppOptions = { definition, invoke, schemas, logger, bodyLimitBytes: 1_048_576, isReady: () => true };
 */
export interface HttpAppOptions {
  definition: ServiceDefinition;
  invoke: Invoke;
  /** The mesh's schemas: path params and query strings are coerced to what the input type says. */
  schemas: SchemaRegistry;
  logger: Logger;
  /** The largest JSON body accepted (bytes, after content decoding); larger ones get 413. */
  bodyLimitBytes: number;
  /** False before startup completes and once shutdown starts; a promise when it asks a database (answered when it settles). */
  isReady: ReadinessSource;
  /** Makes the body of GET /health/dependencies (the callees as seen from here); default an empty list. */
  dependencies?: () => Promise<unknown>;
  /** Routes the spec does not describe, tried after its endpoints. Default none. */
  routes?: ExtraRoutes;
  /** Makes the handler context an extra route gets; required when `routes` is not empty. */
  contextFor?: ContextFactory;
  /** Which caller identity is believed: signed with identity keys, or the unsigned header (the default, development). */
  trust?: CallerTrust;
  /** Counts requests per endpoint and answers GET /metrics; default none (no /metrics, nothing counted). */
  metrics?: HttpBindingMetrics;
}
