// A TCP proxy in front of a broker whose connections a test can cut, as a network failure would,
// without touching the broker or anyone else's connections to it.
import net from 'node:net';

export interface TcpProxy {
  /** The proxy's port on 127.0.0.1. */
  readonly port: number;
  /** Connections accepted so far. */
  readonly accepted: number;
  /** Destroys every open connection through the proxy (both sides); new ones are still accepted. */
  drop(): void;
  close(): Promise<void>;
}

/**
 * Starts a proxy on a free port forwarding to `host:port`.
 * @example
 * const proxy = await tcpProxy('127.0.0.1', 6379);
 * const redis = new Redis(`redis://127.0.0.1:${proxy.port}`);
 * proxy.drop(); // the client sees a connection reset and reconnects through the proxy
 */
export async function tcpProxy(host: string, port: number): Promise<TcpProxy> {
  const sockets = new Set<net.Socket>();
  let accepted = 0;
  const server = net.createServer((client) => {
    accepted += 1;
    const upstream = net.connect(port, host);
    for (const [a, b] of [[client, upstream], [upstream, client]] as const) {
      sockets.add(a);
      a.pipe(b);
      a.on('error', () => b.destroy());
      a.on('close', () => (b.destroy(), sockets.delete(a)));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const drop = () => sockets.forEach((s) => s.destroy());
  return {
    port: (server.address() as net.AddressInfo).port,
    get accepted() {
      return accepted;
    },
    drop,
    close: () => (drop(), new Promise<void>((resolve) => server.close(() => resolve()))),
  };
}
