// The one ordering the generator sorts names by: UTF-16 code units, like `Array.prototype.sort()`
// without a comparator, and independent of locale, so output is the same bytes on every machine.
import { typeKey } from '../naming/index.js';

export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function byName(a: { name: string }, b: { name: string }): number {
  return compare(a.name, b.name);
}

/** Types by their mesh-wide key: mesh-level `Item` and `orders.Item` side by side, each in one place. */
export function byKey(a: { name: string; owner: string | null }, b: { name: string; owner: string | null }): number {
  return compare(typeKey(a.owner, a.name), typeKey(b.owner, b.name));
}
