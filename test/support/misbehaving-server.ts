// A real HTTP server that misbehaves on cue, for the resilience tests: each request takes the next
// behaviour of its script (then the default one): answer, fail with a status (and headers such as
// Retry-After), hang until released, reset the connection, or forward to a real service and then
// answer or reset (the callee did the work, the caller never heard). It counts what it received.
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { request as undiciRequest } from 'undici';

/** What the server does with one request. */
export type Behaviour =
  /** 200 with `{ ok: true, n }` (n: this server's request number), or the `answer` option's body. */
  | 'ok'
  /** Never answers until `release()` (then 200 as `ok`) or `close()`. */
  | 'hang'
  /** Resets the TCP connection without an answer (the client sees ECONNRESET). */
  | 'reset'
  /** Forwards to `upstream` and passes its answer back. */
  | 'forward'
  /** Forwards to `upstream`, then resets the connection instead of answering: the work was done, the answer lost. */
  | 'forward-then-reset'
  /** Answers with this status, headers and JSON body (default a mesh error body for the status). */
  | { status: number; headers?: Record<string, string>; body?: unknown };

/** One request as the server saw it. */
export interface SeenRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  behaviour: string;
}

export interface MisbehavingServer {
  readonly origin: string;
  readonly port: number;
  /** Every request received, in order. */
  readonly seen: readonly SeenRequest[];
  /** Requests received so far. */
  readonly requests: number;
  /** Requests hanging now. */
  readonly hanging: number;
  /** TCP connections open now (keep-alive ones included). */
  readonly connections: number;
  /** Queues behaviours for the next requests, in order. */
  script(...behaviours: Behaviour[]): void;
  /** What requests do once the script is used up. */
  setDefault(behaviour: Behaviour): void;
  /** Answers every hanging request (200 as `ok`). */
  release(): void;
  close(): Promise<void>;
}

export interface MisbehavingOptions {
  /** Behaviour after the script. Default `'ok'`. */
  default?: Behaviour;
  /** Origin of the real service `forward` behaviours go to. */
  upstream?: string;
}

const codes: Record<number, string> = { 400: 'BadRequest', 404: 'NotFound', 429: 'TooManyRequests', 500: 'Internal', 502: 'BadGateway', 503: 'Unavailable', 504: 'Timeout' };

/**
 * Starts a misbehaving server on 127.0.0.1 and a free port.
 *
 * @param options default behaviour (default `'ok'`), upstream for `forward` (default none).
 * @example
 * const server = await startMisbehavingServer();
 * server.script({ status: 503 }, { status: 503 });   // fail twice, then answer
 * await client.getThing({ id: 1 });
 * server.requests; // 3
 */
export async function startMisbehavingServer(options: MisbehavingOptions = {}): Promise<MisbehavingServer> {
  const queue: Behaviour[] = [];
  let fallback: Behaviour = options.default ?? 'ok';
  const seen: SeenRequest[] = [];
  const hung = new Set<() => void>();
  const sockets = new Set<Socket>();

  const ok = (res: ServerResponse, n: number) => {
    if (res.destroyed || res.writableEnded) return;
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: true, n }));
  };

  const forward = async (req: IncomingMessage, body: Buffer): Promise<{ status: number; headers: Record<string, string>; body: Buffer }> => {
    if (!options.upstream) throw new Error('forward needs the upstream option');
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (typeof value === 'string' && name !== 'host' && name !== 'connection' && name !== 'content-length') headers[name] = value;
    }
    const method = req.method as 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
    const answer = await undiciRequest(`${options.upstream}${req.url}`, { method, headers, body: body.length > 0 ? body : null });
    const text = Buffer.from(await answer.body.arrayBuffer());
    const contentType = answer.headers['content-type'];
    return { status: answer.statusCode, headers: typeof contentType === 'string' ? { 'content-type': contentType } : {}, body: text };
  };

  const server = createServer((req, res) => {
    const behaviour = queue.shift() ?? fallback;
    const n = seen.length + 1;
    seen.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, behaviour: typeof behaviour === 'string' ? behaviour : String(behaviour.status) });
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      if (behaviour === 'ok') ok(res, n);
      else if (behaviour === 'hang') {
        const answer = () => ok(res, n);
        hung.add(answer);
        res.on('close', () => hung.delete(answer));
      } else if (behaviour === 'reset') req.socket.resetAndDestroy();
      else if (behaviour === 'forward' || behaviour === 'forward-then-reset') {
        forward(req, Buffer.concat(chunks)).then(
          (answer) => {
            if (behaviour === 'forward-then-reset') req.socket.resetAndDestroy();
            else res.writeHead(answer.status, answer.headers).end(answer.body);
          },
          () => req.socket.resetAndDestroy(),
        );
      } else {
        const body = behaviour.body ?? { error: { code: codes[behaviour.status] ?? 'BadGateway', message: `scripted ${behaviour.status}` } };
        res.writeHead(behaviour.status, { 'content-type': 'application/json', ...behaviour.headers }).end(JSON.stringify(body));
      }
    });
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;

  return {
    origin: `http://127.0.0.1:${port}`,
    port,
    seen,
    get requests() {
      return seen.length;
    },
    get hanging() {
      return hung.size;
    },
    get connections() {
      return sockets.size;
    },
    script(...behaviours) {
      queue.push(...behaviours);
    },
    setDefault(behaviour) {
      fallback = behaviour;
    },
    release() {
      for (const answer of [...hung]) answer();
      hung.clear();
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
