// DNS discovery against the machine's own resolver: `localhost` (127.0.0.1, and ::1 where the
// hosts file says so) becomes instances a pool calls for real; and the two-instance ejection,
// end to end: one real server answering 503 is ejected after the threshold and every later call
// succeeds on the healthy one.
import { lookup } from 'node:dns/promises';
import { afterEach, describe, expect, it } from 'vitest';
import {
  addressOfIp,
  createDnsSource,
  createInstancePool,
  createStaticSource,
  systemResolver,
  type DiscoveryEvent,
} from '../../../runtime/discovery/index.js';
import { startCueServer } from './servers.js';

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(cleanup.splice(0).map((close) => close()));
});

describe('DNS discovery with the system resolver', () => {
  it('resolves localhost like getaddrinfo does', async () => {
    const expected = (await lookup('localhost', { all: true })).map((r) => r.address);
    expect(new Set(await systemResolver('localhost'))).toEqual(new Set(expected));
    expect(expected).toContain('127.0.0.1');
  });

  it('turns localhost into instances that answer real calls, each of them called', async () => {
    // Both stacks where the machine has IPv6, so ::1 answers too when localhost resolves to it.
    const server = await startCueServer('::');
    cleanup.push(() => server.close());
    const events: DiscoveryEvent[] = [];
    const source = createDnsSource({ host: 'localhost', port: server.port, kind: 'http', intervalMs: 60_000, observer: (e) => events.push(e) });
    await source.ready;
    const ips = (await lookup('localhost', { all: true })).map((r) => r.address);
    const expected = [...new Set(ips.map((ip) => addressOfIp(ip, server.port, 'http')))].sort();
    expect(source.current().map((i) => i.address)).toEqual(expected);
    expect(events).toEqual([{ type: 'instances-changed', source: `dns localhost:${server.port}`, added: expected, removed: [], count: expected.length }]);

    const pool = createInstancePool({ service: 'users', source });
    cleanup.push(() => pool.close());
    const called = new Set<string>();
    for (let i = 0; i < 2 * expected.length; i++) {
      const picked = pool.pick();
      const response = await fetch(`${picked.address}/users/1`);
      await response.arrayBuffer();
      picked.release(response.ok ? 'success' : 'failure', 1);
      expect(response.status).toBe(200);
      called.add(picked.address);
    }
    expect([...called].sort()).toEqual(expected);
    // A refresh of an unchanged name changes nothing.
    await source.refresh();
    expect(events).toHaveLength(1);
  });
});

describe('outlier ejection over real servers', () => {
  it('ejects the instance answering 503 after 3 failures; every later call succeeds on the healthy one', async () => {
    const [good, bad] = await Promise.all([startCueServer(), startCueServer()]);
    cleanup.push(() => good!.close(), () => bad!.close());
    bad!.status = 503;
    const events: DiscoveryEvent[] = [];
    const pool = createInstancePool({
      service: 'users',
      source: createStaticSource([good!.origin, bad!.origin], { kind: 'http' }),
      strategy: 'round-robin',
      outlier: { consecutiveFailures: 3 },
      observer: (e) => events.push(e),
    });
    cleanup.push(() => pool.close());
    const statuses: number[] = [];
    for (let i = 0; i < 60; i++) {
      const picked = pool.pick();
      const started = performance.now();
      const response = await fetch(`${picked.address}/users/1`);
      await response.arrayBuffer();
      picked.release(response.status >= 500 ? 'failure' : 'success', performance.now() - started);
      statuses.push(response.status);
    }
    const ejectedAt = statuses.lastIndexOf(503);
    expect(statuses.filter((s) => s === 503)).toHaveLength(3);
    expect(statuses.slice(ejectedAt + 1).every((s) => s === 200)).toBe(true);
    // Taking turns, its third failure is at the fifth or sixth call.
    expect(ejectedAt).toBeLessThanOrEqual(5);
    expect(events).toEqual([expect.objectContaining({ type: 'ejected', address: bad!.origin, reason: 'consecutive-failures', ejections: 1 })]);
    expect(bad!.seen).toHaveLength(3);
  });
});
