import { describe, expect, it } from 'vitest';
import { assertNotPassed, DeadlineExceeded, effectiveDeadline, startDeadline } from '../../../runtime/resilience/index.js';
import { Timeout } from '../../../runtime/errors/index.js';
import { ManualClock } from '../../support/manual-clock.js';

describe('effectiveDeadline', () => {
  it('is now + timeout without a caller deadline', () => {
    expect(effectiveDeadline(1_000, 500)).toBe(1_500);
    expect(effectiveDeadline(1_000, 500, null)).toBe(1_500);
  });

  it('is the sooner of the caller deadline and now + timeout', () => {
    expect(effectiveDeadline(1_000, 500, 1_200)).toBe(1_200);
    expect(effectiveDeadline(1_000, 500, 9_000)).toBe(1_500);
  });
});

describe('assertNotPassed', () => {
  it('refuses a deadline that has passed, or is now, as a Timeout that never started', () => {
    for (const deadline of [999, 1_000]) {
      let caught: unknown;
      try {
        assertNotPassed(deadline, 1_000, 'users.getUser');
      } catch (err) {
        caught = err;
      }
      expect(caught).toBeInstanceOf(DeadlineExceeded);
      expect(caught).toBeInstanceOf(Timeout);
      expect((caught as DeadlineExceeded).beforeStart).toBe(true);
      expect((caught as DeadlineExceeded).status).toBe(504);
    }
    expect(() => assertNotPassed(1_001, 1_000, 'users.getUser')).not.toThrow();
  });
});

describe('startDeadline', () => {
  it('aborts at the deadline, not before, with the reason it was given', async () => {
    const clock = new ManualClock();
    const scope = startDeadline(clock.now() + 100, { clock, reason: () => new DeadlineExceeded('cut') });
    await clock.advance(99);
    expect(scope.signal.aborted).toBe(false);
    await clock.advance(1);
    expect(scope.signal.aborted).toBe(true);
    expect(scope.expired).toBe(true);
    expect(scope.signal.reason).toBeInstanceOf(DeadlineExceeded);
  });

  it("aborts with the parent's reason when the parent aborts first, and is not marked expired", async () => {
    const clock = new ManualClock();
    const parent = new AbortController();
    const scope = startDeadline(clock.now() + 100, { clock, parent: parent.signal, reason: () => new DeadlineExceeded('cut') });
    parent.abort('caller left');
    expect(scope.signal.aborted).toBe(true);
    expect(scope.signal.reason).toBe('caller left');
    expect(scope.expired).toBe(false);
    scope.dispose();
  });

  it('starts aborted under an aborted parent', () => {
    const clock = new ManualClock();
    const scope = startDeadline(clock.now() + 100, { clock, parent: AbortSignal.abort('gone'), reason: () => 'late' });
    expect(scope.signal.reason).toBe('gone');
    scope.dispose();
  });

  it('dispose stops the timer and the parent listener', async () => {
    const clock = new ManualClock();
    const parent = new AbortController();
    const scope = startDeadline(clock.now() + 100, { clock, parent: parent.signal, reason: () => 'late' });
    scope.dispose();
    expect(clock.pending).toBe(0);
    parent.abort('after');
    await clock.advance(200);
    expect(scope.signal.aborted).toBe(false);
  });

  it('races work with the deadline: the deadline wins over work that never settles, work that settles first wins', async () => {
    const clock = new ManualClock();
    const scope = startDeadline(clock.now() + 100, { clock, reason: () => new DeadlineExceeded('cut') });
    expect(await scope.race(Promise.resolve('early'))).toBe('early');
    const never = scope.race(new Promise<string>(() => {}));
    const outcome = await clock.settle(never);
    expect(outcome.error).toBeInstanceOf(DeadlineExceeded);
    await expect(scope.race(Promise.resolve('late'))).rejects.toBeInstanceOf(DeadlineExceeded);
  });

  it('follows a parent scope without making either signal, and makes an aborted signal on demand', async () => {
    const clock = new ManualClock();
    const outer = startDeadline(clock.now() + 100, { clock, reason: () => 'outer' });
    const inner = startDeadline(clock.now() + 500, { clock, parent: outer, reason: () => 'inner' });
    const seen: unknown[] = [];
    inner.onAbort((reason) => seen.push(reason));
    await clock.advance(100);
    expect(inner.aborted).toBe(true);
    expect(inner.reason).toBe('outer');
    expect(inner.expired).toBe(false);
    expect(seen).toEqual(['outer']);
    expect(inner.signal.aborted).toBe(true);
    expect(inner.signal.reason).toBe('outer');
    inner.dispose();
    outer.dispose();
  });

  it('stops following its parent scope once disposed', async () => {
    const clock = new ManualClock();
    const outer = startDeadline(clock.now() + 100, { clock, reason: () => 'outer' });
    const inner = startDeadline(clock.now() + 50, { clock, parent: outer, reason: () => 'inner' });
    inner.dispose();
    await clock.advance(100);
    expect(outer.aborted).toBe(true);
    expect(inner.aborted).toBe(false);
  });
});
