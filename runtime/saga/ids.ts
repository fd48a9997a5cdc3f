// What a saga id may look like: a generated UUID, or an id the caller chose (a request's key, so a
// repeated request starts nothing new). Checked when a saga starts and when a route looks one up.
import { createHash } from 'node:crypto';

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

/**
 * The saga id a request with an idempotency key starts: a name-based UUID (version 5 layout, SHA-1
 * of the scope and the key), so a retried request finds the saga its first attempt started instead
 * of starting another. The scope is the service, the saga and the caller, as for the keys of other
 * endpoints (runtime/service/idempotent-invoke.ts): two callers' keys never meet.
 *
 * @param scope - service, saga and caller subject (`anonymous` without one)
 * @param key - the request's idempotency key
 * @example
 * sagaIdFromKey({ service: 'orders', saga: 'placeOrder', caller: 'user:42' }, 'k-1'); // the same UUID on every call
 */
export function sagaIdFromKey(scope: { readonly service: string; readonly saga: string; readonly caller: string }, key: string): string {
  // Each part length-prefixed: no two (scope, key) pairs hash the same text.
  const name = [scope.service, scope.saga, scope.caller, key].map((part) => `${part.length}:${part}`).join('|');
  const bytes = createHash('sha1').update(`meshspec-saga|${name}`).digest().subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x50;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
