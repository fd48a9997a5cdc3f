// The request entry point: the gateway's own endpoints, routing, the route's methods and body
// limit, then the dispatch to the route's service (an instance's pool) with an Exchange as the handler.
import { routeMatched } from '../observability/tracing/gateway.js';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import type { Dispatcher } from 'undici';
import { BadRequest, Forbidden, InternalError, MethodNotAllowed, NotFound, TooManyRequests } from '../errors/index.js';
import { CALLER_HEADER, DEADLINE_HEADER, encodeCaller } from '../http/headers.js';
import { BodyTooLarge, Exchange, type ExchangeContext } from './exchange.js';
import { readRequestHead, SECURITY_HEADERS } from './headers.js';
import { normalizePath } from './normalize-path.js';
import { rateLimitHeaderList } from './rate-limit/index.js';
import type { RouteLimit, RouteLimits } from './route-limits.js';
import { isAuthError, wwwAuthenticate, type VerifiedIdentity } from './auth/index.js';
import type { GatewayAuthenticator } from './authenticate.js';
import type { RouteMeter } from '../observability/metrics/gateway.js';
import type { CorsPolicy } from './cors.js';
import { IDENTITY_HEADER, IDENTITY_SKEW_MS, signIdentity, type IdentityKey } from '../identity/index.js';
import { methodBit } from './route-methods.js';
import { pathOf, rewritePath, type CompiledRoute, type Router } from './router.js';
import type { ServiceUpstream } from './instances.js';
import { readBody } from './request-body.js';
import { REPLAYABLE_BODY_BYTES } from './retry.js';

/**
 * Paths the gateway answers itself (any method, any query), before routing, so no route can use
 * them: `/health` is 200 while the process runs; `/ready` is 200 until shutdown starts, then 503;
 * `/openapi.json` is the public API's document, when the config has one. None is logged or counted
 * (probes would drown the access log). `/metrics` is not one of them: the gateway serves its own on
 * its metrics listener, and here it answers 404 as an unknown path (never a service's, see reachesMetrics).
 */
export const RESERVED_PATHS = ['/health', '/ready', '/openapi.json'] as const;

type ReservedPath = (typeof RESERVED_PATHS)[number];

/** The reserved path `url` targets, if any (no allocation for the common case). */
function reservedPath(url: string): ReservedPath | null {
  for (const path of RESERVED_PATHS) {
    if (url.startsWith(path) && (url.length === path.length || url.charCodeAt(path.length) === 0x3f /* ? */)) return path;
  }
  return null;
}

export class GatewayProxy {
  constructor(
    private readonly ctx: ExchangeContext,
    private readonly router: Router,
    /** One upstream service per route, by route index (routes to the same instances share it). */
    private readonly upstreams: readonly ServiceUpstream[],
    /** The routes' rate limits; none when the config has none. */
    private readonly limits: RouteLimits | null = null,
    /** Who may call routes that are not public; null when every route is open. */
    private readonly auth: GatewayAuthenticator | null = null,
    /** The keys identities are signed with (the first signs); none: identities go unsigned. */
    private readonly identityKeys: readonly IdentityKey[] = [],
    /** Cross-origin browsers; null: no CORS headers, preflights go to the service like any request. */
    private readonly cors: CorsPolicy | null = null,
    /** The public API's OpenAPI document as JSON text; null: `/openapi.json` answers 404. */
    private readonly openapi: string | null = null,
    /** Each route's meter, by route index; null when nothing is counted. */
    private readonly meters: readonly RouteMeter[] | null = null,
  ) {}

  readonly handle = (req: IncomingMessage, res: ServerResponse): void => {
    const url = req.url ?? '/';
    const reserved = reservedPath(url);
    // `/openapi.json` is the gateway's only when it has a document; otherwise it routes like any path.
    if (reserved !== null && (reserved !== '/openapi.json' || this.openapi !== null)) {
      this.answerReserved(reserved, res);
      return;
    }

    const ex = new Exchange(this.ctx, req, res);
    const headers = readRequestHead(req.rawHeaders, ex);
    if (ex.requestId === '') ex.requestId = randomUUID();

    // Any answer, errors included, is readable by a page from an allowed origin.
    if (this.cors !== null && !(req.method === 'OPTIONS' && ex.preflightMethod !== '')) ex.addHeaders(this.cors.forResponse(ex.origin));

    // Routed, authenticated and forwarded as one canonical path (normalize-path.ts).
    const target = normalizePath(url);
    if (target === null) {
      ex.fail(new BadRequest('the request path is not acceptable: encoded slashes, backslashes, ";", control characters and ".." above the root are refused'));
      return;
    }
    const route = this.router.match(target);
    if (route === undefined || reachesMetrics(route, target)) {
      ex.fail(new NotFound(`no route for ${req.method} ${pathOf(target)}`));
      return;
    }
    // A preflight is the browser asking, not the page: answered here, before any credential is asked for.
    if (this.cors !== null && req.method === 'OPTIONS' && ex.origin !== '' && ex.preflightMethod !== '') {
      const allowed = this.cors.forPreflight(ex.origin);
      if (allowed === null) {
        ex.fail(new Forbidden('this origin is not allowed'));
        return;
      }
      ex.addHeaders(allowed);
      ex.answerEmpty(204);
      return;
    }
    ex.service = route.service;
    if (ex.span !== null) routeMatched(ex.span, req.method ?? 'GET', route.prefix);
    if (this.meters !== null) ex.meter = this.meters[route.index]!;
    ex.bodyLimitBytes = route.bodyLimitBytes;
    ex.timeoutMs = route.timeoutMs;
    // Before authentication: which methods a route takes is public (the OpenAPI document lists
    // them), and a request no endpoint could answer costs no token check or rate-limit count.
    if (route.methods !== 0 && this.answeredMethod(ex, route)) return;
    if (ex.contentLength > route.bodyLimitBytes) {
      ex.failTooLarge();
      return;
    }

    const guarded = this.auth !== null && !route.public;
    const routeLimit = this.limits?.forRoute(route.index) ?? null;
    if (!guarded && routeLimit === null) {
      this.forward(ex, route, target, headers);
      return;
    }
    void this.admit(ex, route, target, headers, guarded, routeLimit);
  };

  /**
   * Answers a method the route does not take (405, and `Allow`) and an OPTIONS (204, and `Allow`):
   * true when it did, and the request goes no further.
   */
  private answeredMethod(ex: Exchange, route: CompiledRoute): boolean {
    const method = ex.req.method;
    if ((route.methods & methodBit(method)) === 0) {
      ex.addHeaders(route.allow);
      ex.fail(new MethodNotAllowed(`${method} is not allowed on ${route.prefix}; use ${route.allow[1]}`));
      return true;
    }
    if (method !== 'OPTIONS') return false;
    ex.addHeaders(route.allow);
    ex.answerEmpty(204);
    return true;
  }

  /**
   * Authenticates and counts a request before it goes anywhere: a refused one never reaches the
   * service. The verified identity replaces the client's credentials upstream.
   */
  private async admit(ex: Exchange, route: CompiledRoute, target: string, headers: string[], guarded: boolean, limit: RouteLimit | null): Promise<void> {
    const { req } = ex;
    try {
      // A remembered token and a limit in memory are decided without awaiting: no microtask turn.
      const authorization = req.headers.authorization;
      const identity = guarded ? (this.auth!.known(authorization) ?? (await this.auth!.authenticate(authorization, ex.requestId))) : null;
      if (limit !== null) {
        const key = limit.bySubject && identity ? `sub:${identity.subject}` : this.limits!.keyOf(req.socket.remoteAddress, ex.forwardedFor);
        const decision = limit.limiter.consumeNow?.(key) ?? (await limit.limiter.consume(key));
        ex.addHeaders(rateLimitHeaderList(decision));
        if (!decision.allowed) {
          ex.meter?.rateLimited();
          ex.fail(new TooManyRequests('too many requests: retry after the time Retry-After gives'));
          return;
        }
      }
      if (ex.isClosed()) return;
      this.forward(ex, route, target, identity ? this.asserting(identity, ex, withoutCredentials(headers)) : headers);
    } catch (err) {
      if (isAuthError(err)) {
        const challenge = wwwAuthenticate(err);
        if (challenge) ex.addHeaders(['www-authenticate', challenge]);
        ex.fail(err);
        // The reason goes to the access log; the client learns only the status and a fixed message.
        ex.failure = `${err.code}:${err.reason}`;
        ex.meter?.authFailed(err.reason);
        return;
      }
      this.ctx.logger.error({ err, requestId: ex.requestId }, 'gateway admission failed');
      ex.fail(new InternalError());
    }
  }

  /** `headers` plus who the caller is, as the services read it: signed when the mesh has identity keys. */
  private asserting(identity: VerifiedIdentity, ex: Exchange, headers: string[]): string[] {
    const deadline = Date.now() + ex.timeoutMs;
    let caller = encodedCallers.get(identity);
    if (caller === undefined) {
      caller = encodeCaller({ subject: identity.subject, roles: [...identity.roles] });
      encodedCallers.set(identity, caller);
    }
    headers.push(CALLER_HEADER, caller);
    const key = this.identityKeys[0];
    if (key) {
      const signed = signIdentity({ subject: identity.subject, roles: identity.roles, deadline, requestId: ex.requestId }, key, { ttlMs: ex.timeoutMs + IDENTITY_SKEW_MS });
      headers.push(IDENTITY_HEADER, signed);
    }
    return headers;
  }

  /** Sends the request to the route's service, unless the instance chosen already has all it may hold. */
  private forward(ex: Exchange, route: CompiledRoute, target: string, headers: string[]): void {
    const { req } = ex;
    const remote = req.socket.remoteAddress ?? '';
    const trusted = this.ctx.trustedProxies;
    const chain = trusted > 0 ? lastEntries(ex.forwardedFor, trusted) : '';
    headers.push(
      'x-request-id', ex.requestId,
      'x-forwarded-for', chain ? `${chain}, ${remote}` : remote,
      // From a trusted proxy in front of the gateway (a TLS-terminating ingress knows better).
      'x-forwarded-proto', (trusted > 0 && ex.forwardedProto) || 'http',
      // The route's deadline, never the client's (x-mesh-* from a client was dropped).
      DEADLINE_HEADER, String(Date.now() + route.timeoutMs),
    );
    const forwardedHost = (trusted > 0 && ex.forwardedHost) || ex.host;
    if (forwardedHost) headers.push('x-forwarded-host', forwardedHost);
    if (ex.contentLength > 0 || ex.chunked) ex.watchBodyIdle();

    // Sent once, and a second time only when the service cannot have taken it (retry.ts): a
    // service's client retries its own calls under its policy (runtime/host/dependency.ts), and a
    // second layer of retries would multiply the attempts. The pools have no retry interceptor
    // (test/integration/resilience/gateway-no-retry.test.ts).
    const upstream = this.upstreams[route.index]!;
    const path = rewritePath(route, target);
    if (route.rewrite !== route.prefix) ex.rewrites = route;
    const method = req.method as Dispatcher.HttpMethod;
    // The route's timeout, over the pool's (the gateway's).
    const timeout = route.timeoutMs;
    if (ex.chunked || ex.contentLength > REPLAYABLE_BODY_BYTES) {
      const body = ex.chunked ? (limitBody(req, route.bodyLimitBytes) as unknown as Readable) : req;
      ex.send(upstream, { path, method, headers, body, headersTimeout: timeout, bodyTimeout: timeout }, false);
    } else if (ex.contentLength > 0) {
      // Read whole first, so that it can be sent again.
      readBody(req, ex.contentLength, (body) => {
        if (!ex.isClosed() && !ex.res.headersSent) ex.send(upstream, { path, method, headers, body, headersTimeout: timeout, bodyTimeout: timeout }, true);
      });
    } else {
      ex.send(upstream, { path, method, headers, body: null, headersTimeout: timeout, bodyTimeout: timeout }, true);
    }
  }

  /** The public API's document (handle() sends `/openapi.json` here only when there is one). */
  private answerOpenApi(res: ServerResponse): void {
    const body = this.openapi ?? '{}';
    res.writeHead(200, ['content-type', 'application/json; charset=utf-8', 'content-length', String(Buffer.byteLength(body)), 'cache-control', 'public, max-age=300', ...SECURITY_HEADERS]);
    res.end(body);
  }

  private answerReserved(path: ReservedPath, res: ServerResponse): void {
    if (path === '/openapi.json') {
      this.answerOpenApi(res);
      return;
    }
    const status = path === '/ready' && this.ctx.closing ? 503 : 200;
    const body = status === 200 ? '{"status":"ok"}' : '{"status":"closing"}';
    const headers = ['content-type', 'application/json', 'content-length', String(body.length)];
    if (this.ctx.closing) headers.push('connection', 'close');
    res.writeHead(status, headers);
    res.end(body);
  }
}

/**
 * True when a route that rewrites its prefix to the root would send `target` to its service's own
 * `/metrics` (prefixes are never the root): the mesh's internals are for Prometheus inside, never
 * for a client outside.
 */
function reachesMetrics(route: CompiledRoute, target: string): boolean {
  if (route.rewrite !== '') return false;
  const path = pathOf(rewritePath(route, target));
  const trimmed = path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
  return trimmed.length === 8 && trimmed.toLowerCase() === '/metrics';
}

/** The forwarded headers without the client's credentials: once verified, the identity stands for them. */
function withoutCredentials(headers: string[]): string[] {
  const kept: string[] = [];
  for (let i = 0; i < headers.length; i += 2) {
    const name = headers[i]!;
    if (name.length === 13 && name.toLowerCase() === 'authorization') continue;
    kept.push(name, headers[i + 1]!);
  }
  return kept;
}

/** The x-mesh-caller value of each remembered identity (the auth caches hand out the same object per token). */
const encodedCallers = new WeakMap<VerifiedIdentity, string>();

/**
 * The last `count` entries of an X-Forwarded-For value: those the trusted proxies appended (what
 * each saw as its peer); entries before them are whatever the client wrote.
 *
 * @param forwardedFor - the incoming value(s), comma-joined
 * @param count - how many proxies are trusted (> 0)
 * @example
 * lastEntries('6.6.6.6, 203.0.113.7', 1); // '203.0.113.7'
 */
export function lastEntries(forwardedFor: string, count: number): string {
  if (forwardedFor === '') return '';
  const entries = forwardedFor.split(',');
  return entries
    .slice(Math.max(0, entries.length - count))
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '')
    .join(', ');
}

/**
 * A body of unknown length (Transfer-Encoding), passed through while it stays within `limit`.
 * Throws BodyTooLarge before forwarding the chunk that passes it; the client stream is left open
 * (not destroyed) so the 413 can still reach the client. (undici documents async iterables as a
 * body; its typings list only Readable, hence the cast at the call.)
 */
async function* limitBody(req: IncomingMessage, limit: number): AsyncGenerator<Buffer> {
  let received = 0;
  for await (const chunk of req.iterator({ destroyOnReturn: false }) as AsyncIterable<Buffer>) {
    received += chunk.length;
    if (received > limit) throw new BodyTooLarge('request body is larger than the limit');
    yield chunk;
  }
}
