import { describe, expect, it } from 'vitest';
import { closest, editDistance } from '../../../common/closest.js';

describe('closest (did you mean)', () => {
  it('counts an adjacent transposition as one edit', () => {
    expect(editDistance('recieve', 'receive')).toBe(1);
    expect(editDistance('users', 'users')).toBe(0);
    expect(editDistance('', 'abc')).toBe(3);
  });

  it('suggests the nearest candidate within a third of the name, case ignored, ties to the first in order', () => {
    expect(closest('Usres', ['orders', 'users'])).toBe('users');
    expect(closest('ab', ['xy'])).toBeUndefined();
    expect(closest('abcd', ['abcx', 'abcy'])).toBe('abcx');
    expect(closest('payments', [])).toBeUndefined();
  });

  it('takes another bound when the caller gives one', () => {
    expect(closest('users.createUsr', ['users.createUser'], 0)).toBeUndefined();
    expect(closest('users.crateUsr', ['users.createUser'], 2)).toBe('users.createUser');
  });
});
