// The Express 5 binding of a service (`binding: express`): HTTP request -> input + InvocationMeta ->
// invoke -> JSON. Route order, content checks, errors and logs are the shared modules beside this
// folder, so it answers exactly as the node binding does.
import express, { type ErrorRequestHandler, type Request, type RequestHandler, type Response } from 'express';
import type { RequestListener } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { EndpointMeter } from '../../observability/metrics/server.js';
import type { Logger } from 'pino';
import { BadRequest, InternalError, isMeshError, MethodNotAllowed, NotFound, PayloadTooLarge, UnsupportedMediaType, type MeshError } from '../../errors/index.js';
import type { EndpointDescriptor } from '../../service/definition.js';
import { createValidators } from '../../validation/index.js';
import { logWhenDone, pathOf } from '../access-log.js';
import { context } from '@opentelemetry/api';
import { activeTracer } from '../../observability/tracing/tracer.js';
import { endHttpServerSpan, httpServerPlan, startHttpServerSpan } from '../../observability/tracing/server.js';
import { withResponseSpan } from '../../observability/tracing/response-span.js';
import { readJsonBody } from '../body.js';
import { requireJsonBody } from '../content-type.js';
import { createEndpointResponder } from '../endpoint-responder.js';
import { createExtraRouteRunner } from '../extra-route-runner.js';
import { REQUEST_ID_HEADER, requestIdFrom } from '../headers.js';
import type { HttpAppOptions } from '../options.js';
import { createInputAssembler, toExpressPath } from '../params.js';
import { answerDependencies, answerProbe } from '../probes.js';
import { PROBE_PATHS } from '../../../common/probes.js';
import { METRICS_PATH } from '../../observability/metrics/scrape.js';
import { sendError, setAnswerHeaders } from '../respond.js';
import { planRoutes } from '../route-plan.js';
import { answerUnreadBody, lingerLimitsFor } from '../unread-body.js';

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

  const { metrics } = options;
  app.use((req, res, next) => {
    const requestId = requestIdFrom(req.headers[REQUEST_ID_HEADER]);
    res.locals['requestId'] = requestId;
    setAnswerHeaders(res, requestId);
    logWhenDone(logger, req, res, requestId, pathOf(req.originalUrl));
    if (metrics) countWhenDone(res, metrics.unmatched);
    next();
  });
  app.get('/health', (_req, res) => {
    res.locals[METER] = null;
    answerProbe(res, '/health', isReady);
  });
  app.get('/ready', (_req, res) => {
    res.locals[METER] = null;
    answerProbe(res, '/ready', isReady);
  });
  app.get(PROBE_PATHS.dependencies, (_req, res) => {
    res.locals[METER] = null;
    answerDependencies(res, options.dependencies);
  });
  if (metrics) {
    app.get(METRICS_PATH, (req, res) => {
      res.locals[METER] = null;
      metrics.scrape(res, req.method === 'HEAD');
    });
  }
  /** Names the series a matched route's requests count in (before its body is read: a 413 counts there too); none without metrics. */
  const meterFor = (name: string): RequestHandler[] => {
    if (!metrics) return [];
    const meter = metrics.meter(name);
    return [
      (_req, res, next) => {
        res.locals[METER] = meter;
        next();
      },
    ];
  };
  // Tracing on (a provider registered before the start): the route's server span, the rest of its chain run inside it.
  const tracer = activeTracer(definition.name);
  const traceFor = (method: string, path: string): RequestHandler[] => {
    if (!tracer) return [];
    const spanPlan = httpServerPlan(method, path);
    return [
      (req, res, next) => {
        const { span, ctx } = startHttpServerSpan(tracer, spanPlan, req.headers);
        withResponseSpan(res, span);
        res.on('close', () => endHttpServerSpan(span, res.statusCode));
        context.with(ctx, next);
      },
    ];
  };

  // The body is read by the reader the node binding uses (not body-parser): the same limits, the
  // same fixed messages, and a refused body lingered over alike (unread-body.ts).
  const linger = lingerLimitsFor(bodyLimitBytes);
  const readBody: RequestHandler = (req, res, next) => {
    let hasBody: boolean;
    try {
      hasBody = requireJsonBody(req.headers);
    } catch (err) {
      answerUnreadBody(req, res, err as MeshError, requestIdOf(res), linger, logger);
      return;
    }
    if (!hasBody) {
      next();
      return;
    }
    readJsonBody(req, bodyLimitBytes).then(
      (body) => {
        req.body = body;
        next();
      },
      (err: unknown) => {
        if (isMeshError(err)) answerUnreadBody(req, res, err, requestIdOf(res), linger, logger);
        else next(err);
      },
    );
  };
  for (const endpoint of plan.endpoints) {
    const assemble = createInputAssembler(endpoint, schemas, coercing);
    const respond = createEndpointResponder(endpoint, invoke, logger, options.trust);
    const readsQuery = endpoint.inputSource === 'query';
    const handle: RequestHandler = (req, res) =>
      respond(req, res, requestIdOf(res), () => assemble(req.params as Record<string, string>, readsQuery ? req.query : {}, req.body));
    const method = endpoint.method.toLowerCase() as Lowercase<EndpointDescriptor['method']>;
    const count = [...meterFor(endpoint.name), ...traceFor(endpoint.method, endpoint.path)];
    if (endpoint.inputSource === 'body') app[method](toExpressPath(endpoint.path), ...count, readBody, handle);
    else app[method](toExpressPath(endpoint.path), ...count, handle);
  }
  for (const route of plan.extras) {
    const run = createExtraRouteRunner(route, contextFor!, logger, options.trust);
    const method = route.method.toLowerCase() as Lowercase<typeof route.method>;
    app[method](toExpressPath(route.path), ...meterFor(`${route.method} ${route.path}`), ...traceFor(route.method, route.path), (req, res) => run(req, res, { ...(req.params as Record<string, string>) }, requestIdOf(res)));
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

function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, _next) => {
    sendError(res, fromExpressError(err, req, logger), requestIdOf(res));
  };
}

/**
 * Errors raised by Express itself (URL decoding, and body-parser's should a route use it) as
 * MeshErrors with fixed messages: what the library said goes to the log, never to the client.
 */
function fromExpressError(err: unknown, req: Request, logger: Logger): MeshError {
  if (isMeshError(err)) return err;
  const { type, status } = (err ?? {}) as { type?: string; status?: number };
  const requestId = requestIdOf(req.res as Response);
  const path = pathOf(req.originalUrl);
  if (typeof status === 'number' && status >= 400 && status < 500) {
    logger.info({ err, requestId, path }, 'request refused by Express');
    return clientError(type, status, req);
  }
  logger.error({ err, requestId, path }, 'request failed');
  return new InternalError();
}

function clientError(type: string | undefined, status: number, req: Request): MeshError {
  switch (type) {
    case 'entity.too.large':
      return new PayloadTooLarge('request body is larger than the limit');
    case 'entity.parse.failed':
      return new BadRequest('malformed JSON body');
    case 'encoding.unsupported':
      return new UnsupportedMediaType('unsupported content encoding; use gzip, deflate, br or identity');
    case 'charset.unsupported':
      return new UnsupportedMediaType('unsupported charset; send UTF-8');
  }
  // The router's one client error: a path segment with a malformed %-escape (the node binding's words).
  const segment = status === 400 ? malformedSegment(req.path) : undefined;
  return new BadRequest(segment === undefined ? 'bad request' : `Failed to decode param '${segment}'`);
}

/** The first path segment that is not valid percent-encoding. */
function malformedSegment(path: string): string | undefined {
  return path.split('/').find((segment) => {
    try {
      decodeURIComponent(segment);
      return false;
    } catch {
      return true;
    }
  });
}

/** res.locals key of the meter a request counts in: unmatched until a route names its own, null for probes. */
const METER = 'meshspecMeter';

/** Counts the request in the meter its route chose once the response closes. */
function countWhenDone(res: Response, unmatched: EndpointMeter): void {
  const started = performance.now();
  res.locals[METER] = unmatched;
  res.on('close', () => {
    const meter = res.locals[METER] as EndpointMeter | null | undefined;
    meter?.observe(res.statusCode, started);
  });
}

function requestIdOf(res: Response): string {
  return res.locals['requestId'] as string;
}
