// Running an extra route (extra-routes.ts) in either binding: its handler context, and its errors
// answered like an endpoint's.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { InternalError, isMeshError } from '../errors/index.js';
import type { ContextFactory } from '../service/context.js';
import { DisconnectSignal } from './disconnect.js';
import type { ExtraRoute } from './extra-routes.js';
import { UNSIGNED_TRUST, type CallerTrust } from '../identity/trust.js';
import { callerOfRequest, DEADLINE_HEADER, deadlineFrom } from './headers.js';
import { sendError } from './respond.js';

/**
 * Runs one extra route for a request whose params are decoded.
 *
 * @example
 * const run: ExtraRouteRunner = createExtraRouteRunner(route, contextFor, logger);
 */
export type ExtraRouteRunner = (req: IncomingMessage, res: ServerResponse, params: Record<string, string>, requestId: string) => Promise<void>;

/**
 * Prepares running `route`: its context's operation is `METHOD /path`.
 *
 * @param route - the extra route
 * @param contextFor - makes its handler context
 * @param logger - the service's logger
 * @param trust - which caller identity is believed (default: the unsigned header, development)
 * @example
 * const run = createExtraRouteRunner(route, contextFor, logger);
 * await run(req, res, { provider: 'acme' }, requestId);
 */
export function createExtraRouteRunner(route: ExtraRoute, contextFor: ContextFactory, logger: Logger, trust: CallerTrust = UNSIGNED_TRUST): ExtraRouteRunner {
  const operation = `${route.method} ${route.path}`;
  return async (req, res, params, requestId) => {
    const log = logger.child({ requestId, operation });
    try {
      const ctx = contextFor({
        operation,
        requestId,
        logger: log,
        caller: callerOfRequest(req, trust),
        deadline: deadlineFrom(req.headers[DEADLINE_HEADER]),
        signal: new DisconnectSignal(res),
      });
      await route.handle(req, res, params, ctx);
    } catch (err) {
      if (isMeshError(err)) {
        sendError(res, err, requestId);
        return;
      }
      log.error({ err }, `extra route ${operation} failed with an unexpected error; answering 500`);
      sendError(res, new InternalError(), requestId);
    }
  };
}
