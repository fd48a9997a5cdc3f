// For any identity and any change to its signed value (a character replaced, removed or inserted,
// a cut, an addition, two characters swapped), the changed value is refused.
import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { identityKey, signIdentity, verifyIdentity } from '../../../runtime/identity/index.js';

const NOW = 1_800_000_000_000;
const keys = [identityKey('current', randomBytes(32)), identityKey('previous', randomBytes(32))];

const identity = fc.record(
  {
    subject: fc.string({ minLength: 1, maxLength: 40, unit: 'grapheme' }),
    roles: fc.array(fc.string({ maxLength: 20 }), { maxLength: 5 }),
    service: fc.string({ maxLength: 10 }),
    deadline: fc.integer({ min: 0, max: 2 ** 50 }),
    requestId: fc.uuid(),
  },
  { requiredKeys: ['subject', 'roles'] },
);

type Mutation = (value: string) => string;
const character = fc.oneof(fc.constantFrom(...'AZaz09-_.=+/~ '), fc.string({ minLength: 1, maxLength: 1, unit: 'binary' }));
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.tuple(fc.nat(), character).map(([at, c]): Mutation => (v) => v.slice(0, at % v.length) + c + v.slice((at % v.length) + 1)),
  fc.nat().map((at): Mutation => (v) => v.slice(0, at % v.length) + v.slice((at % v.length) + 1)),
  fc.tuple(fc.nat(), character).map(([at, c]): Mutation => (v) => v.slice(0, at % (v.length + 1)) + c + v.slice(at % (v.length + 1))),
  fc.nat().map((at): Mutation => (v) => v.slice(0, at % v.length)),
  fc.string({ minLength: 1, maxLength: 4 }).map((s): Mutation => (v) => v + s),
  fc.nat().map((at): Mutation => (v) => {
    const i = at % (v.length - 1);
    return v.slice(0, i) + v[i + 1] + v[i] + v.slice(i + 2);
  }),
);

describe('verifyIdentity (property)', () => {
  it('refuses every changed value', () => {
    fc.assert(
      fc.property(identity, fc.constantFrom(...keys), fc.array(mutation, { minLength: 1, maxLength: 3 }), (asserted, key, mutations) => {
        const value = signIdentity(asserted, key, { now: NOW });
        expect(verifyIdentity(value, keys, NOW).ok).toBe(true);
        const changed = mutations.reduce((v, m) => (v.length > 1 ? m(v) : v), value);
        fc.pre(changed !== value);
        expect(verifyIdentity(changed, keys, NOW).ok).toBe(false);
      }),
      { numRuns: 2000 },
    );
  });
});
