// Passive outlier ejection under a clock the test moves: the failing one of two instances leaves
// after the threshold, every later call goes to the healthy one, it comes back after its ejection
// time, and a new failure streak ejects it for longer; the pool never ejects its last instance.
import { describe, expect, it } from 'vitest';
import {
  createInstancePool,
  createOutlierDetector,
  createStaticSource,
  NoInstanceAvailable,
  type DiscoveryEvent,
  type InstancePool,
  type OutlierOptions,
} from '../../../runtime/discovery/index.js';
import { Unavailable } from '../../../runtime/errors/index.js';
import { manualClock } from './simulate.js';

const GOOD = 'http://good:3001';
const BAD = 'http://bad:3001';

function twoInstances(outlier: OutlierOptions = {}) {
  const clock = manualClock();
  const events: DiscoveryEvent[] = [];
  const pool = createInstancePool({
    service: 'users',
    source: createStaticSource([GOOD, BAD], { kind: 'http' }),
    strategy: 'round-robin',
    now: clock.now,
    observer: (e) => events.push(e),
    outlier: { consecutiveFailures: 3, baseEjectionMs: 30_000, maxEjectionMs: 90_000, ...outlier },
  });
  return { pool, clock, events };
}

/** `n` calls; the ones on `failing` fail. Returns the addresses called. */
function calls(pool: InstancePool, n: number, failing: ReadonlySet<string> = new Set([BAD])): string[] {
  return Array.from({ length: n }, () => {
    const picked = pool.pick();
    picked.release(failing.has(picked.address) ? 'failure' : 'success', 2);
    return picked.address;
  });
}

describe('outlier ejection in a pool of two', () => {
  it('ejects the failing instance after 3 failures in a row; every later call goes to the healthy one', () => {
    const { pool, events } = twoInstances();
    const first = calls(pool, 6);
    expect(first.filter((a) => a === BAD)).toHaveLength(3);
    expect(events).toEqual([{ type: 'ejected', address: BAD, reason: 'consecutive-failures', ejections: 1, durationMs: 30_000, until: expect.any(Number) }]);
    expect(new Set(calls(pool, 1000))).toEqual(new Set([GOOD]));
    expect(pool.stats().find((s) => s.address === BAD)).toMatchObject({ ejected: true, ejections: 1, calls: { failure: 3, success: 0, dropped: 0 } });
  });

  it('returns it after the ejection time, probes it, and ejects it for twice as long on the next failure', () => {
    const { pool, clock, events } = twoInstances();
    calls(pool, 6);
    clock.advance(29_999);
    expect(new Set(calls(pool, 10))).toEqual(new Set([GOOD]));
    clock.advance(1);
    // Back on probation: its first call is the probe, and one failure is enough.
    const probe = calls(pool, 2);
    expect(probe).toContain(BAD);
    expect(events.map((e) => e.type)).toEqual(['ejected', 'returned', 'ejected']);
    expect(events[2]).toMatchObject({ address: BAD, ejections: 2, durationMs: 60_000 });
    clock.advance(59_999);
    expect(new Set(calls(pool, 10))).toEqual(new Set([GOOD]));
    clock.advance(1);
    expect(calls(pool, 2)).toContain(BAD);
    // Third ejection: 3 × 30 s = the 90 s cap; a fourth stays at the cap.
    expect(events.at(-1)).toMatchObject({ type: 'ejected', ejections: 3, durationMs: 90_000 });
    clock.advance(90_000);
    calls(pool, 2);
    expect(events.at(-1)).toMatchObject({ type: 'ejected', ejections: 4, durationMs: 90_000 });
  });

  it('keeps a returned instance that answers: the probe succeeds and it shares the load again', () => {
    const { pool, clock } = twoInstances();
    calls(pool, 6);
    clock.advance(30_000);
    const after = calls(pool, 100, new Set());
    expect(after.filter((a) => a === BAD)).toHaveLength(50);
    expect(pool.stats().find((s) => s.address === BAD)).toMatchObject({ ejected: false, ejections: 1 });
  });

  it('never ejects both: when both fail, one stays and the refusal is reported once', () => {
    const { pool, events } = twoInstances();
    const both = new Set([GOOD, BAD]);
    calls(pool, 40, both);
    const ejected = events.filter((e) => e.type === 'ejected');
    const skipped = events.filter((e) => e.type === 'ejection-skipped');
    expect(ejected).toHaveLength(1);
    expect(skipped).toEqual([{ type: 'ejection-skipped', address: expect.any(String), reason: 'consecutive-failures', ejected: 1, size: 2 }]);
    expect(() => pool.pick()).not.toThrow();
  });

  it('ignores calls that the caller dropped and outcomes that end during the ejection', () => {
    const { pool, events } = twoInstances();
    const late = [pool.pick(), pool.pick()].find((p) => p.address === BAD)!;
    for (let i = 0; i < 10; i++) {
      const p = pool.pick();
      p.release(p.address === BAD ? 'dropped' : 'success');
    }
    expect(events).toEqual([]);
    calls(pool, 6);
    expect(events).toHaveLength(1);
    late.release('failure', 1);
    late.release('failure', 1);
    expect(events).toHaveLength(1);
    expect(pool.stats().find((s) => s.address === BAD)!.outstanding).toBe(0);
  });

  it('ejects on a failure ratio when configured', () => {
    const { pool, events } = twoInstances({ consecutiveFailures: 100, failureRatio: { ratio: 0.5, minCalls: 10, window: 20 } });
    // BAD fails every other call it gets: never 100 in a row, but half of them.
    let n = 0;
    for (let i = 0; i < 40 && events.length === 0; i++) {
      const p = pool.pick();
      p.release(p.address === BAD && n++ % 2 === 0 ? 'failure' : 'success', 1);
    }
    expect(events).toEqual([expect.objectContaining({ type: 'ejected', address: BAD, reason: 'failure-ratio' })]);
  });
});

describe('outlier detector', () => {
  it('keeps at most the configured share of a larger pool out: 50% of 5 is 2', () => {
    const events: DiscoveryEvent[] = [];
    const d = createOutlierDetector({ consecutiveFailures: 1, observer: (e) => events.push(e) });
    const all = ['a', 'b', 'c', 'd', 'e'];
    d.sync(all);
    for (const a of all) d.record(a, true);
    expect(all.filter((a) => d.isEjected(a))).toEqual(['a', 'b']);
    expect(events.filter((e) => e.type === 'ejection-skipped')).toHaveLength(3);
  });

  it('never ejects a lone instance, and 0% turns ejection off', () => {
    const lone = createOutlierDetector({ consecutiveFailures: 1 });
    lone.sync(['a']);
    lone.record('a', true);
    expect(lone.isEjected('a')).toBe(false);
    const off = createOutlierDetector({ consecutiveFailures: 1, maxEjectedPercent: 0 });
    off.sync(['a', 'b']);
    off.record('a', true);
    expect(off.isEjected('a')).toBe(false);
  });

  it('forgets a removed instance and ignores outcomes of non-members', () => {
    const d = createOutlierDetector({ consecutiveFailures: 1 });
    d.sync(['a', 'b']);
    d.record('a', true);
    expect(d.isEjected('a')).toBe(true);
    d.sync(['b', 'c']);
    d.record('a', true);
    expect(d.state('a')).toBeUndefined();
    expect(d.isEjected('a')).toBe(false);
    d.sync(['a', 'b', 'c']);
    expect(d.state('a')).toEqual({ ejected: false, ejectedUntil: undefined, ejections: 0, consecutiveFailures: 0 });
  });

  it('forgives one ejection per quiet period', () => {
    const clock = manualClock();
    const d = createOutlierDetector({ consecutiveFailures: 1, baseEjectionMs: 1000, maxEjectionMs: 10_000, forgiveAfterMs: 60_000, now: clock.now });
    d.sync(['a', 'b']);
    d.record('a', true);
    clock.advance(1000);
    d.record('a', true);
    expect(d.state('a')).toMatchObject({ ejected: true, ejections: 2 });
    clock.advance(2000);
    expect(d.isEjected('a')).toBe(false);
    d.record('a', false);
    clock.advance(120_000);
    d.record('a', true);
    // Two quiet periods forgave both: this is a first ejection again.
    expect(d.state('a')).toMatchObject({ ejected: true, ejections: 1, ejectedUntil: clock.now() + 1000 });
  });

  it('rejects options out of range, naming each', () => {
    expect(() => createOutlierDetector({ consecutiveFailures: 0, baseEjectionMs: 10, maxEjectionMs: 5, maxEjectedPercent: 120 })).toThrow(
      'outlier ejection: consecutiveFailures must be a whole number >= 1, got 0; maxEjectionMs must be at least baseEjectionMs (10), got 5; maxEjectedPercent must be in 0..100, got 120',
    );
    expect(() => createOutlierDetector({ failureRatio: { ratio: 1.5, minCalls: 30, window: 20 } })).toThrow(/ratio must be in \(0, 1\], got 1.5.*minCalls must be a whole number in 1..window, got 30/);
  });
});

describe('no instance available', () => {
  it('is a typed Unavailable that says why each instance was passed over', () => {
    const guarded = createInstancePool({
      service: 'users',
      source: createStaticSource([GOOD, BAD], { kind: 'http' }),
      isAvailable: (instance) => instance.address !== GOOD,
      outlier: { consecutiveFailures: 1 },
    });
    guarded.pick().release('failure');
    let caught: unknown;
    try {
      guarded.pick();
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(NoInstanceAvailable);
    expect(caught).toBeInstanceOf(Unavailable);
    expect(caught).toMatchObject({
      code: 'Unavailable',
      status: 503,
      service: 'users',
      counts: { known: 2, ejected: 1, down: 0, refused: 1 },
      message: 'no instance of users is available (2 known: 1 ejected after failures, 1 with an open circuit breaker)',
    });
  });
});
