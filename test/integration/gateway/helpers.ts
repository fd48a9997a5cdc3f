// Real servers on 127.0.0.1:0 for the gateway tests: upstreams with a handler per test, a gateway
// whose access log is captured, and a small node:http client that returns status, headers, body.
import { createServer, request, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { createGateway, type Gateway, type GatewayConfig, type GatewayRoute } from '../../../runtime/gateway/index.js';

export interface Upstream {
  readonly port: number;
  readonly origin: string;
  /** TCP connections accepted so far. */
  connections: number;
  /** Requests received so far. */
  requests: number;
  handler: (req: IncomingMessage, res: ServerResponse) => void;
  close(): Promise<void>;
}

const cleanups: (() => Promise<void>)[] = [];

/** Closes everything started since the last call (use in afterEach). */
export async function closeAll(): Promise<void> {
  const pending = cleanups.splice(0).reverse();
  for (const cleanup of pending) await cleanup();
}

/** Sends back what it received: method, url, headers (for routing and header tests). */
export function echo(req: IncomingMessage, res: ServerResponse): void {
  req.resume();
  req.on('end', () => {
    const body = JSON.stringify({ method: req.method, url: req.url, headers: req.headers });
    res.writeHead(200, { 'content-type': 'application/json', 'x-request-id': 'from-upstream' }).end(body);
  });
}

export async function startUpstream(handler: Upstream['handler'] = echo): Promise<Upstream> {
  const server: Server = createServer((req, res) => {
    upstream.requests++;
    upstream.handler(req, res);
  });
  server.on('connection', () => upstream.connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const upstream: Upstream = {
    port,
    origin: `http://127.0.0.1:${port}`,
    connections: 0,
    requests: 0,
    handler,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  cleanups.push(() => upstream.close());
  return upstream;
}

/** A port nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export interface LogLine {
  level: number;
  msg: string;
  method?: string;
  path?: string;
  status?: number;
  upstream?: string;
  durationMs?: number;
  requestId?: string;
  traceId?: string;
  spanId?: string;
  error?: string;
  upstreamError?: string;
  retried?: boolean;
  /** Instance events (`msg: 'upstream instance'`). */
  type?: string;
  address?: string;
}

export interface TestGateway {
  readonly port: number;
  readonly gateway: Gateway;
  readonly logs: LogLine[];
  /** The access line of `requestId`, waiting for it (it is written when the response closes). */
  logOf(requestId: string): Promise<LogLine>;
}

/** Starts a gateway routing `routes` (prefix -> origin of the upstream named by `service`, or several, comma-separated). */
export async function startGateway(
  routes: (Omit<GatewayRoute, 'rewrite'> & { rewrite?: string })[],
  origins: Record<string, string>,
  overrides: Partial<
    Pick<GatewayConfig, 'timeoutMs' | 'bodyLimitBytes' | 'trustedProxies' | 'limits' | 'rateLimit' | 'auth' | 'cors' | 'openapi'> & {
      shutdownGraceMs: number;
      shutdownDelayMs: number;
      readinessIntervalMs: number;
      rateLimitRedisUrl: string;
      env: Record<string, string | undefined>;
    }
  > = {},
): Promise<TestGateway> {
  const logs: LogLine[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => void logs.push(JSON.parse(line) as LogLine) });
  const config: GatewayConfig = {
    mesh: 'test',
    port: 0,
    timeoutMs: overrides.timeoutMs ?? 5_000,
    bodyLimitBytes: overrides.bodyLimitBytes ?? 1024 * 1024,
    routes: routes
      .map((r) => ({ ...r, rewrite: r.rewrite ?? r.prefix }))
      .sort((a, b) => b.prefix.length - a.prefix.length),
    services: {},
    ...(overrides.trustedProxies === undefined ? {} : { trustedProxies: overrides.trustedProxies }),
    ...(overrides.limits === undefined ? {} : { limits: overrides.limits }),
    ...(overrides.rateLimit === undefined ? {} : { rateLimit: overrides.rateLimit }),
    ...(overrides.auth === undefined ? {} : { auth: overrides.auth }),
    ...(overrides.cors === undefined ? {} : { cors: overrides.cors }),
    ...(overrides.openapi === undefined ? {} : { openapi: overrides.openapi }),
  };
  const gateway = createGateway(config, {
    logger,
    resolveOrigin: (service) => origins[service] ?? 'http://127.0.0.1:1',
    shutdownGraceMs: overrides.shutdownGraceMs ?? 2_000,
    shutdownDelayMs: overrides.shutdownDelayMs ?? 0,
    ...(overrides.readinessIntervalMs === undefined ? {} : { readinessIntervalMs: overrides.readinessIntervalMs }),
    rateLimitRedisUrl: overrides.rateLimitRedisUrl,
    env: overrides.env ?? {},
  });
  const port = await gateway.listen(0, '127.0.0.1');
  cleanups.push(() => gateway.close());
  const logOf = async (requestId: string): Promise<LogLine> => {
    for (const deadline = Date.now() + PATIENCE_MS; Date.now() < deadline; await sleep(10)) {
      const line = logs.find((l) => l.msg === 'request' && l.requestId === requestId);
      if (line) return line;
    }
    throw new Error(`no access log line for request ${requestId}`);
  };
  return { port, gateway, logs, logOf };
}

export interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  json<T = any>(): T;
}

export interface SendOptions {
  method?: string;
  headers?: Record<string, string | string[]>;
  body?: Buffer | string;
  /** Fails the request (instead of hanging the test) when no full reply came by then. */
  timeoutMs?: number;
}

/** One request through node:http (keep-alive global agent); rejects when the response is cut. */
export function send(port: number, path: string, options: SendOptions = {}): Promise<Reply> {
  return new Promise<Reply>((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path, method: options.method ?? 'GET', headers: options.headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('aborted', () => reject(new Error('response aborted')));
        res.on('end', () => {
          if (!res.complete) return reject(new Error('response incomplete'));
          const body = Buffer.concat(chunks);
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body, json: () => JSON.parse(body.toString()) });
        });
      },
    );
    req.setTimeout(options.timeoutMs ?? PATIENCE_MS, () => req.destroy(new Error('client timeout: no reply')));
    req.on('error', reject);
    req.end(options.body);
  });
}

/**
 * How long a test waits for something that happens at once unless the code under test is broken:
 * long enough that load never reaches it, so that it only turns a hang into a failure with a message.
 */
export const PATIENCE_MS = 10_000;

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Resolves with `promise`, or rejects with `message` after `ms` (an assertion failure, not a hang). */
export function within<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** A promise with its resolve function, for "this happened" signals between servers and client. */
export function signal<T = void>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}
