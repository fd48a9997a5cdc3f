// A TCP proxy that injects network faults between a caller and a service, for crash and chaos tests
// (issue #12): per new connection, and per chunk the caller sends, a settable random policy picks
// `pass`, `refuse` (reset at once, nothing forwarded), `hang` (held open, nothing forwarded, until the
// caller gives up) or `cut` (the caller's bytes reach the service, the answer is lost and the
// connection reset: the callee acted, the caller cannot know). TCP-level, so it serves HTTP/1.1 and
// gRPC (HTTP/2) alike; on HTTP/2 a cut waits for the service's first HEADERS frame (an answer), not its
// SETTINGS or WINDOW_UPDATE frames, which it still passes on.
//
// Point a service's calls at it with MESH_<SERVICE>_HTTP=http://127.0.0.1:<port> or
// MESH_<SERVICE>_GRPC=127.0.0.1:<port> (common/discovery.ts, runtime/discovery/sources/env.ts) in the
// caller's environment; in one process (startStack) also MESH_COLOCATE=off, or calls never touch TCP.
import net from 'node:net';

/** What the proxy does with a connection or a chunk. */
export type FaultAction = 'pass' | 'refuse' | 'hang' | 'cut';

/** The probability of each fault (0 to 1); what is left to 1 passes. Weights summing past 1 are scaled down. */
export type FaultWeights = Partial<Record<Exclude<FaultAction, 'pass'>, number>>;

/** When faults are drawn: once per new connection, and for each chunk the caller sends on a connection that passed. */
export interface FaultPolicy {
  readonly connection?: FaultWeights;
  readonly chunk?: FaultWeights;
}

/** What the proxy did so far: connections accepted, and each fault however it was drawn. */
export interface FaultCounts {
  readonly connections: number;
  readonly refused: number;
  readonly hung: number;
  readonly cut: number;
}

/** A running fault proxy. */
export interface FaultProxy {
  /** Its port on 127.0.0.1. */
  readonly port: number;
  /** A copy of its counters. */
  counts(): FaultCounts;
  /** Replaces the policy; connections already open keep their connection draw, chunks use the new one. */
  setPolicy(policy: FaultPolicy): void;
  /** Resets every open connection (both sides); new ones are still accepted. */
  drop(): void;
  /** Stops listening and resets every open connection. */
  close(): Promise<void>;
}

/** Options of `startFaultProxy`. */
export interface FaultProxyOptions {
  /** Initial policy; default `{}` (everything passes). */
  readonly policy?: FaultPolicy;
  /** Draws in [0, 1); default Math.random (give a seeded one for a reproducible run). */
  readonly random?: () => number;
}

const FAULTS = ['refuse', 'hang', 'cut'] as const;
const HTTP2_PREFACE = 'PRI * HTTP/2.0';
const HTTP2_FRAME_HEADER = 9;
const HTTP2_HEADERS = 0x1;

/**
 * Draws an action from `weights`.
 *
 * @param weights the probability of each fault; undefined: pass
 * @param random a number in [0, 1)
 * @example pickFault({ refuse: 0.1, cut: 0.1 }, Math.random); // 'pass' 80% of the time
 */
export function pickFault(weights: FaultWeights | undefined, random: () => number): FaultAction {
  if (!weights) return 'pass';
  const total = FAULTS.reduce((sum, f) => sum + Math.max(0, weights[f] ?? 0), 0);
  if (total === 0) return 'pass';
  let draw = random() * Math.max(1, total);
  for (const fault of FAULTS) {
    draw -= Math.max(0, weights[fault] ?? 0);
    if (draw < 0) return fault;
  }
  return 'pass';
}

/**
 * Follows HTTP/2 frame boundaries in one direction of a connection, across chunks, to find where a
 * HEADERS frame starts.
 */
class Http2Frames {
  private remaining = 0;
  private header = Buffer.alloc(0);

  /** Consumes `chunk`; returns the offset where its first HEADERS frame starts (0 if it began in an earlier chunk), or -1. */
  firstHeaders(chunk: Buffer): number {
    let found = -1;
    let i = 0;
    while (i < chunk.length) {
      if (this.remaining > 0) {
        const n = Math.min(this.remaining, chunk.length - i);
        this.remaining -= n;
        i += n;
        continue;
      }
      const start = i - this.header.length;
      const part = chunk.subarray(i, i + HTTP2_FRAME_HEADER - this.header.length);
      this.header = Buffer.concat([this.header, part]);
      i += part.length;
      if (this.header.length < HTTP2_FRAME_HEADER) break;
      this.remaining = this.header.readUIntBE(0, 3);
      if (this.header[3] === HTTP2_HEADERS && found < 0) found = Math.max(0, start);
      this.header = Buffer.alloc(0);
    }
    return found;
  }
}

/**
 * Starts a fault proxy on a free port of 127.0.0.1 forwarding to `host:port`.
 *
 * @param host the target's host
 * @param port the target's port
 * @param options the initial policy (default: all pass) and the random source (default Math.random)
 * @example
 * const proxy = await startFaultProxy('127.0.0.1', paymentsPort, { policy: { chunk: { cut: 0.05, hang: 0.02 } } });
 * const env = { MESH_PAYMENTS_HTTP: `http://127.0.0.1:${proxy.port}` }; // for the orders process
 * // ... later
 * console.log(proxy.counts()); // { connections: 41, refused: 0, hung: 3, cut: 7 }
 * await proxy.close();
 */
export async function startFaultProxy(host: string, port: number, options: FaultProxyOptions = {}): Promise<FaultProxy> {
  let policy: FaultPolicy = options.policy ?? {};
  const random = options.random ?? Math.random;
  const counts = { connections: 0, refused: 0, hung: 0, cut: 0 };
  const sockets = new Set<net.Socket>();
  const track = (socket: net.Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    // Resets and aborts are the point here: an error only ends the connection (below).
    socket.on('error', () => undefined);
    return socket;
  };

  /** Holds `client` open, reading and dropping what it sends, until it closes. */
  const hang = (client: net.Socket) => {
    counts.hung += 1;
    client.removeAllListeners('data');
    client.on('data', () => undefined);
    client.resume();
  };

  const server = net.createServer((client) => {
    track(client);
    counts.connections += 1;
    const drawn = pickFault(policy.connection, random);
    if (drawn === 'refuse') {
      counts.refused += 1;
      client.resetAndDestroy();
      return;
    }
    if (drawn === 'hang') return hang(client);

    const upstream = track(net.connect(port, host));
    let cutting = drawn === 'cut';
    if (cutting) counts.cut += 1;
    let hung = false;
    let http2: boolean | undefined;
    const frames = new Http2Frames();
    const reset = () => {
      client.resetAndDestroy();
      upstream.destroy();
    };

    client.on('data', (chunk: Buffer) => {
      http2 ??= chunk.subarray(0, HTTP2_PREFACE.length).toString('latin1') === HTTP2_PREFACE;
      if (!cutting) {
        const action = pickFault(policy.chunk, random);
        if (action === 'refuse') {
          counts.refused += 1;
          return reset();
        }
        if (action === 'hang') {
          hung = true;
          upstream.destroy();
          return hang(client);
        }
        if (action === 'cut') {
          counts.cut += 1;
          cutting = true;
        }
      }
      // Backpressure: a slow service slows the caller, as without the proxy.
      if (!upstream.write(chunk)) client.pause();
    });
    upstream.on('drain', () => client.resume());
    client.on('drain', () => upstream.resume());

    upstream.on('data', (chunk: Buffer) => {
      const headersAt = http2 ? frames.firstHeaders(chunk) : 0;
      if (cutting && headersAt >= 0) {
        // The answer begins: what came before it (HTTP/2 settings, pings, window updates) still passes.
        if (headersAt > 0) client.write(chunk.subarray(0, headersAt));
        return reset();
      }
      if (!client.write(chunk)) upstream.pause();
    });

    client.on('close', () => upstream.destroy());
    upstream.on('end', () => hung || client.end());
    upstream.on('close', () => hung || client.destroy());
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const drop = () => sockets.forEach((s) => s.resetAndDestroy());
  return {
    port: (server.address() as net.AddressInfo).port,
    counts: () => ({ ...counts }),
    setPolicy: (next) => void (policy = next),
    drop,
    close: () => (drop(), new Promise<void>((resolve) => server.close(() => resolve()))),
  };
}
