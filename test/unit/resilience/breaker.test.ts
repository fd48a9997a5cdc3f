import assert from 'node:assert/strict';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CircuitBreaker, CircuitBreakerSet, REFUSED, type BreakerState, type CircuitBreakerPolicy } from '../../../runtime/resilience/index.js';
import { ManualClock } from '../../support/manual-clock.js';

const policy: CircuitBreakerPolicy = { consecutiveFailures: 3, minimumCalls: 10, windowMs: 10_000, openForMs: 5_000, halfOpenCalls: 2 };

function fail(breaker: CircuitBreaker, times = 1): void {
  for (let i = 0; i < times; i++) breaker.record(breaker.tryAcquire(), 'failure');
}

function succeed(breaker: CircuitBreaker, times = 1): void {
  for (let i = 0; i < times; i++) breaker.record(breaker.tryAcquire(), 'success');
}

describe('CircuitBreaker', () => {
  it('goes closed -> open -> half-open -> closed under the clock, reporting each transition', async () => {
    const clock = new ManualClock();
    const transitions: string[] = [];
    const breaker = new CircuitBreaker(policy, clock, 'a', (instance, from, to) => transitions.push(`${instance}:${from}->${to}`));
    fail(breaker, 2);
    expect(breaker.state).toBe('closed');
    fail(breaker);
    expect(breaker.state).toBe('open');
    expect(breaker.isAvailable()).toBe(false);
    expect(breaker.tryAcquire()).toBe(REFUSED);
    await clock.advance(4_999);
    expect(breaker.state).toBe('open');
    await clock.advance(1);
    expect(breaker.state).toBe('half-open');
    succeed(breaker, 2);
    expect(breaker.state).toBe('closed');
    expect(transitions).toEqual(['a:closed->open', 'a:open->half-open', 'a:half-open->closed']);
  });

  it('opens again on a failed probe, for another openForMs', async () => {
    const clock = new ManualClock();
    const breaker = new CircuitBreaker(policy, clock);
    fail(breaker, 3);
    await clock.advance(5_000);
    succeed(breaker);
    fail(breaker);
    expect(breaker.state).toBe('open');
    await clock.advance(4_999);
    expect(breaker.state).toBe('open');
    await clock.advance(1);
    expect(breaker.state).toBe('half-open');
  });

  it('counts consecutive failures only: a success in between resets them', () => {
    const breaker = new CircuitBreaker(policy, new ManualClock());
    for (let i = 0; i < 10; i++) {
      fail(breaker, 2);
      succeed(breaker);
    }
    expect(breaker.state).toBe('closed');
  });

  it('trips on the failure ratio over the window, only from minimumCalls on', () => {
    const ratioPolicy: CircuitBreakerPolicy = { failureRatio: 0.5, minimumCalls: 10, windowMs: 10_000, openForMs: 1_000, halfOpenCalls: 1 };
    const breaker = new CircuitBreaker(ratioPolicy, new ManualClock());
    // 4 failures in 8 calls: 50%, but under minimumCalls.
    for (let i = 0; i < 4; i++) {
      fail(breaker);
      succeed(breaker);
    }
    expect(breaker.state).toBe('closed');
    succeed(breaker);
    expect(breaker.state).toBe('closed'); // 4 / 9
    fail(breaker); // 5 / 10
    expect(breaker.state).toBe('open');
  });

  it('forgets failures older than the window when judging the ratio', async () => {
    const clock = new ManualClock();
    const breaker = new CircuitBreaker({ failureRatio: 0.5, minimumCalls: 4, windowMs: 1_000, openForMs: 1_000, halfOpenCalls: 1 }, clock);
    fail(breaker, 3);
    await clock.advance(1_000);
    succeed(breaker, 3);
    fail(breaker); // 1 / 4 in the window
    expect(breaker.state).toBe('closed');
  });

  it('ignores outcomes from before a transition, and hands back the slot of an ignored probe', async () => {
    const clock = new ManualClock();
    const breaker = new CircuitBreaker({ ...policy, halfOpenCalls: 1 }, clock);
    const slow = breaker.tryAcquire();
    fail(breaker, 3);
    await clock.advance(5_000);
    const probe = breaker.tryAcquire();
    expect(probe).not.toBe(REFUSED);
    expect(breaker.tryAcquire()).toBe(REFUSED);
    breaker.record(slow, 'failure'); // stale: admitted while closed
    expect(breaker.state).toBe('half-open');
    breaker.record(probe, 'ignored');
    const next = breaker.tryAcquire();
    expect(next).not.toBe(REFUSED);
    breaker.record(next, 'success');
    expect(breaker.state).toBe('closed');
  });

  it('maps kinds to outcomes: counted failures only, a 4xx is a success', () => {
    const breaker = new CircuitBreaker(policy, new ManualClock());
    expect(breaker.outcomeOf('unavailable')).toBe('failure');
    expect(breaker.outcomeOf('timeout')).toBe('failure');
    expect(breaker.outcomeOf('rejected')).toBe('success');
    expect(breaker.outcomeOf('deadline')).toBe('ignored');
    const only503 = new CircuitBreaker({ ...policy, countedFailures: ['unavailable'] }, new ManualClock());
    expect(only503.outcomeOf('timeout')).toBe('success');
  });

  it('never lets more than halfOpenCalls probes through per half-open period, whatever the interleaving', () => {
    type Step = { op: 'acquire' } | { op: 'finish'; outcome: 'success' | 'failure' | 'ignored'; pick: number } | { op: 'wait'; ms: number };
    const step = fc.oneof(
      fc.constant<Step>({ op: 'acquire' }),
      fc.record({ op: fc.constant('finish' as const), outcome: fc.constantFrom('success' as const, 'failure' as const, 'ignored' as const), pick: fc.nat() }),
      fc.record({ op: fc.constant('wait' as const), ms: fc.integer({ min: 0, max: 3_000 }) }),
    );
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 4 }), fc.array(step, { minLength: 20, maxLength: 150, size: 'max' }), (halfOpenCalls, steps) => {
        const clock = new ManualClock();
        let period = 0;
        let halfOpen = false;
        const breaker = new CircuitBreaker({ consecutiveFailures: 2, minimumCalls: 1, windowMs: 1_000, openForMs: 1_000, halfOpenCalls }, clock, '', (_i, _from, to) => {
          halfOpen = to === 'half-open';
          if (halfOpen) period++;
        });
        // Per half-open period: probes admitted, and probes whose slot came back (outcome ignored).
        const admitted = new Map<number, number>();
        const handedBack = new Map<number, number>();
        const inFlight: { ticket: number; period: number | undefined }[] = [];
        for (const s of steps) {
          if (s.op === 'wait') clock.skip(s.ms);
          else if (s.op === 'acquire') {
            const ticket = breaker.tryAcquire();
            if (ticket === REFUSED) continue;
            inFlight.push({ ticket, period: halfOpen ? period : undefined });
            if (halfOpen) admitted.set(period, (admitted.get(period) ?? 0) + 1);
          } else if (inFlight.length > 0) {
            const [call] = inFlight.splice(s.pick % inFlight.length, 1);
            const current = halfOpen && call!.period === period;
            breaker.record(call!.ticket, s.outcome);
            if (current && s.outcome === 'ignored') handedBack.set(period, (handedBack.get(period) ?? 0) + 1);
          }
          // node:assert rather than expect: thousands of checks per property run.
          for (const [p, n] of admitted) assert.ok(n - (handedBack.get(p) ?? 0) <= halfOpenCalls, `period ${p}: ${n} probes admitted`);
        }
      }),
    );
  });
});

describe('CircuitBreakerSet', () => {
  it('keeps one breaker per instance: one bad instance does not take the others out', () => {
    const clock = new ManualClock();
    const breakers = new CircuitBreakerSet(policy, clock);
    fail(breakers.for('a'), 3);
    succeed(breakers.for('b'));
    expect(breakers.isAvailable('a')).toBe(false);
    expect(breakers.isAvailable('b')).toBe(true);
    expect(breakers.isAvailable('never-called')).toBe(true);
    expect(breakers.states()).toEqual({ a: 'open', b: 'closed' });
    breakers.retain(['b']);
    expect(breakers.states()).toEqual({ b: 'closed' });
    expect(breakers.isAvailable('a')).toBe(true);
  });
});
