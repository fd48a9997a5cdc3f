// Small real HTTP servers on free ports whose answers a test changes on cue: `/ready` status,
// a status for everything else, or no answer at all.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface CueServer {
  readonly origin: string;
  readonly port: number;
  /** Status of `GET /ready`; `'hang'` never answers. */
  ready: number | 'hang';
  /** Status of every other request. */
  status: number;
  /** Remote addresses of the requests served, in order. */
  readonly seen: string[];
  close(): Promise<void>;
}

/**
 * A server on a free port of `host` (default 127.0.0.1; `'::'` listens on both stacks where the
 * machine has IPv6, falling back to 127.0.0.1).
 */
export async function startCueServer(host = '127.0.0.1'): Promise<CueServer> {
  const hanging = new Set<import('node:http').ServerResponse>();
  const state = { ready: 200 as number | 'hang', status: 200, seen: [] as string[] };
  const server: Server = createServer((req, res) => {
    state.seen.push(req.socket.remoteAddress ?? '');
    if (req.url === '/ready') {
      if (state.ready === 'hang') {
        hanging.add(res);
        return;
      }
      res.writeHead(state.ready, { 'content-type': 'application/json' }).end(JSON.stringify({ ready: state.ready === 200 }));
      return;
    }
    res.writeHead(state.status, { 'content-type': 'application/json' }).end('{}');
  });
  const listenOn = (h: string) =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, h, () => {
        server.off('error', reject);
        resolve();
      });
    });
  try {
    await listenOn(host);
  } catch (err) {
    if (host !== '::') throw err;
    await listenOn('127.0.0.1');
  }
  const port = (server.address() as AddressInfo).port;
  return {
    origin: `http://127.0.0.1:${port}`,
    port,
    get ready() {
      return state.ready;
    },
    set ready(value) {
      state.ready = value;
    },
    get status() {
      return state.status;
    },
    set status(value) {
      state.status = value;
    },
    seen: state.seen,
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of hanging) res.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A port nothing listens on: taken from the system, then released. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
