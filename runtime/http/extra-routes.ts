// Routes a spec does not describe (a payment provider's webhook, a file upload, a legacy path),
// mounted next to the generated endpoints through the hook file's `routes` export, with either
// HTTP binding. A route gets the raw request and response (its body unread: a webhook verifies its
// signature over the raw bytes) and the same context an endpoint hook gets (clients, publish,
// logger, request id).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AnyHandlerContext } from '../service/context.js';

/** The methods an extra route may answer. */
export type ExtraRouteMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD' | 'OPTIONS';

/**
 * One extra route. The spec's endpoints win: an extra route with the method and path of an endpoint,
 * or on `/health` or `/ready`, is a startup error. A MeshError it throws is answered like an
 * endpoint's (its status and JSON error body); anything else is logged and answered 500.
 *
 * @example
 * export const routes: PaymentsRoutes = [
 *   {
 *     method: 'POST',
 *     path: '/webhooks/{provider}',
 *     async handle(req, res, params, ctx) {
 *       const raw = await readRawBody(req, 64 * 1024);
 *       await ctx.publish('payment.completed', parseProviderEvent(params.provider, raw));
 *       res.writeHead(204).end();
 *     },
 *   },
 * ];
 */
export interface ExtraRoute<Context = AnyHandlerContext> {
  readonly method: ExtraRouteMethod;
  /** The path, with `{param}` placeholders like the spec's, e.g. `/webhooks/{provider}`. */
  readonly path: string;
  /** Answers the request; the request body is unread. */
  handle(req: IncomingMessage, res: ServerResponse, params: Readonly<Record<string, string>>, ctx: Context): void | Promise<void>;
}

/**
 * What a hook file's `routes` export is: the generated `<Service>Routes` is this with the service's context.
 *
 * @example
 * export const routes: ExtraRoutes = [];
 */
export type ExtraRoutes<Context = AnyHandlerContext> = readonly ExtraRoute<Context>[];
