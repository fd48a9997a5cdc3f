// Call fallbacks (issue #8) on real servers, over HTTP and gRPC: the hook file's function answers once
// the pipeline has given up (retries spent, breaker open) for the failures its policy names (by
// default the dependency's own unavailability), never for a 4xx or, by default, a 500; its own error
// reaches the caller; each use is logged with dependency, endpoint and kind, and counted.
import { createServer } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { InternalError, NotFound, Unavailable } from '../../../runtime/errors/index.js';
import { resolveFallbacks } from '../../../runtime/host/fallbacks.js';
import { createTransportFactory } from '../../../runtime/host/transports.js';
import type { ResiliencePolicy } from '../../../runtime/resilience/policy.js';
import type { CallDescriptor, EndpointDescriptor, ServiceDefinition } from '../../../runtime/service/definition.js';
import type { CallFailure } from '../../../runtime/service/fallback.js';
import type { ClientTransport } from '../../../runtime/transport/types.js';
import type { SchemaRegistry } from '../../../runtime/validation/types.js';
import { startMisbehavingServer, type MisbehavingServer } from '../../support/misbehaving-server.js';
import { fixtureModel } from '../../unit/proto/model-fixture.js';
import { startHarness, type Harness } from '../grpc/harness.js';
import { zeroItem } from '../grpc/items.js';
import { captureLogger, FAST, rejectionOf, things, thingsDefinition, type LogLine } from './fixtures.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A port nothing listens on: connections to it are refused. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** What the callee answers next. */
type Answer = 'ok' | 'unavailable' | 'notFound' | 'internal';

/** One callee over one transport, with the same knobs for HTTP and gRPC. */
interface Target {
  readonly kind: 'http' | 'grpc';
  readonly callee: ServiceDefinition;
  readonly schemas: SchemaRegistry;
  readonly endpoint: EndpointDescriptor;
  readonly input: unknown;
  readonly address: string;
  refusedAddress(): Promise<string>;
  /** Every request from now on gets this answer. */
  answer(answer: Answer): void;
  /** Requests the callee received so far. */
  requests(): number;
}

let http: MisbehavingServer;
let h: Harness;
beforeAll(async () => {
  [http, h] = await Promise.all([startMisbehavingServer(), startHarness(fixtureModel(), 'catalog')]);
});
afterAll(async () => {
  await Promise.all([http.close(), h.close()]);
});

const httpTarget = (): Target => ({
  kind: 'http',
  callee: thingsDefinition,
  schemas: { $id: 'meshspec:test', $defs: {} },
  endpoint: things.getThing,
  input: { id: '1' },
  address: http.origin,
  refusedAddress: async () => `http://127.0.0.1:${await closedPort()}`,
  answer(answer) {
    const statuses = { unavailable: 503, notFound: 404, internal: 500 } as const;
    http.setDefault(answer === 'ok' ? 'ok' : { status: statuses[answer] });
  },
  requests: () => http.requests,
});

const grpcTarget = (): Target => ({
  kind: 'grpc',
  callee: h.definition,
  schemas: h.schemas,
  // Declared idempotent, so the pipeline retries it as it does the HTTP GET.
  endpoint: { ...h.endpoint('getItem'), idempotent: true },
  input: { id: 'it' },
  address: h.address,
  refusedAddress: async () => `127.0.0.1:${await closedPort()}`,
  answer(answer) {
    h.respond = async () => {
      if (answer === 'unavailable') throw new Unavailable('restarting');
      if (answer === 'notFound') throw new NotFound('no such item');
      if (answer === 'internal') throw new InternalError('a bug');
      return { ...zeroItem(), id: 'it' };
    };
  },
  requests: () => h.invocations.length,
});

/** The caller: a transport factory given the hook file's `fallbacks` as a service's host gives it. */
function caller(target: Target, options: { address?: string; policy?: ResiliencePolicy; fallback?: (input: unknown, failure: CallFailure) => Promise<unknown> } = {}) {
  const service = target.callee.name;
  const used: { input: unknown; failure: CallFailure }[] = [];
  const answer = options.fallback ?? (async (_input: unknown, failure: CallFailure) => ({ fromFallback: true, kind: failure.kind }));
  // The hook file's `fallbacks` object, with one member the call names.
  const hooks = {
    async cached(input: unknown, failure: CallFailure) {
      used.push({ input, failure });
      return answer(input, failure);
    },
  };
  const call: CallDescriptor = { service, transport: target.kind, policy: options.policy ?? FAST, fallbacks: { [target.endpoint.name]: 'cached' } };
  const definition: ServiceDefinition = { ...thingsDefinition, name: 'shop', endpoints: [], calls: [call] };
  const logs: LogLine[] = [];
  const factory = createTransportFactory({
    callees: { [service]: target.callee },
    calls: definition.calls,
    schemas: target.schemas,
    logger: captureLogger(logs),
    discovery: { [target.kind]: { [service]: options.address ?? target.address } },
    env: {},
    fallbacks: resolveFallbacks(definition, hooks),
  });
  cleanups.push(() => factory.close());
  const transport: ClientTransport = factory.transportFor(service, target.kind);
  return {
    used,
    logs,
    call: () => transport.call(target.endpoint, target.input, {}),
    counters: () => factory.dependencies().resilience[service]!.counters,
  };
}

const BREAKER: ResiliencePolicy = {
  timeoutMs: 5_000,
  circuitBreaker: { consecutiveFailures: 1, minimumCalls: 1, windowMs: 60_000, openForMs: 60_000, halfOpenCalls: 1 },
};

describe.each([
  ['HTTP', httpTarget],
  ['gRPC', grpcTarget],
])('fallbacks over %s', (_name, targetOf) => {
  afterEach(() => targetOf().answer('ok'));

  it('answers for a callee that refuses connections, after the retries, with the input and kind unavailable; logged and counted', async () => {
    const target = targetOf();
    const c = caller(target, { address: await target.refusedAddress() });
    expect(await c.call()).toEqual({ fromFallback: true, kind: 'unavailable' });
    expect(c.used).toHaveLength(1);
    expect(c.used[0]!.input).toEqual(target.input);
    expect(c.used[0]!.failure).toMatchObject({ dependency: target.callee.name, endpoint: target.endpoint.name, kind: 'unavailable', error: { code: 'Unavailable' } });
    expect(c.counters()).toMatchObject({
      attempts: 3,
      failed: 1,
      fallbacks: 1,
      fallbacksByReason: { unavailable: 1 },
      fallbacksByEndpoint: { [target.endpoint.name]: 1 },
    });
    const line = c.logs.find((l) => l.msg.startsWith('fallback'));
    expect(line).toMatchObject({
      level: 40,
      dependency: target.callee.name,
      endpoint: target.endpoint.name,
      reason: 'unavailable',
      msg: `fallback answered for ${target.callee.name}.${target.endpoint.name} after unavailable`,
    });
  });

  it('answers with kind circuitOpen once the breaker is open, without calling the callee', async () => {
    const target = targetOf();
    target.answer('unavailable');
    const c = caller(target, { policy: BREAKER });
    expect(await c.call()).toEqual({ fromFallback: true, kind: 'unavailable' });
    const before = target.requests();
    expect(await c.call()).toEqual({ fromFallback: true, kind: 'circuitOpen' });
    expect(target.requests()).toBe(before);
    expect(c.counters()).toMatchObject({ fallbacks: 2, fallbacksByReason: { unavailable: 1, circuitOpen: 1 } });
  });

  it('lets a declared 4xx reach the caller and never calls the fallback', async () => {
    const target = targetOf();
    target.answer('notFound');
    const c = caller(target);
    expect((await rejectionOf(c.call())).code).toBe('NotFound');
    expect(c.used).toHaveLength(0);
    expect(c.counters().fallbacks).toBe(0);
  });

  it('lets a 500 through by default, and answers it when the policy lists failed', async () => {
    const target = targetOf();
    target.answer('internal');
    const byDefault = caller(target);
    expect((await rejectionOf(byDefault.call())).code).toBe('Internal');
    expect(byDefault.used).toHaveLength(0);

    const onFailed = caller(target, { policy: { ...FAST, fallback: { on: ['failed'] } } });
    expect(await onFailed.call()).toEqual({ fromFallback: true, kind: 'failed' });
    expect(onFailed.counters().fallbacksByReason).toEqual({ failed: 1 });
  });

  it("gives the caller the fallback's own error when it throws", async () => {
    const target = targetOf();
    const broken = new Error('the cache is empty too');
    const c = caller(target, { address: await target.refusedAddress(), fallback: () => Promise.reject(broken) });
    await expect(c.call()).rejects.toBe(broken);
    expect(c.used).toHaveLength(1);
  });
});
