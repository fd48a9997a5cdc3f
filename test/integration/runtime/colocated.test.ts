// Co-located calls (issue #9 part 3): a caller whose callee runs in the same process calls its invoke
// instead of the network, with the network's semantics and the caller's policies. Real services on
// free ports; the same calls made over HTTP are the reference.
import { pino, type Logger } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryBus } from '../../../runtime/bus/memory.js';
import { Forbidden, MeshError, TooManyRequests, Unavailable } from '../../../runtime/errors/index.js';
import { createColocatedRegistry, colocationFromEnv, type ColocatedRegistry } from '../../../runtime/host/colocated.js';
import { startService } from '../../../runtime/host/start.js';
import { createTransportFactory, type TransportFactory } from '../../../runtime/host/transports.js';
import type { HostSettings, RunningService, ServiceHostOptions } from '../../../runtime/host/types.js';
import { retryAfterOf } from '../../../runtime/resilience/classify.js';
import type { ResiliencePolicy } from '../../../runtime/resilience/policy.js';
import type { CallDescriptor, EndpointDescriptor, ServiceDefinition } from '../../../runtime/service/definition.js';
import type { FallbackHook } from '../../../runtime/service/fallback.js';
import type { SchemaRegistry } from '../../../runtime/validation/types.js';
import { testEndpoint, type EndpointSketch } from '../../support/endpoint.js';

const record = (properties: Record<string, object>, required: string[] = Object.keys(properties)) => ({
  type: 'object',
  additionalProperties: false,
  required,
  properties,
});

const schemas: SchemaRegistry = {
  $id: 'meshspec:colocated-test',
  $defs: {
    GetBook: record({ id: { type: 'integer' } }),
    Book: record({ id: { type: 'integer' }, title: { type: 'string' }, tags: { type: 'array', items: { type: 'string' } } }, ['id', 'title']),
    NewBook: record({ title: { type: 'string', minLength: 1 }, tags: { type: 'array', items: { type: 'string' } }, at: { type: 'string' } }, ['title']),
    Failure: record({ how: { type: 'string' } }),
    Empty: record({}),
    Anything: { type: 'object' },
  },
};

const endpoint = (e: EndpointSketch): EndpointDescriptor => testEndpoint(e, { output: { type: 'Anything', list: false }, grpcRequest: null, grpcResponse: null });

const shelf = {
  getBook: endpoint({ name: 'getBook', method: 'GET', path: '/books/{id}', input: 'GetBook', output: { type: 'Book', list: false } }),
  addBook: endpoint({ name: 'addBook', method: 'POST', path: '/books', input: 'NewBook', inputSource: 'body', successStatus: 201, output: { type: 'Book', list: false } }),
  fail: endpoint({
    name: 'fail',
    method: 'GET',
    path: '/fail',
    input: 'Failure',
    inputSource: 'query',
    errors: { Forbidden: { status: 403, grpc: 'PERMISSION_DENIED' }, Shelved: { status: 409, grpc: 'FAILED_PRECONDITION' } },
  }),
  flaky: endpoint({ name: 'flaky', method: 'GET', path: '/flaky', input: 'Empty' }),
  whoami: endpoint({ name: 'whoami', method: 'GET', path: '/whoami', input: 'Empty' }),
  hold: endpoint({ name: 'hold', method: 'GET', path: '/hold', input: 'Empty' }),
  unwritten: endpoint({ name: 'unwritten', method: 'GET', path: '/unwritten', input: 'Empty' }),
};

const shelfDefinition: ServiceDefinition = {
  mesh: 'test',
  name: 'shelf',
  version: '1.0.0',
  ports: { http: 1, grpc: null },
  endpoints: Object.values(shelf),
  subscriptions: [],
  publishes: [],
  calls: [],
  proto: null,
};

interface Ctx {
  deadline: number | null;
  caller: unknown;
  requestId: string;
  signal: AbortSignal;
}

/** What the shelf's hooks saw and keep. */
const seen = {
  inputs: [] as Record<string, unknown>[],
  kept: [] as Record<string, unknown>[],
  flaky: 0,
  contexts: [] as { deadline: number | null; caller: unknown; requestId: string }[],
  holds: [] as { signal: AbortSignal; release: () => void }[],
  added: 0,
};

const shelfHandlers = {
  async getBook(input: { id: number }) {
    const book = { id: input.id, title: 'Dune', tags: ['sf'] };
    seen.kept.push(book);
    return book;
  },
  async addBook(input: Record<string, unknown>) {
    seen.inputs.push(structuredClone(input));
    seen.added++;
    // The callee scribbles on its input: the caller's object must not change.
    (input['tags'] as string[] | undefined)?.push('scribbled');
    input['title'] = 'changed by the callee';
    return { id: seen.added, title: 'Dune', undefinedField: undefined };
  },
  async fail(input: { how: string }) {
    switch (input.how) {
      case 'declared':
        throw new Forbidden('not on this shelf', { shelf: 3, since: new Date(0) });
      case 'undeclared':
        throw new MeshError('Shelved', 'declared elsewhere', 418);
      case 'bug':
        throw new Error('a bug with a secret');
      case 'busy':
        throw new TooManyRequests('slow down', { retryAfterMs: 5 });
      case 'down':
        throw new Unavailable('down for maintenance');
      case 'bigint':
        return { n: 1n };
      default:
        return {};
    }
  },
  async flaky() {
    seen.flaky++;
    if (seen.flaky % 3 !== 0) throw new Unavailable(`flaky ${seen.flaky}`);
    return { after: seen.flaky };
  },
  async whoami(_input: unknown, ctx: Ctx) {
    seen.contexts.push({ deadline: ctx.deadline, caller: ctx.caller, requestId: ctx.requestId });
    return {};
  },
  async hold(_input: unknown, ctx: Ctx) {
    await new Promise<void>((release) => {
      seen.holds.push({ signal: ctx.signal, release });
      ctx.signal.addEventListener('abort', () => release(), { once: true });
    });
    return { aborted: ctx.signal.aborted };
  },
};

const silent: Logger = pino({ level: 'silent' });
const NO_RETRY: ResiliencePolicy = { timeoutMs: 5_000 };
const RETRY: ResiliencePolicy = {
  timeoutMs: 5_000,
  retry: { attempts: 3, initialMs: 1, maxMs: 5, jitter: 'none', budget: { ratio: 1, minPerSecond: 100, windowMs: 10_000 } },
};

const settings = (overrides: Partial<HostSettings> = {}): HostSettings => ({
  bodyLimitBytes: 64 * 1024,
  shutdownGraceMs: 2_000,
  httpPort: 0,
  host: '127.0.0.1',
  bus: createMemoryBus({ logger: silent }),
  logger: silent,
  ...overrides,
});

const shelfHost = (): ServiceHostOptions => ({
  definition: shelfDefinition,
  handlers: shelfHandlers,
  schemas,
  events: {},
  callees: {},
  createClients: () => ({}),
});

/** The factory a caller service makes for its default transportFor, with or without co-location. */
function callerOf(running: RunningService, colocated: ColocatedRegistry | undefined, policy: ResiliencePolicy, fallbacks?: Record<string, FallbackHook>): TransportFactory {
  const call: CallDescriptor = { service: 'shelf', transport: 'http', policy };
  return createTransportFactory({
    callees: { shelf: shelfDefinition },
    calls: [call],
    schemas,
    logger: silent,
    discovery: { http: { shelf: `http://127.0.0.1:${running.httpPort}` } },
    colocated,
    ...(fallbacks ? { fallbacks: { shelf: fallbacks } } : {}),
  });
}

let registry: ColocatedRegistry;
let running: RunningService;
const factories: TransportFactory[] = [];
const make = (...args: Parameters<typeof callerOf>) => {
  const factory = callerOf(...args);
  factories.push(factory);
  return factory.transportFor('shelf', 'http');
};

beforeAll(async () => {
  registry = createColocatedRegistry();
  running = await startService(shelfHost(), settings({ colocated: registry }));
});
afterAll(async () => {
  await Promise.all(factories.map((f) => f.close()));
  await running.close();
});

describe('a co-located call', () => {
  it('copies input and output as JSON: neither side sees the other mutate, undefined is dropped, Dates become strings', async () => {
    const local = make(running, registry, NO_RETRY);
    const input = { title: 'Dune', tags: ['sf'], at: new Date(0), skipped: undefined };
    const output = (await local.call(shelf.addBook, input, {})) as Record<string, unknown>;

    expect(input).toEqual({ title: 'Dune', tags: ['sf'], at: new Date(0), skipped: undefined });
    expect(seen.inputs.at(-1)).toEqual({ title: 'Dune', tags: ['sf'], at: '1970-01-01T00:00:00.000Z' });
    expect(output).toEqual({ id: seen.added, title: 'Dune' });
    expect('undefinedField' in output).toBe(false);

    const book = (await local.call(shelf.getBook, { id: 7 }, {})) as { tags: string[] };
    book.tags.push('by the caller');
    expect(seen.kept.at(-1)).toEqual({ id: 7, title: 'Dune', tags: ['sf'] });
  });

  it('never reaches the callee over HTTP', async () => {
    const local = make(running, registry, NO_RETRY);
    const before = (await fetch(`http://127.0.0.1:${running.httpPort}/whoami`)).headers.get('x-request-id');
    expect(before).not.toBeNull();
    const counted = seen.contexts.length;
    await local.call(shelf.whoami, {}, { requestId: 'in-process-1' });
    expect(seen.contexts.length).toBe(counted + 1);
    // The factory made no pool: the callee was here when it was made.
    expect(factories.at(-1)!.dependencies().instances['shelf']).toEqual([]);
  });

  it('fails exactly as the same call over HTTP: class, code, message, status, details, Retry-After', async () => {
    const local = make(running, registry, NO_RETRY);
    const remote = make(running, undefined, NO_RETRY);
    const cases: [EndpointDescriptor, unknown][] = [
      [shelf.fail, { how: 'declared' }],
      [shelf.fail, { how: 'undeclared' }],
      [shelf.fail, { how: 'bug' }],
      [shelf.fail, { how: 'busy' }],
      [shelf.fail, { how: 'down' }],
      [shelf.fail, { how: 'bigint' }],
      [shelf.addBook, { title: '', extra: true }],
      [shelf.addBook, { title: 3 }],
      [shelf.unwritten, {}],
    ];
    for (const [target, input] of cases) {
      const overHttp = await remote.call(target, input, {}).then(() => null, (e: unknown) => e);
      const inProcess = await local.call(target, input, {}).then(() => null, (e: unknown) => e);
      expect(overHttp, JSON.stringify(input)).toBeInstanceOf(MeshError);
      const fields = (e: unknown) => {
        const error = e as MeshError;
        return { class: error.constructor, name: error.name, code: error.code, message: error.message, status: error.status, details: error.details, retryAfter: retryAfterOf(error) };
      };
      expect(fields(inProcess), `${target.name} ${JSON.stringify(input)}`).toEqual(fields(overHttp));
    }
  });

  it('carries deadline, caller identity and request id, and the caller signal reaches the hook', async () => {
    const local = make(running, registry, NO_RETRY);
    const deadline = Date.now() + 3_000;
    const caller = { subject: 'service:desk', service: 'desk' };
    await local.call(shelf.whoami, {}, { deadline, caller, requestId: 'req-42' });
    expect(seen.contexts.at(-1)).toEqual({ deadline, caller, requestId: 'req-42' });

    const controller = new AbortController();
    const held = local.call(shelf.hold, {}, { signal: controller.signal });
    await until(() => seen.holds.length > 0);
    const hold = seen.holds.at(-1)!;
    expect(hold.signal.aborted).toBe(false);
    controller.abort();
    // What the pipeline rejects with over the network too: the caller's own reason.
    await expect(held).rejects.toBe(controller.signal.reason);
    expect(hold.signal.aborted).toBe(true);
  });

  it('ends at the deadline as over HTTP: the same error, and the hook is told through its signal', async () => {
    const local = make(running, registry, NO_RETRY);
    const remote = make(running, undefined, NO_RETRY);
    const outcomes = [];
    for (const transport of [remote, local]) {
      const holds = seen.holds.length;
      const failed = await transport.call(shelf.hold, {}, { deadline: Date.now() + 100 }).then(() => null, (e: unknown) => e as MeshError);
      await until(() => seen.holds.length > holds && seen.holds.at(-1)!.signal.aborted);
      outcomes.push({ class: failed?.constructor, code: failed?.code, status: failed?.status });
    }
    expect(outcomes[1]).toEqual(outcomes[0]);
    expect(outcomes[0]).toMatchObject({ code: 'Timeout', status: 504 });
  });

  it('runs an idempotency key once, as the callee does over the network', async () => {
    const local = make(running, registry, RETRY);
    const before = seen.added;
    const first = await local.call(shelf.addBook, { title: 'Once' }, { idempotencyKey: 'key-1' });
    const again = await local.call(shelf.addBook, { title: 'Once' }, { idempotencyKey: 'key-1' });
    expect(again).toEqual(first);
    expect(seen.added).toBe(before + 1);
  });

  it('keeps the policies: a retry retries a retryable failure, a fallback answers', async () => {
    const local = make(running, registry, RETRY);
    seen.flaky = 0;
    expect(await local.call(shelf.flaky, {}, {})).toEqual({ after: 3 });
    expect(seen.flaky).toBe(3);

    const fallback: FallbackHook = async (_input, failure) => ({ fallback: failure.kind, code: (failure.error as MeshError).code });
    const withFallback = make(running, registry, NO_RETRY, { fail: fallback });
    expect(await withFallback.call(shelf.fail, { how: 'down' }, {})).toEqual({ fallback: 'unavailable', code: 'Unavailable' });
  });

  it('reaches a callee that starts after its caller, in process', async () => {
    const late = createColocatedRegistry();
    // The discovery address is a closed port: only an in-process call can succeed.
    const factory = createTransportFactory({
      callees: { shelf: shelfDefinition },
      calls: [{ service: 'shelf', transport: 'http', policy: NO_RETRY }],
      schemas,
      logger: silent,
      discovery: { http: { shelf: 'http://127.0.0.1:1' } },
      colocated: late,
    });
    factories.push(factory);
    const transport = factory.transportFor('shelf', 'http');
    await expect(transport.call(shelf.whoami, {}, {})).rejects.toMatchObject({ code: 'Unavailable' });
    const second = await startService(shelfHost(), settings({ colocated: late }));
    try {
      await expect(transport.call(shelf.whoami, {}, {})).resolves.toEqual({});
    } finally {
      await second.close();
    }
    // Drained and gone from the registry: back to the (closed) network.
    expect(late.get('shelf')).toBeUndefined();
  });

  it('answers Unavailable (503, retryable) while the callee shuts down, and lets calls in progress finish', async () => {
    const own = createColocatedRegistry();
    const service = await startService(shelfHost(), settings({ colocated: own }));
    const factory = createTransportFactory({
      callees: { shelf: shelfDefinition },
      calls: [{ service: 'shelf', transport: 'http', policy: NO_RETRY }],
      schemas,
      logger: silent,
      discovery: { http: { shelf: `http://127.0.0.1:${service.httpPort}` } },
      colocated: own,
    });
    factories.push(factory);
    const transport = factory.transportFor('shelf', 'http');
    const holds = seen.holds.length;
    const inProgress = transport.call(shelf.hold, {}, {});
    await until(() => seen.holds.length > holds);
    const closed = service.close();
    await expect(transport.call(shelf.whoami, {}, {})).rejects.toMatchObject({ code: 'Unavailable', status: 503 });
    seen.holds.at(-1)!.release();
    await expect(inProgress).resolves.toEqual({ aborted: false });
    await closed;
  });
});

describe('colocationFromEnv', () => {
  it('is on unless MESH_COLOCATE=off, and refuses anything else', () => {
    expect(colocationFromEnv({})).toBe(true);
    expect(colocationFromEnv({ MESH_COLOCATE: 'on' })).toBe(true);
    expect(colocationFromEnv({ MESH_COLOCATE: 'off' })).toBe(false);
    expect(() => colocationFromEnv({ MESH_COLOCATE: 'maybe' })).toThrow("MESH_COLOCATE must be 'on' or 'off', got 'maybe'");
  });
});

/** Waits (a macrotask at a time) until `done` holds. */
async function until(done: () => boolean): Promise<void> {
  for (let i = 0; i < 1_000 && !done(); i++) await new Promise((resolve) => setImmediate(resolve));
  expect(done()).toBe(true);
}
