// The spec language states the saga states too (the `<saga>.failed` event's `state` field, in
// generator/language/saga-declarations.ts: the generator's language layer does not import the
// runtime). Both lists must stay the same, in the same order.
import { describe, expect, it } from 'vitest';
import { SAGA_STATES as LANGUAGE_STATES } from '../../../generator/language/saga-declarations.js';
import { SAGA_STATES } from '../../../runtime/saga/types.js';

describe('saga states', () => {
  it('are the same in the spec language and in the runtime', () => {
    expect([...LANGUAGE_STATES]).toEqual([...SAGA_STATES]);
  });
});
