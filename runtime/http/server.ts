// A service's HTTP binding, chosen by its definition: `node` (the default, runtime/http/node/) or
// `express` (runtime/http/express/). Both answer alike; the spec's `http.binding` picks one.
import type { RequestListener } from 'node:http';
import { createExpressApp } from './express/server.js';
import { createNodeApp } from './node/server.js';
import type { HttpAppOptions } from './options.js';

export type { HttpAppOptions } from './options.js';

/**
 * The request listener serving a service's endpoints, probes and extra routes.
 *
 * @param options - see HttpAppOptions; `options.definition.binding` picks the binding (default `node`)
 * @throws Error when an extra route is invalid, clashes with an endpoint or a probe, or routes come without contextFor
 * @example
 * const server = createServer(createHttpApp({ definition, invoke, schemas, logger, bodyLimitBytes: 1_048_576, isReady: () => true }));
 */
export function createHttpApp(options: HttpAppOptions): RequestListener {
  return options.definition.binding === 'express' ? createExpressApp(options) : createNodeApp(options);
}
