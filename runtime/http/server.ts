// The Express 5 binding of a service: HTTP request -> input + InvocationMeta -> invoke -> JSON.
// Everything per endpoint (route path, input assembly, body parsing) is prepared at startup.
import { performance } from 'node:perf_hooks';
import express, { type ErrorRequestHandler, type Express, type Request, type RequestHandler, type Response } from 'express';
import type { Logger } from 'pino';
import {
  BadRequest,
  InternalError,
  isMeshError,
  MethodNotAllowed,
  NotFound,
  PayloadTooLarge,
  UnsupportedMediaType,
  type MeshError,
} from '../errors/index.js';
import type { EndpointDescriptor, ServiceDefinition } from '../service/definition.js';
import type { InvocationMeta, Invoke } from '../service/invoke.js';
import { createValidators } from '../validation/index.js';
import type { SchemaRegistry } from '../validation/types.js';
import { CALLER_HEADER, callerFrom, DEADLINE_HEADER, deadlineFrom, IDEMPOTENCY_KEY_HEADER, REQUEST_ID_HEADER, requestIdFrom } from './headers.js';
import { bySpecificity, createInputAssembler, toExpressPath, type InputAssembler } from './params.js';

export interface HttpAppOptions {
  definition: ServiceDefinition;
  invoke: Invoke;
  /** The mesh's schemas: path params and query strings are coerced to what the input type says. */
  schemas: SchemaRegistry;
  logger: Logger;
  bodyLimitBytes: number;
  /** False before startup completes and once shutdown starts. */
  isReady: () => boolean;
}

const JSON_TYPES = ['application/json', 'application/*+json'];
// Probes hit these every few seconds: log them at debug so they do not drown the access log.
const PROBE_PATHS = new Set(['/health', '/ready']);

export function createHttpApp(options: HttpAppOptions): Express {
  const { definition, invoke, schemas, logger, bodyLimitBytes, isReady } = options;
  const coercing = createValidators(schemas, { coerce: true });
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);

  app.use(accessLog(logger));
  app.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/ready', (_req, res) => {
    if (isReady()) res.json({ status: 'ready' });
    else res.status(503).json({ status: 'not ready' });
  });

  // Not strict: any JSON value parses, so that a body that is not an object (`null`, a list) gets
  // a message saying so rather than "malformed" (input assembly rejects it).
  const parseJson = express.json({ limit: bodyLimitBytes, type: JSON_TYPES, strict: false });
  const endpoints = [...definition.endpoints].sort((a, b) => bySpecificity(a.path, b.path));
  for (const endpoint of endpoints) {
    const route = toExpressPath(endpoint.path);
    const handle = endpointHandler(endpoint, invoke, createInputAssembler(endpoint, schemas, coercing), logger);
    const method = endpoint.method.toLowerCase() as Lowercase<EndpointDescriptor['method']>;
    if (endpoint.inputSource === 'body') app[method](route, requireJson, parseJson, handle);
    else app[method](route, handle);
  }

  // Registered after every endpoint, so a path served under another method is still found first.
  const methodsByPath = new Map<string, string[]>();
  for (const endpoint of endpoints) {
    const route = toExpressPath(endpoint.path);
    methodsByPath.set(route, [...(methodsByPath.get(route) ?? []), endpoint.method]);
  }
  for (const [route, methods] of methodsByPath) {
    const allow = methods.join(', ');
    app.all(route, (req, res) => {
      res.setHeader('Allow', allow);
      sendError(res, new MethodNotAllowed(`${req.method} is not allowed here; use ${allow}`));
    });
  }

  app.use((req, res) => {
    sendError(res, new NotFound(`no route for ${req.method} ${pathOf(req)}`));
  });
  app.use(errorHandler(logger));
  return app;
}

function endpointHandler(endpoint: EndpointDescriptor, invoke: Invoke, assemble: InputAssembler, logger: Logger): RequestHandler {
  const { successStatus } = endpoint;
  const hasOutput = endpoint.output !== null;
  const readsQuery = endpoint.inputSource === 'query';

  return async (req, res) => {
    // Aborted when the client disconnects before the response is complete.
    const controller = new AbortController();
    res.once('close', () => {
      if (!res.writableFinished) controller.abort();
    });
    try {
      const input = assemble(req.params as Record<string, string>, readsQuery ? req.query : {}, req.body);
      const meta: InvocationMeta = {
        requestId: requestIdOf(res),
        deadline: deadlineFrom(req.headers[DEADLINE_HEADER]),
        caller: callerFrom(req.headers[CALLER_HEADER]),
        signal: controller.signal,
      };
      const key = req.headers[IDEMPOTENCY_KEY_HEADER];
      if (typeof key === 'string') meta.idempotencyKey = key;
      const output = await invoke(endpoint, input, meta);
      if (hasOutput) sendJson(res, successStatus, output ?? null);
      else res.status(successStatus).end();
    } catch (err) {
      if (isMeshError(err)) {
        sendError(res, err);
        return;
      }
      // invoke rejects only with MeshErrors: this is a failure here (e.g. unserializable output), kept out of the response.
      logger.error({ err, requestId: requestIdOf(res), operation: endpoint.name }, 'HTTP binding failed');
      sendError(res, new InternalError());
    }
  };
}

const requireJson: RequestHandler = (req, res, next) => {
  // `is` is null without a body: an empty request is fine (its input is validated as `{}`).
  if (req.is(JSON_TYPES) === false) {
    sendError(res, new UnsupportedMediaType(`expected a JSON body (content-type application/json), got ${req.headers['content-type'] ?? 'none'}`));
    return;
  }
  next();
};

/** Request id in, request id out, and one log line per request once it is over. */
function accessLog(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const requestId = requestIdFrom(req.headers[REQUEST_ID_HEADER]);
    res.locals['requestId'] = requestId;
    res.setHeader(REQUEST_ID_HEADER, requestId);
    const started = performance.now();
    res.once('close', () => {
      const path = pathOf(req);
      const line = {
        requestId,
        method: req.method,
        path,
        status: res.statusCode,
        durationMs: Math.round((performance.now() - started) * 10) / 10,
        ...(res.writableFinished ? {} : { aborted: true }),
      };
      if (PROBE_PATHS.has(path)) logger.debug(line, 'request');
      else logger.info(line, 'request');
    });
    next();
  };
}

function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, _next) => {
    sendError(res, fromExpressError(err, req, logger));
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
  logger.error({ err, requestId: requestIdOf(req.res as Response), path: pathOf(req) }, 'request failed');
  return new InternalError();
}

function sendError(res: Response, error: MeshError): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  sendJson(res, error.status, error.toBody(requestIdOf(res)));
}

/** What res.status().json() ends up sending, without Express's per-call settings, mime and freshness lookups. */
function sendJson(res: Response, status: number, value: unknown): void {
  const body = JSON.stringify(value);
  res.statusCode = status;
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.setHeader('content-length', Buffer.byteLength(body));
  res.end(body);
}

function requestIdOf(res: Response): string {
  return res.locals['requestId'] as string;
}

function pathOf(req: Request): string {
  const url = req.originalUrl;
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
}
