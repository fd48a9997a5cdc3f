// createGateway: raw node:http in front, one keep-alive undici Pool per upstream instance behind
// (balanced when a service has several, instances.ts), no framework on the request path. `/health` and `/ready` are answered by the gateway itself (proxy.ts);
// `/metrics` only on a listener of its own (metrics-listener.ts), never on the public port.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { MAX_DURATION_MS } from '../../common/units.js';
import type { ExchangeContext } from './exchange.js';
import { SECURITY_HEADERS } from './headers.js';
import { resolveLimits } from './limits.js';
import { createRouteLimits } from './route-limits.js';
import { createGatewayAuth } from './authenticate.js';
import { CorsPolicy } from './cors.js';
import { IDENTITY_KEYS_VARIABLE, identityKeysFromEnv } from '../identity/index.js';
import { ServiceUpstream } from './instances.js';
import { defaultResolveInstances, normalizeOrigins } from './origins.js';
import { createMetricsServer } from './metrics-listener.js';
import { GatewayProxy } from './proxy.js';
import { Router } from './router.js';
import type { GatewayConfig } from './types.js';
import { createGatewayMetrics, type GatewayMetrics } from '../observability/metrics/gateway.js';
import { activeTracer } from '../observability/tracing/tracer.js';

export interface GatewayOptions {
  logger: Logger;
  /**
   * Service name to origin (`http://host:port`), or to several instances' origins separated by
   * commas. Used when `resolveInstances` is not given.
   */
  resolveOrigin?: (service: string) => string;
  /**
   * Service name to its instances' origins (each may also be a comma-separated list). Default:
   * `resolveOrigin`, else the `MESH_<SERVICE>_HTTP` list, else 127.0.0.1 and the spec port.
   */
  resolveInstances?: (service: string) => readonly string[];
  /** Time between two `/ready` checks of the instances of a service that has several, ms. Default 1000. */
  readinessIntervalMs?: number;
  /** How long `close()` lets in-flight requests finish before cutting them, ms. Default: the longest of `config.timeoutMs` and the routes' own. */
  shutdownGraceMs?: number;
  /**
   * How long `close()` keeps serving with `/ready` at 503 before it stops accepting, ms (`SHUTDOWN_DELAY`):
   * time for load balancers and Kubernetes endpoints to stop sending new connections. Default 0.
   */
  shutdownDelayMs?: number;
  /** The Redis that rate limits with `store: redis` share (`RATE_LIMIT_REDIS_URL`). */
  rateLimitRedisUrl?: string | undefined;
  /** Where the auth keys (`auth.jwt.secretEnv`, `publicKeyEnv`) and MESH_IDENTITY_KEYS are read. Default `process.env`. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Counts requests per route, served by `listenMetrics`; default a fresh GatewayMetrics. `false`: none (`/metrics` answers 404 there too). */
  metrics?: GatewayMetrics | false;
}

export interface Gateway {
  /** Starts listening; resolves with the actual port (pass 0 for any free port). */
  listen(port: number, host?: string): Promise<number>;
  /**
   * Starts the metrics listener (`GET /metrics` only; the public port answers 404 for it); resolves
   * with the actual port. Optional: a gateway nobody scrapes need not open it.
   */
  listenMetrics(port: number, host?: string): Promise<number>;
  /**
   * Answers /ready with 503 and keeps serving for the shutdown delay, then stops accepting, lets
   * in-flight requests finish (up to the grace period) and closes the upstream pools.
   */
  close(): Promise<void>;
}

export function createGateway(config: GatewayConfig, options: GatewayOptions): Gateway {
  const { logger } = options;
  const { resolveOrigin } = options;
  const resolveInstances = options.resolveInstances ?? (resolveOrigin ? (service: string) => [resolveOrigin(service)] : defaultResolveInstances(config));
  const originsOf = (service: string) => normalizeOrigins(service, resolveInstances(service));
  // A request may wait as long as its route's timeout: shutdown lets the slowest route's finish.
  const graceMs = options.shutdownGraceMs ?? Math.max(config.timeoutMs, ...config.routes.map((route) => route.timeoutMs ?? 0));
  const delayMs = options.shutdownDelayMs ?? 0;
  if (!Number.isSafeInteger(delayMs) || delayMs < 0 || delayMs > MAX_DURATION_MS) throw new Error(`gateway: shutdownDelayMs must be 0 to ${MAX_DURATION_MS} ms, got ${String(delayMs)}`);

  const limits = resolveLimits(config.limits);
  const trustedProxies = config.trustedProxies ?? 0;
  if (!Number.isSafeInteger(trustedProxies) || trustedProxies < 0) throw new Error(`gateway: trustedProxies must be 0 or more, got ${String(trustedProxies)}`);

  const upstreamOptions = {
    connections: limits.upstreamConnections,
    queue: limits.upstreamQueue,
    timeoutMs: config.timeoutMs,
    readinessIntervalMs: options.readinessIntervalMs ?? 1_000,
    logger,
  };
  // Routes to the same instances share their pools (and connection caps).
  const byOrigins = new Map<string, ServiceUpstream>();
  const upstreams: ServiceUpstream[] = config.routes.map((route) => {
    const origins = originsOf(route.service);
    const key = origins.join(',');
    let upstream = byOrigins.get(key);
    if (!upstream) {
      upstream = new ServiceUpstream(route.service, origins, upstreamOptions);
      byOrigins.set(key, upstream);
    }
    return upstream;
  });

  const metrics = options.metrics === false ? undefined : (options.metrics ?? createGatewayMetrics((err) => logger.warn({ err }, 'metrics scrape failed')));
  const ctx: ExchangeContext = {
    metrics,
    // Tracing on (a provider registered before the start): the gateway's hop is a span.
    tracer: activeTracer('gateway'),
    logger,
    timeoutMs: config.timeoutMs,
    bodyLimitBytes: config.bodyLimitBytes,
    bodyIdleTimeoutMs: limits.bodyIdleTimeoutMs,
    trustedProxies,
    closing: false,
  };
  const rateLimits = config.rateLimit || config.routes.some((route) => route.rateLimit) ? createRouteLimits(config, { logger, redisUrl: options.rateLimitRedisUrl }) : null;
  const env = options.env ?? process.env;
  // A delegated auth service is asked at its first instance (auth/ takes one origin).
  const auth = config.auth ? createGatewayAuth(config.auth, { resolveOrigin: (service) => originsOf(service)[0]!, env }) : null;
  // Set, identities the gateway asserts are signed for the services to verify; unset (development),
  // they travel unsigned, and only the gateway's stripping of client x-mesh-* headers protects them.
  const identityKeys = env[IDENTITY_KEYS_VARIABLE] ? identityKeysFromEnv(env) : [];
  const cors = config.cors ? new CorsPolicy(config.cors) : null;
  const openapi = config.openapi === undefined ? null : JSON.stringify(config.openapi);
  const router = new Router(config.routes, config);
  // Route order as the router compiled it (its index): one meter per route, labelled with its prefix.
  const meters = metrics ? config.routes.map((route) => metrics.route(route.prefix)) : null;
  const proxy = new GatewayProxy(ctx, router, upstreams, rateLimits, auth, identityKeys, cors, openapi, meters);

  const serverOptions = {
    headersTimeout: limits.headersTimeoutMs,
    requestTimeout: limits.requestTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    // How often node:http enforces the two timeouts above (its default, 30 s, would let a slow client
    // keep a connection far past them).
    connectionsCheckingInterval: Math.max(100, Math.min(1_000, Math.floor(limits.headersTimeoutMs / 2))),
  };
  const server = createServer(serverOptions, (req: IncomingMessage, res: ServerResponse) => {
    try {
      proxy.handle(req, res);
    } catch (err) {
      // A bug must not take the process down or show its stack to the client.
      logger.error({ err, method: req.method, url: req.url }, 'gateway request failed');
      if (res.headersSent) res.destroy();
      else res.writeHead(500, ['content-type', 'application/json', 'cache-control', 'no-store', ...SECURITY_HEADERS]).end('{"error":{"code":"Internal","message":"internal error"}}');
    }
  });
  // Past it, connections are closed as they are accepted.
  server.maxConnections = limits.maxConnections;

  const metricsServer = createMetricsServer(metrics);
  let closed: Promise<void> | null = null;

  return {
    listen: (port, host) => listenOn(server, port, host),
    listenMetrics: (port, host) => listenOn(metricsServer, port, host),

    close() {
      closed ??= (async () => {
        // From here /ready answers 503 and every response says `connection: close`.
        ctx.closing = true;
        if (delayMs > 0) {
          // Not ready, still serving: load balancers stop sending new connections while requests
          // already on their way are answered and keep-alive clients reconnect elsewhere.
          logger.info({ delayMs }, 'gateway draining: /ready answers 503, still serving');
          await new Promise((resolve) => setTimeout(resolve, delayMs));
        }
        const drained = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        const cut = setTimeout(() => server.closeAllConnections(), graceMs);
        await drained;
        clearTimeout(cut);
        // Every client connection is gone, so every upstream request has ended or was aborted.
        await Promise.all([...byOrigins.values()].map((upstream) => upstream.close()));
        await rateLimits?.close();
        await auth?.close();
        // Last: Prometheus sees the drain to its end.
        if (metricsServer.listening) await new Promise<void>((resolve) => metricsServer.close(() => resolve()));
      })();
      return closed;
    },
  };
}

/** Resolves with the port `server` listens on once it does; rejects when it cannot (EADDRINUSE). */
function listenOn(server: Server, port: number, host: string | undefined): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    const onError = (err: Error) => reject(err);
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    });
  });
}
