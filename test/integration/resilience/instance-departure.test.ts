// An instance leaving the dependency's instance source (a source the test controls, as a registry
// watch would be): the dependency closes that instance's transport gracefully. The call in flight on
// it finishes with its answer, new calls go to the instances that remain, and the departed instance's
// connection is closed once its call is over.
import { afterEach, describe, expect, it } from 'vitest';
import type { InstanceSource, InstancesListener, ServiceInstance } from '../../../runtime/discovery/index.js';
import { createDependency } from '../../../runtime/host/dependency.js';
import { ResilienceStats } from '../../../runtime/resilience/stats.js';
import { startMisbehavingServer, type MisbehavingServer } from '../../support/misbehaving-server.js';
import { captureLogger, FAST, things, thingsDefinition, until } from './fixtures.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** An instance source whose list the test sets. */
function controlledSource(initial: string[]): InstanceSource & { set(addresses: string[]): void } {
  let instances: readonly ServiceInstance[] = initial.map((address) => ({ address }));
  const listeners = new Set<InstancesListener>();
  return {
    description: 'test source',
    current: () => instances,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      listeners.clear();
    },
    set(addresses) {
      instances = addresses.map((address) => ({ address }));
      for (const listener of [...listeners]) listener(instances);
    },
  };
}

async function server(): Promise<MisbehavingServer> {
  const started = await startMisbehavingServer();
  cleanups.push(() => started.close());
  return started;
}

describe('an instance that leaves the source', () => {
  it('finishes its call in flight, gets no new call, and has its connection closed once the call is over', async () => {
    const [leaving, staying] = await Promise.all([server(), server()]);
    leaving.setDefault('hang');
    const source = controlledSource([leaving.origin]);
    const dependency = createDependency({
      callee: thingsDefinition,
      call: { service: 'things', transport: 'http', policy: FAST },
      schemas: { $id: 'meshspec:test', $defs: {} },
      logger: captureLogger([]),
      stats: new ResilienceStats(),
      env: {},
      source,
    });
    cleanups.push(() => dependency.close());

    const inFlight = dependency.transport.call(things.getThing, { id: 1 }, {});
    await until(() => leaving.hanging === 1, 'the first call to hang on the leaving instance');

    source.set([staying.origin]);
    for (let i = 0; i < 3; i++) expect(await dependency.transport.call(things.getThing, { id: i }, {})).toMatchObject({ ok: true });
    expect(staying.requests).toBe(3);
    expect(leaving.requests).toBe(1);
    expect(staying.connections).toBeGreaterThan(0);

    // Graceful: the call in flight on the departed instance still gets its answer.
    leaving.release();
    expect(await inFlight).toEqual({ ok: true, n: 1 });
    // Its connection closes because its transport was closed, not because it idled: the staying
    // instance's connection, idle for longer, is still open when it does.
    await until(() => leaving.connections === 0, "the departed instance's connection to close");
    expect(staying.connections).toBeGreaterThan(0);
    expect(dependency.instances().map((i) => i.address)).toEqual([staying.origin]);
  });
});
