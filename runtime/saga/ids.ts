// What a saga id may look like: a generated UUID, or an id the caller chose (a request's key, so a
// repeated request starts nothing new). Checked when a saga starts and when a route looks one up.

/** Letters, digits and `. _ : -`, starting with a letter or digit, at most 128 characters. */
export const SAGA_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

/**
 * Whether `id` may name a saga.
 *
 * @param id - a candidate id
 * @example
 * isSagaId('b0c5e1d2-7f0e-4c1a-9d55-0b1f0a7d3e11'); // true
 * isSagaId('a b'); // false
 */
export function isSagaId(id: string): boolean {
  return SAGA_ID_PATTERN.test(id);
}
