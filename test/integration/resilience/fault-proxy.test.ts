// The fault proxy (test/support/fault-proxy.ts) against tiny real servers: each fault does what the
// crash test relies on (a refused or hung call never reaches the service; a cut one does, and its
// answer is lost), over HTTP/1.1 and HTTP/2 (gRPC's transport), drawn per connection or per chunk, and counted.
import * as grpc from '@grpc/grpc-js';
import http from 'node:http';
import http2 from 'node:http2';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { pickFault, startFaultProxy, type FaultProxy } from '../../support/fault-proxy.js';

/** A server that counts the requests it handled (their bodies read to the end) and answers each. */
function countingHandler(counter: { handled: number }) {
  return (req: http.IncomingMessage | http2.Http2ServerRequest, res: http.ServerResponse | http2.Http2ServerResponse) => {
    req.on('data', () => undefined);
    req.on('end', () => {
      counter.handled += 1;
      res.setHeader('content-type', 'text/plain');
      res.end(`handled ${counter.handled}`);
    });
  };
}

/** One request through `port` with its own connection (or `agent`'s); resolves its status and body, or the error. */
function request(port: number, agent: http.Agent | false = false, timeoutMs = 2000) {
  return new Promise<{ status: number; body: string } | Error>((resolve) => {
    const req = http.request({ host: '127.0.0.1', port, method: 'POST', path: '/act', agent, timeout: timeoutMs }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode!, body }));
      res.on('error', resolve);
    });
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', resolve);
    req.end('{"pay":1}');
  });
}

/** A seeded generator, so a random policy's run is the same every time. */
function seeded(seed: number): () => number {
  let state = seed;
  return () => ((state = (state * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648);
}

describe('pickFault', () => {
  it('draws each fault with its weight and passes the rest; weights past 1 are scaled', () => {
    const random = seeded(7);
    const drawn = { pass: 0, refuse: 0, hang: 0, cut: 0 };
    for (let i = 0; i < 10_000; i++) drawn[pickFault({ refuse: 0.1, cut: 0.3 }, random)] += 1;
    expect(drawn.hang).toBe(0);
    expect(drawn.refuse).toBeGreaterThan(800);
    expect(drawn.refuse).toBeLessThan(1200);
    expect(drawn.cut).toBeGreaterThan(2700);
    expect(drawn.cut).toBeLessThan(3300);
    expect(pickFault(undefined, random)).toBe('pass');
    expect(new Set(Array.from({ length: 100 }, () => pickFault({ refuse: 3, hang: 3 }, random)))).toEqual(new Set(['refuse', 'hang']));
  });
});

describe('the fault proxy over HTTP/1.1', () => {
  const counter = { handled: 0 };
  const server = http.createServer(countingHandler(counter));
  let proxy: FaultProxy;

  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    proxy = await startFaultProxy('127.0.0.1', (server.address() as AddressInfo).port);
  });
  afterEach(() => proxy.setPolicy({}));
  afterAll(async () => {
    await proxy.close();
    await new Promise((resolve) => server.close(resolve));
  });

  it('passes requests and answers by default', async () => {
    const before = counter.handled;
    expect(await request(proxy.port)).toEqual({ status: 200, body: `handled ${before + 1}` });
  });

  it('refuse: the caller is reset and the service never sees the request', async () => {
    proxy.setPolicy({ connection: { refuse: 1 } });
    const [before, counts] = [counter.handled, proxy.counts()];
    const result = await request(proxy.port);
    expect(result).toBeInstanceOf(Error);
    expect(counter.handled).toBe(before);
    expect(proxy.counts()).toMatchObject({ connections: counts.connections + 1, refused: counts.refused + 1 });
  });

  it('hang: the caller waits out its own timeout and the service never sees the request', async () => {
    proxy.setPolicy({ connection: { hang: 1 } });
    const [before, hung] = [counter.handled, proxy.counts().hung];
    const started = Date.now();
    const result = await request(proxy.port, false, 300);
    expect((result as Error).message).toBe('timed out');
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    expect(counter.handled).toBe(before);
    expect(proxy.counts().hung).toBe(hung + 1);
  });

  it('cut: the service handles the request, the caller loses the answer', async () => {
    proxy.setPolicy({ connection: { cut: 1 } });
    const [before, cut] = [counter.handled, proxy.counts().cut];
    const result = await request(proxy.port);
    expect(result).toBeInstanceOf(Error);
    expect(counter.handled).toBe(before + 1);
    expect(proxy.counts().cut).toBe(cut + 1);
  });

  it('per chunk: a kept-alive connection that passed is cut at a later request', async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const connections = proxy.counts().connections;
      const before = counter.handled;
      expect(await request(proxy.port, agent)).toMatchObject({ status: 200 });
      proxy.setPolicy({ chunk: { cut: 1 } });
      expect(await request(proxy.port, agent)).toBeInstanceOf(Error);
      expect(counter.handled).toBe(before + 2);
      expect(proxy.counts().connections).toBe(connections + 1);
    } finally {
      agent.destroy();
    }
  });

  it('a random policy: every connection is counted once, and the service sees exactly those that passed or were cut', async () => {
    const seededProxy = await startFaultProxy('127.0.0.1', (server.address() as AddressInfo).port, {
      policy: { connection: { refuse: 0.2, cut: 0.2, hang: 0.1 } },
      random: seeded(42),
    });
    try {
      const before = counter.handled;
      const results = await Promise.all(Array.from({ length: 60 }, () => request(seededProxy.port, false, 2000)));
      const counts = seededProxy.counts();
      const answered = results.filter((r) => !(r instanceof Error)).length;
      expect(counts.connections).toBe(60);
      expect(counts.refused + counts.hung + counts.cut + answered).toBe(60);
      expect(Math.min(counts.refused, counts.hung, counts.cut, answered)).toBeGreaterThan(0);
      expect(counter.handled - before).toBe(answered + counts.cut);
    } finally {
      await seededProxy.close();
    }
  });
});

describe('the fault proxy over HTTP/2 (gRPC\'s transport)', () => {
  const counter = { handled: 0 };
  const server = http2.createServer(countingHandler(counter));
  let proxy: FaultProxy;

  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    proxy = await startFaultProxy('127.0.0.1', (server.address() as AddressInfo).port);
  });
  afterAll(async () => {
    await proxy.close();
    await new Promise((resolve) => server.close(resolve));
  });

  /** One HTTP/2 request on a connection of its own through the proxy. */
  function request2() {
    return new Promise<{ status: number; body: string } | Error>((resolve) => {
      const session = http2.connect(`http://127.0.0.1:${proxy.port}`);
      session.on('error', resolve);
      const stream = session.request({ ':method': 'POST', ':path': '/act' });
      let status = 0;
      let body = '';
      stream.on('response', (headers) => (status = Number(headers[':status'])));
      stream.on('data', (c: Buffer) => (body += c.toString()));
      const lost = () => resolve(new Error('the stream ended without an answer'));
      stream.on('end', () => (session.close(), status === 0 ? lost() : resolve({ status, body })));
      stream.on('error', (err) => (session.destroy(), resolve(err)));
      stream.on('close', () => status === 0 && lost());
      stream.end('{"pay":1}');
    });
  }

  it('passes a request on a pass policy', async () => {
    const before = counter.handled;
    expect(await request2()).toEqual({ status: 200, body: `handled ${before + 1}` });
  });

  it('cut per chunk: the settings exchange passes, the service answers, the caller never sees the answer', async () => {
    proxy.setPolicy({ chunk: { cut: 1 } });
    const [before, cut] = [counter.handled, proxy.counts().cut];
    expect(await request2()).toBeInstanceOf(Error);
    expect(counter.handled).toBe(before + 1);
    // At least: the previous test's connection, closing, may send its GOAWAY under this policy too.
    expect(proxy.counts().cut).toBeGreaterThanOrEqual(cut + 1);
  });

  it('refuse per connection: the service never sees the request', async () => {
    proxy.setPolicy({ connection: { refuse: 1 } });
    const before = counter.handled;
    expect(await request2()).toBeInstanceOf(Error);
    expect(counter.handled).toBe(before);
  });
});

describe('the fault proxy in front of a gRPC server (grpc-js)', () => {
  // One unary method with raw bytes for messages: the proxy never looks inside them.
  const bytes = { path: '/shop.Test/Act', requestStream: false, responseStream: false, requestSerialize: (b: Buffer) => b, requestDeserialize: (b: Buffer) => b, responseSerialize: (b: Buffer) => b, responseDeserialize: (b: Buffer) => b };
  const definition = { act: bytes } as grpc.ServiceDefinition;
  const counter = { handled: 0 };
  const server = new grpc.Server();
  let proxy: FaultProxy;

  beforeAll(async () => {
    server.addService(definition, {
      act: (_call: unknown, callback: grpc.sendUnaryData<Buffer>) => callback(null, Buffer.from(`handled ${++counter.handled}`)),
    });
    const port = await new Promise<number>((resolve, reject) =>
      server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))),
    );
    proxy = await startFaultProxy('127.0.0.1', port);
  });
  afterAll(async () => {
    await proxy.close();
    server.forceShutdown();
  });

  /** One call on a channel of its own through the proxy; resolves the answer or the gRPC status code. */
  function act(): Promise<string | grpc.status> {
    const Client = grpc.makeGenericClientConstructor(definition, 'Test');
    const client = new Client(`127.0.0.1:${proxy.port}`, grpc.credentials.createInsecure());
    return new Promise((resolve) => {
      client.makeUnaryRequest(bytes.path, bytes.requestSerialize, bytes.responseDeserialize, Buffer.from('pay'), { deadline: Date.now() + 2000 }, (err, answer) => {
        client.close();
        resolve(err ? (err.code as grpc.status) : answer!.toString());
      });
    });
  }

  it('passes, then cut: the server handled the call, the client sees UNAVAILABLE', async () => {
    const before = counter.handled;
    expect(await act()).toBe(`handled ${before + 1}`);
    proxy.setPolicy({ chunk: { cut: 1 } });
    expect(await act()).toBe(grpc.status.UNAVAILABLE);
    expect(counter.handled).toBe(before + 2);
  });

  it('hang: the call runs out of its deadline and the server never sees it', async () => {
    proxy.setPolicy({ connection: { hang: 1 } });
    const before = counter.handled;
    expect(await act()).toBe(grpc.status.DEADLINE_EXCEEDED);
    expect(counter.handled).toBe(before);
  });
});
