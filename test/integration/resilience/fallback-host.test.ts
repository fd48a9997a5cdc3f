// Call fallbacks as a running service gets them (startService with the hook file's `fallbacks`):
// a missing function is a startup error before any port is bound; a used one is answered through the
// service's own endpoint, logged by its logger and counted in `dependencies()`, whether the service
// made its transports or was handed a `transportFor`.
import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryBus } from '../../../runtime/bus/memory.js';
import { startService } from '../../../runtime/host/start.js';
import { StartupError } from '../../../runtime/host/startup-error.js';
import { createTransportFactory } from '../../../runtime/host/transports.js';
import type { HostSettings, RunningService, ServiceHostOptions, TransportFor } from '../../../runtime/host/types.js';
import type { CallFailure } from '../../../runtime/service/fallback.js';
import type { CallOptions } from '../../../runtime/transport/types.js';
import { captureLogger, FAST, things, thingsDefinition, type LogLine } from './fixtures.js';
import { schemas } from './services.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A port taken by a plain TCP server for the test, then one nothing listens on. */
async function listening(): Promise<{ server: Server; port: number }> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as { port: number }).port };
}
const close = (server: Server) => new Promise<void>((resolve) => server.close(() => resolve()));
async function refusedOrigin(): Promise<string> {
  const { server, port } = await listening();
  await close(server);
  return `http://127.0.0.1:${port}`;
}

/** `shop`: GET /show calls things.getThing, whose fallback is the hook file's `cachedThing`. */
function shopHost(fallbacks: object, used: { input: unknown; failure: CallFailure }[] = []): ServiceHostOptions {
  return {
    definition: {
      ...thingsDefinition,
      name: 'shop',
      endpoints: [{ ...things.getThing, name: 'show', path: '/show', pathParams: [], input: 'Empty', output: { type: 'Anything', list: false } }],
      calls: [{ service: 'things', transport: 'http', policy: FAST, fallbacks: { getThing: 'cachedThing' } }],
    },
    handlers: {
      async show(_input: unknown, ctx: { clients: { getThing(input: unknown): Promise<unknown> } }) {
        return ctx.clients.getThing({ id: '7' });
      },
    },
    fallbacks,
    schemas,
    events: {},
    callees: { things: thingsDefinition },
    createClients: (transportFor: TransportFor, call: CallOptions) => ({
      getThing: (input: unknown) => transportFor('things', 'http').call(things.getThing, input, call),
    }),
  };
}

const cachedThing = (used: { input: unknown; failure: CallFailure }[]) => ({
  async cachedThing(input: unknown, failure: CallFailure) {
    used.push({ input, failure });
    return { id: (input as { id: string }).id, cached: true };
  },
});

function settings(logs: LogLine[], overrides: Partial<HostSettings>): HostSettings {
  const logger = captureLogger(logs);
  return { bodyLimitBytes: 64 * 1024, shutdownGraceMs: 200, httpPort: 0, host: '127.0.0.1', bus: createMemoryBus({ logger }), logger, ...overrides };
}

async function start(host: ServiceHostOptions, hostSettings: HostSettings): Promise<RunningService> {
  const running = await startService(host, hostSettings);
  cleanups.push(() => running.close());
  return running;
}

const show = async (running: RunningService) => {
  const res = await fetch(`http://127.0.0.1:${running.httpPort}/show`);
  return { status: res.status, body: (await res.json()) as unknown };
};

describe('a service with call fallbacks', () => {
  it('refuses to start, before binding its port, when the hook file lacks a fallback the spec names', async () => {
    // The port is taken: had the service tried to bind it, the error would be about the port.
    const taken = await listening();
    cleanups.push(() => close(taken.server));
    const logs: LogLine[] = [];
    const failure = await startService(shopHost({ cachedthing: async () => ({}) }), settings(logs, { httpPort: taken.port })).then(
      () => new Error('started'),
      (err: unknown) => err,
    );
    expect(failure).toBeInstanceOf(StartupError);
    expect((failure as Error).message).toBe(
      "shop cannot start its calls' fallbacks: no function 'cachedThing' for things.getThing (add it to the `fallbacks` object exported by hooks/shop.ts)",
    );
  });

  it('answers through its endpoint with the fallback, logs the use and counts it in dependencies()', async () => {
    const logs: LogLine[] = [];
    const used: { input: unknown; failure: CallFailure }[] = [];
    const running = await start(shopHost(cachedThing(used)), settings(logs, { discovery: { http: { things: await refusedOrigin() } } }));
    expect(await show(running)).toEqual({ status: 200, body: { id: '7', cached: true } });
    expect(used).toEqual([{ input: { id: '7' }, failure: expect.objectContaining({ dependency: 'things', endpoint: 'getThing', kind: 'unavailable' }) }]);
    expect(running.dependencies().resilience['things']!.counters).toMatchObject({ fallbacks: 1, fallbacksByReason: { unavailable: 1 }, fallbacksByEndpoint: { getThing: 1 } });
    expect(logs).toContainEqual(
      expect.objectContaining({ level: 40, dependency: 'things', endpoint: 'getThing', reason: 'unavailable', msg: 'fallback answered for things.getThing after unavailable' }),
    );
  });

  it('applies its fallbacks around a transportFor it was handed, and counts them', async () => {
    const logs: LogLine[] = [];
    const used: { input: unknown; failure: CallFailure }[] = [];
    // Someone else's factory, made without the fallbacks.
    const foreign = createTransportFactory({
      callees: { things: thingsDefinition },
      calls: [{ service: 'things', transport: 'http', policy: FAST }],
      schemas,
      logger: captureLogger([]),
      discovery: { http: { things: await refusedOrigin() } },
      env: {},
    });
    cleanups.push(() => foreign.close());
    const running = await start(shopHost(cachedThing(used)), settings(logs, { transportFor: foreign.transportFor }));
    expect(await show(running)).toEqual({ status: 200, body: { id: '7', cached: true } });
    expect(used).toHaveLength(1);
    expect(used[0]!.failure).toMatchObject({ dependency: 'things', endpoint: 'getThing', kind: 'unavailable' });
    expect(running.dependencies().resilience['things']!.counters).toMatchObject({ fallbacks: 1, fallbacksByEndpoint: { getThing: 1 } });
    expect(foreign.dependencies().resilience['things']!.counters).toMatchObject({ failed: 1, fallbacks: 0 });
    expect(logs).toContainEqual(expect.objectContaining({ level: 40, dependency: 'things', endpoint: 'getThing', msg: 'fallback answered for things.getThing after unavailable' }));
  });
});
