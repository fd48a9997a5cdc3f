// Whether a field's constraints accept fewer values (narrowed), more (widened), or the same.
import type { FieldConstraints } from '../model/types.js';

export interface ConstraintChange {
  key: keyof FieldConstraints;
  before: unknown;
  after: unknown;
  direction: 'narrowed' | 'widened';
}

const lowerBounds = ['minimum', 'minLength', 'minItems'] as const;
const upperBounds = ['maximum', 'maxLength', 'maxItems'] as const;

/** Each constraint that changed, with the way it moved; unchanged ones are left out. */
export function constraintChanges(before: FieldConstraints, after: FieldConstraints): ConstraintChange[] {
  const changes: ConstraintChange[] = [];
  const add = (key: keyof FieldConstraints, direction: ConstraintChange['direction']) =>
    changes.push({ key, before: before[key], after: after[key], direction });
  for (const key of lowerBounds) {
    const [a, b] = [before[key], after[key]];
    if (a === b) continue;
    // A bound added, or raised, accepts fewer values.
    add(key, a === undefined || (b !== undefined && b > a) ? 'narrowed' : 'widened');
  }
  for (const key of upperBounds) {
    const [a, b] = [before[key], after[key]];
    if (a === b) continue;
    add(key, a === undefined || (b !== undefined && b < a) ? 'narrowed' : 'widened');
  }
  // A pattern or a format cannot be compared with another: any new one may refuse values the old accepted.
  for (const key of ['pattern', 'format'] as const) {
    if (before[key] === after[key]) continue;
    add(key, after[key] === undefined ? 'widened' : 'narrowed');
  }
  return changes;
}

/** `minimum 0 -> 1`, `pattern added (^[a-z]+$)`, for messages. */
export function describeConstraint(change: ConstraintChange): string {
  const show = (v: unknown) => (typeof v === 'string' ? `\`${v}\`` : String(v));
  if (change.before === undefined) return `\`${change.key}: ${String(change.after)}\` added`;
  if (change.after === undefined) return `\`${change.key}\` (${show(change.before)}) removed`;
  return `\`${change.key}\` ${show(change.before)} -> ${show(change.after)}`;
}
