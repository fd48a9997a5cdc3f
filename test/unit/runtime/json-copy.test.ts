// jsonCopy must give exactly what a JSON round trip gives: what an in-process call carries is what the
// network would carry.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonCopy } from '../../../runtime/transport/json-copy.js';

const roundTrip = (value: unknown): unknown => {
  const text = JSON.stringify(value);
  return text === undefined ? undefined : (JSON.parse(text) as unknown);
};

/** Equal as JSON.parse output, including -0 vs 0 and own `__proto__` keys. */
const same = (value: unknown) => {
  const copied = jsonCopy(value);
  expect(copied).toStrictEqual(roundTrip(value));
  expect(JSON.stringify(copied)).toBe(JSON.stringify(value));
};

describe('jsonCopy', () => {
  it('gives what a JSON round trip gives for the values JSON cannot hold as they are', () => {
    class Money {
      constructor(readonly cents: number) {}
      toJSON(key: string) {
        return { cents: this.cents, key };
      }
    }
    const cases: unknown[] = [
      undefined,
      null,
      -0,
      NaN,
      Infinity,
      'text \ud800 lone surrogate',
      new Date(0),
      { skipped: undefined, fn: () => 1, sym: Symbol('s'), kept: 1, nested: { d: new Date(1), n: -Infinity } },
      [undefined, () => 1, Symbol('s'), NaN, -0, [new Date(2)]],
      [, 1, , 2], // holes
      Object.assign([1, 2], { extra: 'ignored' }),
      { money: new Money(5), list: [new Money(6)] },
      [new Number(3), new String('s'), new Boolean(false), { n: new Number(NaN) }],
      new Map([[1, 2]]),
      new Uint8Array([1, 2]),
      JSON.parse('{"__proto__": {"polluted": true}, "a": 1}'),
      Object.create({ inherited: 1 }, { own: { value: 2, enumerable: true }, hidden: { value: 3, enumerable: false } }),
    ];
    for (const value of cases) same(value);
    expect(Object.getPrototypeOf(jsonCopy(JSON.parse('{"__proto__": {"x": 1}}')))).toBe(Object.prototype);
  });

  it('copies: nothing of the result is shared with the source', () => {
    const source = { list: [{ a: 1 }], inner: { b: [2] } };
    const copied = jsonCopy(source) as typeof source;
    copied.list[0]!.a = 9;
    copied.inner.b.push(3);
    expect(source).toEqual({ list: [{ a: 1 }], inner: { b: [2] } });
  });

  it('throws a TypeError for a cycle and for a BigInt, as JSON.stringify does', () => {
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic['self'] = cyclic;
    expect(() => jsonCopy(cyclic)).toThrow(TypeError);
    expect(() => jsonCopy({ n: 1n })).toThrow(TypeError);
    // The same object twice, not nested in itself, is no cycle.
    const shared = { x: 1 };
    same({ a: shared, b: [shared, shared] });
  });

  it('matches a JSON round trip for any value fast-check makes', () => {
    fc.assert(
      fc.property(fc.anything({ withDate: true, withNullPrototype: true, withSparseArray: true, withBoxedValues: true }), (value) => {
        same(value);
      }),
      { numRuns: 500 },
    );
  });
});
