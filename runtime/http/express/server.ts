// The Express 5 binding of a service (`binding: express`): HTTP request -> input + InvocationMeta ->
// invoke -> JSON. Route order, content checks, errors and logs are the shared modules beside this
// folder, so it answers exactly as the node binding does.
import express, { type ErrorRequestHandler, type Request, type RequestHandler, type Response } from 'express';
import type { RequestListener } from 'node:http';
import type { Logger } from 'pino';
import { BadRequest, InternalError, isMeshError, MethodNotAllowed, NotFound, PayloadTooLarge, UnsupportedMediaType, type MeshError } from '../../errors/index.js';
import type { EndpointDescriptor } from '../../service/definition.js';
import { createValidators } from '../../validation/index.js';
import { logWhenDone, pathOf } from '../access-log.js';
import { requireJsonBody } from '../content-type.js';
import { createEndpointResponder } from '../endpoint-responder.js';
import { createExtraRouteRunner } from '../extra-route-runner.js';
import { REQUEST_ID_HEADER, requestIdFrom } from '../headers.js';
import type { HttpAppOptions } from '../options.js';
import { createInputAssembler, toExpressPath } from '../params.js';
import { answerProbe } from '../probes.js';
import { sendError } from '../respond.js';
import { planRoutes } from '../route-plan.js';

const JSON_TYPES = ['application/json', 'application/*+json'];

/**
 * The Express app of a service, as a request listener for node:http.
 *
 * @param options - see HttpAppOptions
 * @throws Error when an extra route is invalid or unreachable, or routes come without contextFor
 * @example
 * createServer(createExpressApp({ definition, invoke, schemas, logger, bodyLimitBytes: 1_048_576, isReady }));
 */
export function createExpressApp(options: HttpAppOptions): RequestListener {
  const { definition, invoke, schemas, logger, bodyLimitBytes, isReady, contextFor } = options;
  const plan = planRoutes(definition, options.routes);
  if (plan.extras.length > 0 && !contextFor) throw new Error('extra routes need contextFor: the handler context they get');
  const coercing = createValidators(schemas, { coerce: true });
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);

  app.use((req, res, next) => {
    const requestId = requestIdFrom(req.headers[REQUEST_ID_HEADER]);
    res.locals['requestId'] = requestId;
    res.setHeader(REQUEST_ID_HEADER, requestId);
    logWhenDone(logger, req, res, requestId, pathOf(req.originalUrl));
    next();
  });
  app.get('/health', (_req, res) => answerProbe(res, '/health', isReady));
  app.get('/ready', (_req, res) => answerProbe(res, '/ready', isReady));

  // Not strict: any JSON value parses, so that a body that is not an object (`null`, a list) gets
  // a message saying so rather than "malformed" (input assembly rejects it).
  const parseJson = express.json({ limit: bodyLimitBytes, type: JSON_TYPES, strict: false });
  for (const endpoint of plan.endpoints) {
    const assemble = createInputAssembler(endpoint, schemas, coercing);
    const respond = createEndpointResponder(endpoint, invoke, logger);
    const readsQuery = endpoint.inputSource === 'query';
    const handle: RequestHandler = (req, res) =>
      respond(req, res, requestIdOf(res), () => assemble(req.params as Record<string, string>, readsQuery ? req.query : {}, req.body));
    const method = endpoint.method.toLowerCase() as Lowercase<EndpointDescriptor['method']>;
    if (endpoint.inputSource === 'body') app[method](toExpressPath(endpoint.path), requireJson, parseJson, handle);
    else app[method](toExpressPath(endpoint.path), handle);
  }
  for (const route of plan.extras) {
    const run = createExtraRouteRunner(route, contextFor!, logger);
    const method = route.method.toLowerCase() as Lowercase<typeof route.method>;
    app[method](toExpressPath(route.path), (req, res) => run(req, res, { ...(req.params as Record<string, string>) }, requestIdOf(res)));
  }

  // Registered after every route, so a path served under another method is still found first.
  for (const { path, allow } of plan.allowed) {
    app.all(toExpressPath(path), (req, res) => {
      res.setHeader('Allow', allow);
      sendError(res, new MethodNotAllowed(`${req.method} is not allowed here; use ${allow}`), requestIdOf(res));
    });
  }

  app.use((req, res) => {
    sendError(res, new NotFound(`no route for ${req.method} ${pathOf(req.originalUrl)}`), requestIdOf(res));
  });
  app.use(errorHandler(logger));
  return app;
}

const requireJson: RequestHandler = (req, res, next) => {
  try {
    requireJsonBody(req.headers);
  } catch (err) {
    sendError(res, err as MeshError, requestIdOf(res));
    return;
  }
  next();
};

function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, _next) => {
    sendError(res, fromExpressError(err, req, logger), requestIdOf(res));
  };
}

/** Errors raised by Express itself (body parsing, URL decoding) as MeshErrors. */
function fromExpressError(err: unknown, req: Request, logger: Logger): MeshError {
  if (isMeshError(err)) return err;
  const { type, status, limit } = (err ?? {}) as { type?: string; status?: number; limit?: number };
  switch (type) {
    case 'entity.too.large':
      return new PayloadTooLarge(`request body is larger than the limit of ${limit} bytes`);
    case 'entity.parse.failed':
      return new BadRequest('malformed JSON body');
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new UnsupportedMediaType((err as Error).message);
  }
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return new BadRequest((err as Error).message);
  }
  logger.error({ err, requestId: requestIdOf(req.res as Response), path: pathOf(req.originalUrl) }, 'request failed');
  return new InternalError();
}

function requestIdOf(res: Response): string {
  return res.locals['requestId'] as string;
}
