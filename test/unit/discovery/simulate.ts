// Deterministic helpers for the balancing tests: a seeded random source, a controllable clock, and
// a discrete-time simulation of calls that take each instance's own time.
import type { InstancePool } from '../../../runtime/discovery/index.js';

export { seeded } from '../../support/seeded.js';

/** A clock the test moves by hand. */
export function manualClock(start = 1_700_000_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => void (now += ms) };
}

/** How many times each address was picked. */
export function tally(addresses: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const a of addresses) counts.set(a, (counts.get(a) ?? 0) + 1);
  return counts;
}

/** Pearson's chi-square statistic of `counts` against a uniform spread over `k` buckets. */
export function chiSquareUniform(counts: Iterable<number>, k: number, total: number): number {
  const expected = total / k;
  let sum = 0;
  let seen = 0;
  for (const c of counts) {
    sum += (c - expected) ** 2 / expected;
    seen++;
  }
  // Buckets never picked count too.
  return sum + (k - seen) * expected;
}

/**
 * One call starts every millisecond of `clock` (the pool's clock, moved here); a call on `address`
 * takes `latencyMs[address]` ms and is released (with that latency) when it is over. Returns the
 * address of every pick.
 */
export function simulate(pool: InstancePool, latencyMs: Record<string, number>, picks: number, clock = manualClock(0)): string[] {
  const chosen: string[] = [];
  const inFlight: { endsAt: number; release: () => void }[] = [];
  for (let now = 0; now < picks; now++, clock.advance(1)) {
    for (let i = inFlight.length - 1; i >= 0; i--) {
      if (inFlight[i]!.endsAt <= now) inFlight.splice(i, 1)[0]!.release();
    }
    const picked = pool.pick();
    const took = latencyMs[picked.address]!;
    chosen.push(picked.address);
    inFlight.push({ endsAt: now + took, release: () => picked.release('success', took) });
  }
  for (const call of inFlight) call.release();
  return chosen;
}
