// The binding a service runs, loaded as it needs: the node binding is always at hand, Express only
// when the definition asks for it, so a service on the default binding never loads Express.
import type { RequestListener } from 'node:http';
import { createNodeApp } from './node/server.js';
import type { HttpAppOptions } from './options.js';

/**
 * The request listener of the binding `options.definition.binding` names (default `node`).
 *
 * @param options - see HttpAppOptions
 * @throws Error when an extra route is invalid, clashes with an endpoint or a probe, or routes come without contextFor
 * @example
 * const app = await loadHttpApp({ definition, invoke, schemas, logger, bodyLimitBytes: 1_048_576, isReady: () => true });
 */
export async function loadHttpApp(options: HttpAppOptions): Promise<RequestListener> {
  if (options.definition.binding !== 'express') return createNodeApp(options);
  const { createExpressApp } = await import('./express/server.js');
  return createExpressApp(options);
}
