// The delegate's cache: entries expire on their own deadline, the size is bounded (least recently used
// out first), concurrent lookups share one load, and a failed load is not kept.
import { describe, expect, it } from 'vitest';
import { AnswerCache } from '../../../../runtime/gateway/auth/answer-cache.js';

describe('AnswerCache', () => {
  it('keeps a value for its lifetime only', async () => {
    let now = 0;
    const cache = new AnswerCache<string>(10, () => now);
    let loads = 0;
    const load = async () => ({ value: `v${++loads}`, ttlMs: 100 });
    expect(await cache.get('k', load)).toBe('v1');
    now = 99;
    expect(await cache.get('k', load)).toBe('v1');
    now = 100;
    expect(await cache.get('k', load)).toBe('v2');
  });

  it('peek answers a fresh value without loading, and nothing for a missing or expired one', async () => {
    let now = 0;
    const cache = new AnswerCache<string>(10, () => now);
    expect(cache.peek('k')).toBeUndefined();
    await cache.get('k', async () => ({ value: 'v', ttlMs: 100 }));
    now = 99;
    expect(cache.peek('k')).toBe('v');
    now = 100;
    expect(cache.peek('k')).toBeUndefined();
  });

  it('does not keep a value whose lifetime is 0 or a failure', async () => {
    const cache = new AnswerCache<string>(10);
    await cache.get('zero', async () => ({ value: 'x', ttlMs: 0 }));
    await expect(cache.get('fail', () => Promise.reject(new Error('down')))).rejects.toThrow('down');
    expect(cache.size).toBe(0);
    expect(await cache.get('fail', async () => ({ value: 'up', ttlMs: 10_000 }))).toBe('up');
  });

  it('shares one load among concurrent lookups of a key', async () => {
    const cache = new AnswerCache<number>(10);
    let loads = 0;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const load = async () => {
      loads++;
      await gate;
      return { value: 7, ttlMs: 1000 };
    };
    const pending = [cache.get('k', load), cache.get('k', load), cache.get('k', load)];
    release();
    expect(await Promise.all(pending)).toEqual([7, 7, 7]);
    expect(loads).toBe(1);
  });

  it('holds at most maxEntries, dropping the least recently used', async () => {
    const cache = new AnswerCache<string>(2);
    const load = (v: string) => async () => ({ value: v, ttlMs: 10_000 });
    await cache.get('a', load('a'));
    await cache.get('b', load('b'));
    await cache.get('a', load('a2'));
    await cache.get('c', load('c'));
    expect(cache.keys()).toEqual(['a', 'c']);
    expect(await cache.get('a', load('a3'))).toBe('a');
  });
});
