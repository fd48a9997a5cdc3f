// The node:http server under a service's HTTP binding (runtime/http/server.ts), with a drain that finishes in-flight
// requests instead of cutting them. Node's server.close() alone would keep answered keep-alive
// connections open until they idle out, so each response during the drain says `Connection: close`.
import { createServer, type RequestListener, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { portError } from './startup-error.js';

export interface HttpListener {
  /** Resolves with the bound port (useful with port 0). Rejects with a StartupError when the port is taken. */
  listen(port: number, host: string, service: string): Promise<number>;
  /**
   * Stops accepting connections, lets requests in progress finish for up to `graceMs`, then cuts
   * whatever is left. Resolves once every connection is closed.
   */
  drain(graceMs: number): Promise<void>;
}

export function createHttpListener(app: RequestListener, logger: Logger): HttpListener {
  const inFlight = new Set<ServerResponse>();
  let draining = false;
  // One listener for every response (a response closes once): no closure or once-wrapper per request.
  function settled(this: ServerResponse): void {
    inFlight.delete(this);
  }
  const server = createServer((req, res) => {
    if (draining) res.setHeader('connection', 'close');
    inFlight.add(res);
    res.on('close', settled);
    app(req, res);
  });

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

    async drain(graceMs) {
      if (!server.listening) return;
      draining = true;
      for (const res of inFlight) if (!res.headersSent) res.setHeader('connection', 'close');
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
