// Active /ready checks against real local servers: an instance answering 503, refusing
// connections or not answering within the timeout is marked down, and up again once it passes;
// a pool over them sends real calls only to the instances that are up.
import { afterEach, describe, expect, it } from 'vitest';
import {
  createInstancePool,
  createReadinessChecker,
  createStaticSource,
  httpReadyProbe,
  type DiscoveryEvent,
  type ReadinessChecker,
} from '../../../runtime/discovery/index.js';
import { closedPort, startCueServer, type CueServer } from './servers.js';

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(cleanup.splice(0).map((close) => close()));
});

async function servers(n: number): Promise<CueServer[]> {
  const started = await Promise.all(Array.from({ length: n }, () => startCueServer()));
  for (const s of started) cleanup.push(() => s.close());
  return started;
}

// Generous: a loaded machine (and the first fetch of a process) must not look like a failing instance.
const TIMEOUT = 5000;

function checker(origins: string[], events: DiscoveryEvent[], timeoutMs = TIMEOUT): ReadinessChecker {
  const checks = createReadinessChecker({
    source: createStaticSource(origins, { kind: 'http' }),
    // Long interval: the test runs each round itself with checkNow().
    intervalMs: 60_000,
    timeoutMs,
    observer: (e) => events.push(e),
  });
  cleanup.push(() => checks.close());
  return checks;
}

describe('active readiness checks', () => {
  it('marks a 503 down and back up when /ready passes again', async () => {
    const [a, b] = await servers(2);
    const events: DiscoveryEvent[] = [];
    const checks = checker([a!.origin, b!.origin], events);
    await checks.checkNow();
    expect([checks.isUp(a!.origin), checks.isUp(b!.origin)]).toEqual([true, true]);
    b!.ready = 503;
    await checks.checkNow();
    expect([checks.isUp(a!.origin), checks.isUp(b!.origin)]).toEqual([true, false]);
    await checks.checkNow();
    expect(events).toEqual([{ type: 'down', address: b!.origin, reason: 'status 503' }]);
    b!.ready = 200;
    await checks.checkNow();
    expect(checks.isUp(b!.origin)).toBe(true);
    expect(events.at(-1)).toEqual({ type: 'up', address: b!.origin });
    expect(b!.seen.length).toBeGreaterThanOrEqual(4);
  });

  it('marks down an instance that refuses connections or does not answer within the timeout', async () => {
    const [hung] = await servers(1);
    hung!.ready = 'hang';
    const refused = `http://127.0.0.1:${await closedPort()}`;
    const events: DiscoveryEvent[] = [];
    // A server that never answers times out whatever the bound: a short one keeps the test quick.
    const checks = checker([hung!.origin, refused], events, 300);
    await checks.checkNow();
    expect([checks.isUp(hung!.origin), checks.isUp(refused)]).toEqual([false, false]);
    expect(new Map(events.map((e) => [e.type === 'down' ? e.address : '', e.type === 'down' ? e.reason : '']))).toEqual(
      new Map([
        [hung!.origin, 'timed out'],
        [refused, 'ECONNREFUSED'],
      ]),
    );
  });

  it('probes GET <origin>/ready with the default probe', async () => {
    const [s] = await servers(1);
    expect(await httpReadyProbe(`${s!.origin}/ready`, TIMEOUT)).toBeUndefined();
    s!.ready = 500;
    expect(await httpReadyProbe(`${s!.origin}/ready`, TIMEOUT)).toBe('status 500');
  });

  it('takes a URL per instance for gRPC addresses, and refuses to guess one', () => {
    const source = createStaticSource(['127.0.0.1:50051'], { kind: 'grpc', description: 'MESH_USERS_GRPC' });
    expect(() => createReadinessChecker({ source, kind: 'grpc' })).toThrow(
      'readiness checks of MESH_USERS_GRPC: gRPC addresses need urlFor (the /ready probe is on the HTTP port)',
    );
  });

  it('keeps real calls off an instance that is down, and brings them back when it is up', async () => {
    const [a, b] = await servers(2);
    const events: DiscoveryEvent[] = [];
    const source = createStaticSource([a!.origin, b!.origin], { kind: 'http' });
    const readiness = createReadinessChecker({ source, intervalMs: 60_000, timeoutMs: TIMEOUT, observer: (e) => events.push(e) });
    const pool = createInstancePool({ service: 'users', source, readiness });
    cleanup.push(() => pool.close());
    b!.ready = 503;
    await readiness.checkNow();
    const call = async () => {
      const picked = pool.pick();
      const response = await fetch(`${picked.address}/users/1`);
      await response.arrayBuffer();
      picked.release(response.ok ? 'success' : 'failure', 1);
      return picked.address;
    };
    const before = b!.seen.length;
    for (let i = 0; i < 10; i++) expect(await call()).toBe(a!.origin);
    expect(b!.seen.length).toBe(before);
    b!.ready = 200;
    await readiness.checkNow();
    const after = new Set<string>();
    for (let i = 0; i < 10; i++) after.add(await call());
    expect(after).toEqual(new Set([a!.origin, b!.origin]));
  });

  it('checks on its own every intervalMs', async () => {
    const [s] = await servers(1);
    const checks = createReadinessChecker({ source: createStaticSource([s!.origin], { kind: 'http' }), intervalMs: 20, timeoutMs: TIMEOUT });
    cleanup.push(() => checks.close());
    s!.ready = 503;
    // Wait (bounded by the test timeout) for a round the test did not start.
    while (checks.isUp(s!.origin)) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(checks.isUp(s!.origin)).toBe(false);
  });
});
