// The node binding of a service (the default): a request listener on bare node:http with the route
// table built once, the body read under its limit while it streams, the precompiled validators,
// and responses serialised directly. It answers exactly as the Express binding does: the order,
// checks, errors and logs live in the shared modules of runtime/http/.
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import { parse as parseQuery } from 'node:querystring';
import { BadRequest, InternalError, isMeshError, MethodNotAllowed, NotFound } from '../../errors/index.js';
import type { EndpointDescriptor } from '../../service/definition.js';
import { createValidators } from '../../validation/index.js';
import { logWhenDone, pathOf } from '../access-log.js';
import { requireJsonBody } from '../content-type.js';
import { createEndpointResponder } from '../endpoint-responder.js';
import { createExtraRouteRunner } from '../extra-route-runner.js';
import { REQUEST_ID_HEADER, requestIdFrom } from '../headers.js';
import type { HttpAppOptions } from '../options.js';
import { createInputAssembler } from '../params.js';
import { readJsonBody } from '../body.js';
import { answerDependencies, answerProbe } from '../probes.js';
import { PROBE_PATHS } from '../../../common/probes.js';
import type { EndpointMeter } from '../../observability/metrics/server.js';
import { applyAnswerHeaders, deferAnswerHeaders, sendError } from '../respond.js';
import { planRoutes } from '../route-plan.js';
import { answerUnreadBody, lingerLimitsFor } from '../unread-body.js';
import { RouteTable, splitPath, type RouteMatch } from './router.js';
import { METRICS_PATH } from '../../observability/metrics/scrape.js';
import { routingTarget } from './target.js';
import { context } from '@opentelemetry/api';
import { activeTracer } from '../../observability/tracing/tracer.js';
import { endHttpServerSpan, httpServerPlan, startHttpServerSpan, type SpanPlan } from '../../observability/tracing/server.js';
import { withResponseSpan } from '../../observability/tracing/response-span.js';

type Params = Record<string, string>;
/** What a matched route does with the request; `query` is the raw query string. */
type Target = (req: IncomingMessage, res: ServerResponse, requestId: string, params: Params, query: string) => Promise<void>;

const EMPTY_QUERY = Object.freeze({});

/**
 * The node binding of a service, as a request listener for node:http.
 *
 * @param options - see HttpAppOptions
 * @throws Error when an extra route is invalid or unreachable, or routes come without contextFor
 * @example
 * createServer(createNodeApp({ definition, invoke, schemas, logger, bodyLimitBytes: 1_048_576, isReady }));
 */
export function createNodeApp(options: HttpAppOptions): RequestListener {
  const { definition, invoke, schemas, logger, bodyLimitBytes, isReady, contextFor } = options;
  const plan = planRoutes(definition, options.routes);
  if (plan.extras.length > 0 && !contextFor) throw new Error('extra routes need contextFor: the handler context they get');
  const coercing = createValidators(schemas, { coerce: true });
  const linger = lingerLimitsFor(bodyLimitBytes);

  const routes = new RouteTable<Target>();
  const { metrics } = options;
  // By route order (unique per route): the request path reads one array slot, no label lookup.
  const meters: EndpointMeter[] = [];
  // Tracing on (a provider registered before the start): a span plan per route, by the same order.
  const tracer = activeTracer(definition.name);
  const spanPlans: SpanPlan[] = [];
  let order = 0;
  for (const endpoint of plan.endpoints) {
    if (metrics) meters[order] = metrics.meter(endpoint.name);
    if (tracer) spanPlans[order] = httpServerPlan(endpoint.method, endpoint.path);
    routes.add(endpoint.method, endpoint.path, endpointTarget(endpoint), order++);
  }
  for (const route of plan.extras) {
    const run = createExtraRouteRunner(route, contextFor!, logger, options.trust);
    if (metrics) meters[order] = metrics.meter(`${route.method} ${route.path}`);
    if (tracer) spanPlans[order] = httpServerPlan(route.method, route.path);
    routes.add(
      route.method,
      route.path,
      (req, res, requestId, params) => {
        applyAnswerHeaders(res);
        return run(req, res, params, requestId);
      },
      order++,
    );
  }
  const allowed = new RouteTable<string>();
  plan.allowed.forEach(({ path, allow }, i) => allowed.add('*', path, allow, i));

  function endpointTarget(endpoint: EndpointDescriptor): Target {
    const assemble = createInputAssembler(endpoint, schemas, coercing);
    const respond = createEndpointResponder(endpoint, invoke, logger, options.trust);
    switch (endpoint.inputSource) {
      case 'none':
        return (req, res, requestId, params) => respond(req, res, requestId, () => assemble(params, EMPTY_QUERY, undefined));
      case 'query':
        return (req, res, requestId, params, query) => respond(req, res, requestId, () => assemble(params, parseQuery(query), undefined));
      case 'body':
        return async (req, res, requestId, params) => {
          let body: unknown;
          try {
            if (requireJsonBody(req.headers)) body = await readJsonBody(req, bodyLimitBytes);
          } catch (err) {
            if (!isMeshError(err)) throw err;
            answerUnreadBody(req, res, err, requestId, linger, logger);
            return;
          }
          await respond(req, res, requestId, () => assemble(params, EMPTY_QUERY, body));
        };
    }
  }

  return (req, res) => {
    const requestId = requestIdFrom(req.headers[REQUEST_ID_HEADER]);
    // Written with the answer in one writeHead; an extra route gets them set before its handler runs.
    deferAnswerHeaders(res, requestId);
    const url = req.url ?? '/';
    // Logs and 404s name the target as sent; routing reads it as Express does.
    const path = pathOf(url);
    logWhenDone(logger, req, res, requestId, path);
    const method = req.method ?? 'GET';
    // Probes and scrapes are timed too but never counted: they would drown the endpoints' series.
    const started = metrics ? performance.now() : 0;
    try {
      const target = routingTarget(url);
      const split = splitPath(target.path);
      if ((method === 'GET' || method === 'HEAD') && (split.key === '/health' || split.key === '/ready')) {
        answerProbe(res, split.key, isReady);
        return;
      }
      if ((method === 'GET' || method === 'HEAD') && split.key === PROBE_PATHS.dependencies) {
        answerDependencies(res, options.dependencies);
        return;
      }
      if (metrics && (method === 'GET' || method === 'HEAD') && split.key === METRICS_PATH) {
        metrics.scrape(res, method === 'HEAD');
        return;
      }
      let match = routes.find(method, split);
      // As in Express, a GET route answers HEAD unless a route before it does.
      if (method === 'HEAD') {
        const get = routes.find('GET', split);
        if (get && (!match || get.order < match.order)) match = get;
      }
      if (match) {
        const meter = meters[match.order];
        let params: Params;
        try {
          params = decodeParams(match);
        } catch (err) {
          fail(res, err, requestId, path);
          meter?.observe(res.statusCode, started);
          return;
        }
        const run = match.value;
        if (tracer === undefined) {
          const done = run(req, res, requestId, params, target.query).catch((err: unknown) => fail(res, err, requestId, path));
          if (meter !== undefined) void done.then(() => meter.observe(res.statusCode, started));
          return;
        }
        // The caller's traceparent is the parent; the handler runs with this span active.
        const { span, ctx } = startHttpServerSpan(tracer, spanPlans[match.order]!, req.headers);
        withResponseSpan(res, span);
        const done = context.with(ctx, () => run(req, res, requestId, params, target.query).catch((err: unknown) => fail(res, err, requestId, path)));
        void done.then(() => {
          meter?.observe(res.statusCode, started);
          endHttpServerSpan(span, res.statusCode);
        });
        return;
      }
      const known = allowed.find('*', split);
      if (known) {
        decodeParams(known);
        res.setHeader('Allow', known.value);
        sendError(res, new MethodNotAllowed(`${method} is not allowed here; use ${known.value}`), requestId);
      } else {
        sendError(res, new NotFound(`no route for ${method} ${path}`), requestId);
      }
      metrics?.unmatched.observe(res.statusCode, started);
    } catch (err) {
      fail(res, err, requestId, path);
      metrics?.unmatched.observe(res.statusCode, started);
    }
  };

  function fail(res: ServerResponse, err: unknown, requestId: string, path: string): void {
    if (isMeshError(err)) {
      sendError(res, err, requestId);
      return;
    }
    logger.error({ err, requestId, path }, 'request failed');
    sendError(res, new InternalError(), requestId);
  }
}

/** Percent-decoded params by name; a malformed escape is the client's error (Express answers it so). */
function decodeParams(match: RouteMatch<unknown>): Params {
  const params: Params = {};
  for (let i = 0; i < match.names.length; i++) {
    const raw = match.raw[i] as string;
    try {
      params[match.names[i] as string] = raw.includes('%') ? decodeURIComponent(raw) : raw;
    } catch {
      throw new BadRequest(`Failed to decode param '${raw}'`);
    }
  }
  return params;
}
