// Small helpers shared by the event bus tests: envelopes, polling, and removing a test's Redis keys.
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { EventEnvelope } from '../../runtime/bus/types.js';

/** A fresh envelope of `event`. */
export function envelope(event: string, payload: unknown = {}): EventEnvelope {
  return { id: randomUUID(), event, version: 1, source: 'test', time: new Date().toISOString(), payload };
}

/** Polls until `check` holds; fails with `what` after `timeoutMs` (which only turns a hang into a failure). */
export async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Deletes every key under `prefix` (SCAN, so a busy Redis is not blocked). */
export async function deleteKeys(redis: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length > 0) await redis.del(...keys);
  } while (cursor !== '0');
}
