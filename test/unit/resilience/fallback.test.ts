import { describe, expect, it } from 'vitest';
import { BadRequest, Unavailable } from '../../../runtime/errors/index.js';
import { CircuitOpen, withFallback, type FailureKind } from '../../../runtime/resilience/index.js';

describe('withFallback', () => {
  it('answers with the fallback for a named failure and reports its use', async () => {
    const used: FailureKind[] = [];
    const value = await withFallback(() => Promise.reject(new CircuitOpen('users')), { on: ['circuitOpen'] }, (_err, kind) => `fallback for ${kind}`, (kind) => used.push(kind));
    expect(value).toBe('fallback for circuitOpen');
    expect(used).toEqual(['circuitOpen']);
  });

  it('passes the success and unnamed failures through untouched', async () => {
    const fallback = () => 'fallback';
    expect(await withFallback(() => Promise.resolve('real'), { on: ['unavailable'] }, fallback)).toBe('real');
    const bad = new BadRequest('no');
    await expect(withFallback(() => Promise.reject(bad), { on: ['unavailable'] }, fallback)).rejects.toBe(bad);
  });

  it("lets the fallback's own error reach the caller", async () => {
    const own = new Error('no cache either');
    await expect(
      withFallback(() => Promise.reject(new Unavailable('down')), { on: ['unavailable'] }, () => {
        throw own;
      }),
    ).rejects.toBe(own);
  });
});
