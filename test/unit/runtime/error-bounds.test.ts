// A MeshError is bounded when it is made: whatever a hook, a callee or an input puts in it, the body
// a client reads stays under MAX_ERROR_BODY_BYTES and its message is a line, not a listing.
import { describe, expect, it } from 'vitest';
import { boundDetails, boundText, MAX_ERROR_BODY_BYTES, MAX_LIST_ITEMS, MeshError, ValidationFailed } from '../../support/runtime.js';

const bodyBytes = (error: MeshError) => Buffer.byteLength(JSON.stringify(error.toBody('req-1')));

describe('boundText', () => {
  it('keeps short text and cuts long text with an ellipsis, never inside a surrogate pair', () => {
    expect(boundText('short', 10)).toBe('short');
    expect(boundText('abcdef', 4)).toBe('abc…');
    const cut = boundText(`ab${'😀'.repeat(10)}`, 4);
    expect(cut).toBe('ab…');
  });
});

describe('boundDetails', () => {
  it('returns small details as they are, without copying', () => {
    const details = { sku: 'sku-1', left: 0, tags: ['a', 'b'] };
    expect(boundDetails(details)).toBe(details);
  });

  it('shortens long lists and objects, counting what it left out', () => {
    const list = boundDetails(Array.from({ length: 1000 }, (_, i) => i)) as unknown[];
    expect(list).toHaveLength(MAX_LIST_ITEMS + 1);
    expect(list.at(-1)).toBe(`… ${1000 - MAX_LIST_ITEMS} more`);
    const wide = boundDetails(Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`k${i}`, i]))) as Record<string, unknown>;
    expect(Object.keys(wide)).toHaveLength(MAX_LIST_ITEMS + 1);
    expect(wide['…']).toBe(`${100 - MAX_LIST_ITEMS} more`);
  });

  it('cuts long strings and deep nesting', () => {
    const bounded = boundDetails({ echoed: 'x'.repeat(100_000) }) as { echoed: string };
    expect(bounded.echoed.length).toBeLessThanOrEqual(200);
    let deep: unknown = 'bottom';
    for (let i = 0; i < 1000; i++) deep = [deep];
    expect(JSON.stringify(boundDetails(deep)).length).toBeLessThan(100);
  });
});

describe('MeshError bounds', () => {
  it('keeps any error body under the maximum, whatever its message and details', () => {
    const huge = new MeshError('OutOfStock', 'm'.repeat(1_000_000), 409, { skus: Array.from({ length: 100_000 }, (_, i) => `sku-${i}-${'z'.repeat(300)}`) });
    expect(huge.message.length).toBeLessThanOrEqual(1000);
    expect(bodyBytes(huge)).toBeLessThanOrEqual(MAX_ERROR_BODY_BYTES);
    const escaped = new MeshError('X', '\u0000'.repeat(1000), 400, Array.from({ length: 25 }, () => '\u0001'.repeat(200)));
    expect(bodyBytes(escaped)).toBeLessThanOrEqual(MAX_ERROR_BODY_BYTES);
  });

  it('lists at most 20 validation issues and counts the rest in one last entry', () => {
    const issues = Array.from({ length: 500 }, (_, i) => ({ path: `/items/${i}/${'p'.repeat(500)}`, message: 'must be string' }));
    const error = new ValidationFailed('invalid input: 500 issues', issues);
    const details = error.details as { path: string; message: string }[];
    expect(details).toHaveLength(21);
    expect(details[20]).toEqual({ path: '', message: '480 more issues not listed' });
    expect(details[0]?.path.length).toBeLessThanOrEqual(200);
    expect(bodyBytes(error)).toBeLessThanOrEqual(MAX_ERROR_BODY_BYTES);
  });

  it('keeps the cause for logs out of the body', () => {
    const error = new MeshError('Unavailable', 'users is unavailable', 503, undefined, { cause: new Error('connect ECONNREFUSED 127.0.0.1:13001') });
    expect(JSON.stringify(error.toBody())).not.toContain('127.0.0.1');
    expect((error.cause as Error).message).toContain('127.0.0.1');
  });
});
