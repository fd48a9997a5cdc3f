// The node:http server under a service's HTTP binding (runtime/http/server.ts), with a drain that finishes in-flight
// requests instead of cutting them. Node's server.close() alone would keep answered keep-alive
// connections open until they idle out, so each response during the drain says `Connection: close`.
// Slow clients are bounded: headers, whole requests, idle keep-alive connections and bodies that
// stop arriving each have a timeout, and the number of connections a cap.
import { createServer, type IncomingMessage, type RequestListener, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { RequestTimeout } from '../errors/index.js';
import { answerClientError } from '../http/client-error.js';
import { hasBody } from '../http/content-type.js';
import { answerRequestId, sendError } from '../http/respond.js';
import { portError } from './startup-error.js';

export interface HttpListener {
  /** Resolves with the bound port (useful with port 0). Rejects with a StartupError when the port is taken. */
  listen(port: number, host: string, service: string): Promise<number>;
  /**
   * Keeps serving, but every response from now on says `Connection: close`: clients retire their
   * keep-alive connections as they use them, instead of finding them closed under a request later.
   */
  retireConnections(): void;
  /**
   * Stops accepting connections, lets requests in progress finish for up to `graceMs`, then cuts
   * whatever is left. Resolves once every connection is closed.
   */
  drain(graceMs: number): Promise<void>;
}

/**
 * Limits on slow or numerous clients. Every field is optional; the defaults suit a service behind a
 * gateway on a LAN. Timeouts are checked about every quarter of the shortest one (at most every second).
 *
 * @example
 * const limits: HttpListenerOptions = { headersTimeoutMs: 10_000, bodyIdleTimeoutMs: 15_000, maxConnections: 2000 };
 */
export interface HttpListenerOptions {
  /** Time to receive a request's headers, ms (node's headersTimeout); past it, 408 and close. Default 20000. */
  headersTimeoutMs?: number;
  /** Time to receive a whole request, headers and body, ms (node's requestTimeout); past it, 408 and close. Default 120000. */
  requestTimeoutMs?: number;
  /** How long an idle keep-alive connection stays open, ms (node's keepAliveTimeout). Default 5000. */
  keepAliveTimeoutMs?: number;
  /** A request body that sends nothing for this long, ms, is cut: 408 with `Connection: close` when nothing was answered yet. Default 30000. */
  bodyIdleTimeoutMs?: number;
  /** Connections open at once, at most (node's maxConnections); more are closed as they arrive. Default 10000. */
  maxConnections?: number;
}

/**
 * The defaults of HttpListenerOptions.
 *
 * @example
 * HTTP_LISTENER_DEFAULTS.bodyIdleTimeoutMs; // 30000
 */
export const HTTP_LISTENER_DEFAULTS: Readonly<Required<HttpListenerOptions>> = Object.freeze({
  headersTimeoutMs: 20_000,
  requestTimeoutMs: 120_000,
  keepAliveTimeoutMs: 5_000,
  bodyIdleTimeoutMs: 30_000,
  maxConnections: 10_000,
});

/**
 * The node:http server of a service's HTTP binding.
 *
 * @param app - the binding's request listener (createHttpApp)
 * @param logger - the service's logger (drain warnings)
 * @param options - limits on slow clients and connections; see HttpListenerOptions for the defaults
 * @example
 * const http = createHttpListener(createHttpApp(appOptions), logger, { bodyIdleTimeoutMs: 10_000 });
 * const port = await http.listen(0, '127.0.0.1', 'users');
 */
export function createHttpListener(app: RequestListener, logger: Logger, options: HttpListenerOptions = {}): HttpListener {
  const limits = { ...HTTP_LISTENER_DEFAULTS, ...definedOnly(options) };
  const inFlight = new Set<ServerResponse>();
  let draining = false;
  // One listener for every response (a response closes once): no closure or once-wrapper per request.
  function settled(this: ServerResponse): void {
    inFlight.delete(this);
  }
  const server = createServer(
    {
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      keepAliveTimeout: limits.keepAliveTimeoutMs,
      // node checks the two timeouts above on this period (30 s by default, coarser than they may be).
      connectionsCheckingInterval: Math.max(25, Math.min(1000, Math.floor(Math.min(limits.headersTimeoutMs, limits.requestTimeoutMs) / 4))),
    },
    (req, res) => {
      if (draining) res.setHeader('connection', 'close');
      inFlight.add(res);
      res.on('close', settled);
      if (hasBody(req.headers)) watchBodyIdle(req, res, limits.bodyIdleTimeoutMs);
      app(req, res);
    },
  );
  server.maxConnections = limits.maxConnections;
  server.on('clientError', answerClientError);

  return {
    listen(port, host, service) {
      return new Promise<number>((resolve, reject) => {
        const onError = (err: unknown) => {
          server.off('listening', onListening);
          reject(portError(err, port, service, 'http') ?? err);
        };
        const onListening = () => {
          server.off('error', onError);
          resolve((server.address() as AddressInfo).port);
        };
        server.once('error', onError);
        server.once('listening', onListening);
        server.listen(port, host);
      });
    },

    retireConnections() {
      draining = true;
      for (const res of inFlight) if (!res.headersSent) res.setHeader('connection', 'close');
    },

    async drain(graceMs) {
      if (!server.listening) return;
      this.retireConnections();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const cut = setTimeout(() => {
        logger.warn({ requests: inFlight.size, graceMs }, 'shutdown grace period over: cutting requests still in progress');
        server.closeAllConnections();
      }, graceMs);
      await closed;
      clearTimeout(cut);
    },
  };
}

/**
 * Cuts a request whose body stops arriving for `idleMs`: a 408 when nothing was answered yet (the
 * socket then closes), else the connection. The socket's inactivity timer is node's own; with a
 * `timeout` listener on the response, node leaves the socket to it instead of destroying it. Once
 * the body is in, a slow handler is no idle client (the caller's deadline is its bound).
 */
function watchBodyIdle(req: IncomingMessage, res: ServerResponse, idleMs: number): void {
  const socket = req.socket;
  socket.setTimeout(idleMs);
  res.on('timeout', () => {
    if (req.complete) {
      socket.setTimeout(0);
      return;
    }
    if (res.headersSent) {
      socket.destroy();
      return;
    }
    res.setHeader('connection', 'close');
    sendError(res, new RequestTimeout(`no part of the request body arrived for ${idleMs} ms`), answerRequestId(res));
  });
}

function definedOnly(options: HttpListenerOptions): HttpListenerOptions {
  return Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined)) as HttpListenerOptions;
}
