// The same client over gRPC: a real grpc-js server of the fixture model's catalog whose answers the
// test scripts (meshspec errors in trailers), and a raw grpc-js server that is not meshspec's and
// answers RESOURCE_EXHAUSTED with a retry pushback.
import { Metadata, Server, ServerCredentials, status as Status, type ServiceDefinition as GrpcServiceDefinition } from '@grpc/grpc-js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { NotFound, Unavailable } from '../../../runtime/errors/index.js';
import { createGrpcCodec } from '../../../runtime/grpc/codec.js';
import { createTransportFactory } from '../../../runtime/host/transports.js';
import type { ResiliencePolicy } from '../../../runtime/resilience/policy.js';
import type { EndpointDescriptor } from '../../../runtime/service/definition.js';
import { fixtureModel } from '../../unit/proto/model-fixture.js';
import { startHarness, type Harness } from '../grpc/harness.js';
import { zeroItem } from '../grpc/items.js';
import { captureLogger, FAST, rejectionOf, type LogLine } from './fixtures.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness(fixtureModel(), 'catalog');
});
afterAll(() => h.close());

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function client(address: string, policy: ResiliencePolicy = FAST) {
  const logs: LogLine[] = [];
  const factory = createTransportFactory({
    callees: { catalog: h.definition },
    calls: [{ service: 'catalog', transport: 'grpc', policy }],
    schemas: h.schemas,
    logger: captureLogger(logs),
    discovery: { grpc: { catalog: address } },
    env: {},
  });
  cleanups.push(() => factory.close());
  return { transport: factory.transportFor('catalog', 'grpc'), counters: () => factory.dependencies().resilience['catalog']!.counters };
}

/** The fixture's getItem is a POST (not idempotent); this is the same rpc declared idempotent. */
const idempotent = (name: string): EndpointDescriptor => ({ ...h.endpoint(name), idempotent: true });

/** Fails the first `n` invocations with `error()`, then answers with an item. */
function failFirst(n: number, error: () => Error): void {
  let left = n;
  h.respond = async () => {
    if (left-- > 0) throw error();
    return { ...zeroItem(), id: 'it' };
  };
}

describe('gRPC: retries at the caller', () => {
  it('retries UNAVAILABLE and answers with the third attempt', async () => {
    const before = h.invocations.length;
    failFirst(2, () => new Unavailable('restarting'));
    const c = client(h.address);
    expect(await c.transport.call(idempotent('getItem'), { id: 'it' }, {})).toMatchObject({ id: 'it' });
    expect(h.invocations.length - before).toBe(3);
    expect(c.counters()).toMatchObject({ attempts: 3, retries: 2, retriesByReason: { unavailable: 2 } });
    // The callee knows how long the caller waits: the pipeline's deadline travels as the gRPC deadline.
    expect(h.invocations.at(-1)!.meta.deadline).not.toBeNull();
  });

  it('never retries a declared 4xx', async () => {
    const before = h.invocations.length;
    failFirst(5, () => new NotFound('no such item'));
    const c = client(h.address);
    expect((await rejectionOf(c.transport.call(idempotent('getItem'), { id: 'it' }, {}))).code).toBe('NotFound');
    expect(h.invocations.length - before).toBe(1);
  });

  it('does not retry a non-idempotent rpc without a key; with one it does, sending idempotency-key metadata each time', async () => {
    let before = h.invocations.length;
    failFirst(5, () => new Unavailable('restarting'));
    const c = client(h.address);
    await rejectionOf(c.transport.call(h.endpoint('getItem'), { id: 'it' }, {}));
    expect(h.invocations.length - before).toBe(1);

    before = h.invocations.length;
    failFirst(2, () => new Unavailable('restarting'));
    await c.transport.call(h.endpoint('getItem'), { id: 'it' }, { idempotencyKey: 'grpc-key-1' });
    const attempts = h.invocations.slice(before);
    expect(attempts.map((i) => i.meta.idempotencyKey)).toEqual(['grpc-key-1', 'grpc-key-1', 'grpc-key-1']);
  });
});

describe('gRPC: a callee that is not meshspec', () => {
  async function exhausted(pushbackMs: string): Promise<{ address: string; calls: () => number }> {
    const path = createGrpcCodec(h.definition, h.schemas).endpoint('getItem').path;
    let calls = 0;
    const service: GrpcServiceDefinition = {
      getItem: {
        path,
        requestStream: false,
        responseStream: false,
        requestSerialize: (b: Buffer) => b,
        requestDeserialize: (b: Buffer) => b,
        responseSerialize: (b: Buffer) => b,
        responseDeserialize: (b: Buffer) => b,
      },
    };
    const server = new Server();
    server.addService(service, {
      getItem: (_call: unknown, callback: (error: object) => void) => {
        calls++;
        const metadata = new Metadata();
        metadata.set('grpc-retry-pushback-ms', pushbackMs);
        callback({ code: Status.RESOURCE_EXHAUSTED, details: 'slow down', metadata });
      },
    });
    const port = await new Promise<number>((resolve, reject) =>
      server.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (err, bound) => (err ? reject(err) : resolve(bound))),
    );
    cleanups.push(() => new Promise<void>((resolve) => server.tryShutdown(() => resolve())));
    return { address: `127.0.0.1:${port}`, calls: () => calls };
  }

  it('RESOURCE_EXHAUSTED is TooManyRequests (429) and retried', async () => {
    const server = await exhausted('0');
    const c = client(server.address);
    const error = await rejectionOf(c.transport.call(idempotent('getItem'), { id: 'it' }, {}));
    expect(error).toMatchObject({ code: 'TooManyRequests', status: 429 });
    expect(server.calls()).toBe(3);
    expect(c.counters().retriesByReason).toEqual({ rateLimited: 2 });
  });

  it('honours the retry pushback: a wait past the deadline is not taken', async () => {
    const server = await exhausted('60000');
    const c = client(server.address, { ...FAST, timeoutMs: 2_000 });
    await rejectionOf(c.transport.call(idempotent('getItem'), { id: 'it' }, {}));
    expect(server.calls()).toBe(1);
    expect(c.counters().retriesDenied.deadline).toBe(1);
  });
});
