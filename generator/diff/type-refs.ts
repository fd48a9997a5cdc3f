// How a field's type changed: not at all, widened (every old value is still a value: integer -> number),
// or changed. A named type keeps its name across specs; its own changes are compared where it is declared.
import type { TypeRef } from '../model/types.js';

export type RefChange = 'same' | 'widened' | 'changed' | 'renamed';

/** The change from `before` to `after`; `renamed` when the same shape refers to a type of another name. */
export function refChange(before: TypeRef, after: TypeRef): RefChange {
  if (before.kind === 'primitive' && after.kind === 'primitive') {
    if (before.name === after.name) return 'same';
    return before.name === 'integer' && after.name === 'number' ? 'widened' : 'changed';
  }
  if (before.kind === 'ref' && after.kind === 'ref') return before.name === after.name ? 'same' : 'renamed';
  if (before.kind === 'array' && after.kind === 'array') return refChange(before.items, after.items);
  if (before.kind === 'map' && after.kind === 'map') return refChange(before.values, after.values);
  return 'changed';
}

/** `string`, `Item[]`, `map of integer`: a type as the spec writes it, for messages. */
export function showRef(type: TypeRef): string {
  if (type.kind === 'primitive' || type.kind === 'ref') return type.name;
  if (type.kind === 'array') return `${showRef(type.items)}[]`;
  return `map of ${showRef(type.values)}`;
}

/** The named types at the same place in both refs (`Item` in `Item[]` and `NewItem[]`), when both have one. */
export function pairedRefs(before: TypeRef, after: TypeRef): [string, string] | undefined {
  if (before.kind === 'ref' && after.kind === 'ref') return [before.name, after.name];
  if (before.kind === 'array' && after.kind === 'array') return pairedRefs(before.items, after.items);
  if (before.kind === 'map' && after.kind === 'map') return pairedRefs(before.values, after.values);
  return undefined;
}
