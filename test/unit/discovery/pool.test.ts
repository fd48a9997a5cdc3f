// The pool around the strategies: it follows its source, passes over instances the caller's
// predicate (a per-instance breaker) or the readiness checks refuse, keeps the figures the
// strategies read, and fails with a typed Unavailable when nothing is left.
import { describe, expect, it } from 'vitest';
import {
  createDnsSource,
  createInstancePool,
  createStaticSource,
  NoInstanceAvailable,
  type InstanceSource,
  type ReadinessChecker,
  type ServiceInstance,
} from '../../../runtime/discovery/index.js';
import { manualClock } from './simulate.js';

const A = 'http://a:3001';
const B = 'http://b:3001';
const C = 'http://c:3001';

const staticPool = (addresses: string[], extra: Partial<Parameters<typeof createInstancePool>[0]> = {}) =>
  createInstancePool({ service: 'users', source: createStaticSource(addresses, { kind: 'http' }), ...extra });

function pickAddresses(pool: ReturnType<typeof staticPool>, n: number): string[] {
  return Array.from({ length: n }, () => {
    const p = pool.pick();
    p.release('success', 1);
    return p.address;
  });
}

describe('instance pool', () => {
  it('follows its source: new instances join, removed ones leave (keeping the figures of those that stay)', async () => {
    let ips = ['10.0.0.1'];
    const source = createDnsSource({ host: 'users', port: 3001, kind: 'http', resolve: async () => ips });
    await source.ready;
    const pool = createInstancePool({ service: 'users', source });
    const held = pool.pick();
    expect(held.address).toBe('http://10.0.0.1:3001');
    ips = ['10.0.0.1', '10.0.0.2'];
    await source.refresh();
    expect(new Set(pickAddresses(pool, 4))).toEqual(new Set(['http://10.0.0.1:3001', 'http://10.0.0.2:3001']));
    expect(pool.stats().find((s) => s.address === 'http://10.0.0.1:3001')!.outstanding).toBe(1);
    ips = ['10.0.0.2'];
    await source.refresh();
    expect(new Set(pickAddresses(pool, 4))).toEqual(new Set(['http://10.0.0.2:3001']));
    // A call on a removed instance still ends cleanly.
    held.release('failure', 5);
    expect(pool.stats().map((s) => s.address)).toEqual(['http://10.0.0.2:3001']);
    await pool.close();
  });

  it('says when no instance is known yet', async () => {
    const source = createDnsSource({ host: 'users', port: 3001, kind: 'http', resolve: async () => [] });
    await source.ready;
    const pool = createInstancePool({ service: 'users', source });
    expect(() => pool.pick()).toThrow(new NoInstanceAvailable('users', { known: 0, ejected: 0, down: 0, refused: 0 }, 'dns users:3001'));
    expect(() => pool.pick()).toThrow('no instance of users is known (dns users:3001 lists none yet)');
    await pool.close();
  });

  it("passes over instances the caller's predicate refuses, and fails when it refuses all", () => {
    const open = new Set([A]);
    const pool = staticPool([A, B, C], { isAvailable: (i: ServiceInstance) => !open.has(i.address) });
    expect(new Set(pickAddresses(pool, 30))).toEqual(new Set([B, C]));
    open.add(B).add(C);
    expect(() => pool.pick()).toThrow('no instance of users is available (3 known: 3 with an open circuit breaker)');
    open.clear();
    expect(new Set(pickAddresses(pool, 30))).toEqual(new Set([A, B, C]));
  });

  it('passes over instances failing their readiness check', async () => {
    const down = new Set([B]);
    let closed = false;
    const readiness: ReadinessChecker = { isUp: (a) => !down.has(a), checkNow: async () => {}, close: async () => void (closed = true) };
    const pool = staticPool([A, B], { readiness });
    expect(new Set(pickAddresses(pool, 10))).toEqual(new Set([A]));
    expect(pool.stats().map((s) => [s.address, s.up])).toEqual([[A, true], [B, false]]);
    down.add(A);
    expect(() => pool.pick()).toThrow('no instance of users is available (2 known: 2 failing /ready)');
    await pool.close();
    expect(closed).toBe(true);
  });

  it('avoids the instances a retry names while another is available', () => {
    const pool = staticPool([A, B, C]);
    for (let i = 0; i < 20; i++) expect(pool.pick({ avoid: new Set([A, B]) }).address).toBe(C);
    // Only avoided ones left: better one of them than none.
    const narrow = staticPool([A]);
    expect(narrow.pick({ avoid: new Set([A]) }).address).toBe(A);
  });

  it('counts outstanding calls, releases once, and keeps a latency average where a failure weighs at least double', () => {
    const clock = manualClock();
    const pool = staticPool([A], { latencyWeight: 0.5, outlier: false, now: clock.now });
    const first = pool.pick();
    const second = pool.pick();
    expect(pool.stats()[0]).toMatchObject({ outstanding: 2, latencyMs: undefined });
    first.release('success', 10);
    first.release('success', 1000);
    expect(pool.stats()[0]).toMatchObject({ outstanding: 1, latencyMs: 10 });
    second.release('failure', 1);
    // A 1 ms failure counts as 2 × 10 = 20: average 10 + 0.5 × (20 − 10) = 15.
    expect(pool.stats()[0]).toMatchObject({ outstanding: 0, latencyMs: 15, calls: { success: 1, failure: 1, dropped: 0 } });
    const dropped = pool.pick();
    dropped.release('dropped', 5000);
    expect(pool.stats()[0]).toMatchObject({ latencyMs: 15, calls: { dropped: 1 } });
    // With no calls, the average fades: e^-1 of it after latencyFadeMs (default 10 s).
    clock.advance(10_000);
    expect(pool.stats()[0]!.latencyMs).toBeCloseTo(15 / Math.E, 9);
  });

  it('names its strategy, defaults to round-robin, and checks latencyWeight', () => {
    expect(staticPool([A]).strategy).toBe('round-robin');
    expect(staticPool([A], { strategy: 'p2c' }).strategy).toBe('p2c');
    expect(() => staticPool([A], { latencyWeight: 0 })).toThrow('pool of users: latencyWeight must be in (0, 1], got 0');
    expect(() => staticPool([A], { latencyFadeMs: -1 })).toThrow('pool of users: latencyFadeMs must be positive, got -1');
  });

  it('stops following and closes its source on close', async () => {
    let listeners = 0;
    let closed = false;
    const source: InstanceSource = {
      description: 'test',
      current: () => [{ address: A }],
      subscribe: () => {
        listeners++;
        return () => void listeners--;
      },
      close: async () => void (closed = true),
    };
    const pool = createInstancePool({ service: 'users', source });
    expect(listeners).toBe(1);
    await pool.close();
    expect([listeners, closed]).toEqual([0, true]);
  });

  it('survives an observer that throws', () => {
    const pool = staticPool([A, B], {
      outlier: { consecutiveFailures: 1 },
      observer: () => {
        throw new Error('observer broke');
      },
    });
    const p = pool.pick();
    expect(() => p.release('failure', 1)).not.toThrow();
    expect(pool.stats().find((s) => s.address === p.address)!.ejected).toBe(true);
  });
});
