// Readiness from a database's ping: at most one ping per max age however many probes ask, shared by
// concurrent probes, flips reported once each way.
import { describe, expect, it } from 'vitest';
import { createDatabaseReadiness } from '../../../runtime/host/service-database.js';
import type { Database } from '../../../runtime/storage/types.js';

/** A database whose ping answers what the test says, when the test says, counting the pings. */
function pingable() {
  let answer = true;
  let pings = 0;
  let release: (() => void) | undefined;
  let hold = false;
  const db = {
    name: 'notes',
    ping: () => {
      pings++;
      if (!hold) return Promise.resolve(answer);
      return new Promise<boolean>((resolve) => (release = () => resolve(answer)));
    },
  } as unknown as Database;
  return {
    db,
    set: (value: boolean) => (answer = value),
    holdPings: (value: boolean) => (hold = value),
    release: () => release?.(),
    pings: () => pings,
  };
}

describe('createDatabaseReadiness', () => {
  it('pings at most once per max age, and concurrent checks share one ping', async () => {
    const fake = pingable();
    const readiness = createDatabaseReadiness(fake.db, { maxAgeMs: 60_000 });
    fake.holdPings(true);
    const checks = [readiness.check(), readiness.check(), readiness.check()];
    fake.release();
    expect(await Promise.all(checks)).toEqual([true, true, true]);
    expect(fake.pings()).toBe(1);
    fake.set(false);
    // Within the max age the cached answer stands.
    expect(await readiness.check()).toBe(true);
    expect(fake.pings()).toBe(1);
  });

  it('follows the database down and up once the answer is stale, telling onChange each flip', async () => {
    const fake = pingable();
    let changes = 0;
    const readiness = createDatabaseReadiness(fake.db, { maxAgeMs: 0, onChange: () => changes++ });
    expect(await readiness.check()).toBe(true);
    fake.set(false);
    expect(await readiness.check()).toBe(false);
    expect(readiness.answering).toBe(false);
    expect(await readiness.check()).toBe(false);
    fake.set(true);
    expect(await readiness.check()).toBe(true);
    expect(readiness.answering).toBe(true);
    expect(changes).toBe(2);
  });
});
