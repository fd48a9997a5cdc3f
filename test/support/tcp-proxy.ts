// A TCP proxy in front of a broker whose connections a test can cut, as a network failure would,
// without touching the broker or anyone else's connections to it: the fault proxy with no faults.
import { startFaultProxy } from './fault-proxy.js';

export interface TcpProxy {
  /** The proxy's port on 127.0.0.1. */
  readonly port: number;
  /** Connections accepted so far. */
  readonly accepted: number;
  /** Resets every open connection through the proxy (both sides); new ones are still accepted. */
  drop(): void;
  close(): Promise<void>;
}

/**
 * Starts a proxy on a free port forwarding to `host:port`.
 * @param host the target's host
 * @param port the target's port
 * @example
 * const proxy = await tcpProxy('127.0.0.1', 6379);
 * const redis = new Redis(`redis://127.0.0.1:${proxy.port}`);
 * proxy.drop(); // the client sees a connection reset and reconnects through the proxy
 */
export async function tcpProxy(host: string, port: number): Promise<TcpProxy> {
  const proxy = await startFaultProxy(host, port);
  return {
    port: proxy.port,
    get accepted() {
      return proxy.counts().connections;
    },
    drop: proxy.drop,
    close: proxy.close,
  };
}
