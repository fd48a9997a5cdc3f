// Orderings of model entries, built on the generator's one string ordering (generator/naming/order.ts).
import { compare, typeKey } from '../naming/index.js';

export { compare };

export function byName(a: { name: string }, b: { name: string }): number {
  return compare(a.name, b.name);
}

/** Types by their mesh-wide key: mesh-level `Item` and `orders.Item` side by side, each in one place. */
export function byKey(a: { name: string; owner: string | null }, b: { name: string; owner: string | null }): number {
  return compare(typeKey(a.owner, a.name), typeKey(b.owner, b.name));
}
