// A dependency whose instances come from DNS (the spec's `calls.<svc>.dns`, a headless Service in a
// cluster): the name is resolved through the system resolver, each address gets the callee's spec
// port, and calls reach the server there. `localhost` stands in for the Service name.
import { lookup } from 'node:dns/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { createTransportFactory } from '../../../runtime/host/transports.js';
import { startMisbehavingServer } from '../../support/misbehaving-server.js';
import { captureLogger, FAST, rejectionOf, things, thingsDefinition, type LogLine } from './fixtures.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('a dependency found through DNS', () => {
  it('calls the instances the name resolves to, on the callee spec port', async () => {
    // The server listens on 127.0.0.1, so the test needs localhost to resolve there (it does on this machine and in CI).
    const addresses = (await lookup('localhost', { all: true })).map((a) => a.address);
    expect(addresses).toContain('127.0.0.1');
    const server = await startMisbehavingServer();
    cleanups.push(() => server.close());
    const logs: LogLine[] = [];
    const factory = createTransportFactory({
      callees: { things: { ...thingsDefinition, ports: { http: server.port, grpc: null } } },
      calls: [{ service: 'things', transport: 'http', policy: FAST, dns: { name: 'localhost', refreshMs: 1_000 } }],
      schemas: { $id: 'meshspec:test', $defs: {} },
      logger: captureLogger(logs),
      // Neither an override nor MESH_THINGS_HTTP: only the DNS name can lead to the server.
      env: {},
    });
    cleanups.push(() => factory.close());
    const transport = factory.transportFor('things', 'http');
    for (let i = 0; i < 4; i++) await transport.call(things.getThing, { id: i }, {});
    expect(server.requests).toBeGreaterThanOrEqual(4);
    const instances = factory.dependencies().instances['things']?.map((i) => i.address) ?? [];
    expect(instances).toContain(`http://127.0.0.1:${server.port}`);
  });

  it('uses the name and nothing else: a name that does not resolve leaves no instance, though the spec port would answer', async () => {
    const server = await startMisbehavingServer();
    cleanups.push(() => server.close());
    const factory = createTransportFactory({
      callees: { things: { ...thingsDefinition, ports: { http: server.port, grpc: null } } },
      calls: [{ service: 'things', transport: 'http', policy: FAST, dns: { name: 'things-headless.meshspec.invalid', refreshMs: 1_000 } }],
      schemas: { $id: 'meshspec:test', $defs: {} },
      logger: captureLogger([]),
      env: {},
    });
    cleanups.push(() => factory.close());
    const error = await rejectionOf(factory.transportFor('things', 'http').call(things.getThing, { id: 1 }, {}));
    expect(error.status).toBe(503);
    expect(server.requests).toBe(0);
  });
});
