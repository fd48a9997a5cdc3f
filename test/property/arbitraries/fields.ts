// Fields of a record: primitive, enum (named or inline), record, list and map types, optional or not,
// with constraints that fit their type, and patterns with a value known to match (samples.ts).
import type { Choose } from './choose.js';
import { ENUM_VALUES, FIELD_NAMES } from './names.js';
import type { FieldPlan } from './plan.js';
import { stringFormats, type StringFormatName } from '../../../common/formats.js';
import { isPathSegment } from '../../../common/path-segments.js';
import { primitiveSample } from './samples.js';
import { maybeDescription } from './text.js';

/** A type a field may refer to, as the spec names it where the field is declared. */
export interface VisibleType {
  name: string;
  kind: 'record' | 'enum';
}

const PRIMITIVES = ['string', 'integer', 'number', 'boolean'] as const;
/** Every format the language offers: a new one is generated (and needs a sample in samples.ts) at once. */
const FORMATS = Object.keys(stringFormats) as StringFormatName[];

/** Patterns the generated validators must accept, each with a value that matches it. */
export const PATTERNS: readonly { pattern: string; sample: string }[] = [
  { pattern: '^[a-z]+$', sample: 'abc' },
  { pattern: '\\d{3}', sample: 'x123' },
  { pattern: '^.*$', sample: 'anything' },
  { pattern: '^[^*/]+$', sample: 'no comment' },
  { pattern: '\\*/', sample: 'a */ b' },
  { pattern: '^\\p{Lu}', sample: 'Élan' },
  { pattern: "^['\"`$]{0,4}x", sample: "'\"x" },
  { pattern: '(a|b)+#', sample: 'ab#' },
  { pattern: '^\\S+@\\S+$', sample: 'a@b' },
];

/** Values of an enum: one to five distinct ones. */
export function enumValues(choose: Choose): string[] {
  const values = new Set<string>();
  const count = choose.int(1, 5);
  for (let i = 0; i < count; i++) values.add(choose.pick(ENUM_VALUES));
  return [...values];
}

export interface FieldOptions {
  /** Only what a query string can carry: scalars, enums and lists of them. */
  queryable: boolean;
  visible: readonly VisibleType[];
  /** The record being declared: it may refer to itself through a list, a map or an optional field. */
  self?: string;
}

/** The fields of one record: distinct names, distinct numbers, none of them reserved. */
export function recordFields(choose: Choose, options: FieldOptions): { fields: FieldPlan[]; reserved?: number[] } {
  const count = choose.int(1, 6);
  const names = new Set<string>();
  while (names.size < count) names.add(choose.pick(FIELD_NAMES));
  const numbers = new Set<number>();
  const fields = [...names].map((name) => {
    let number = fieldNumber(choose);
    while (numbers.has(number)) number += 1;
    numbers.add(number);
    return field(choose, name, number, options);
  });
  if (!choose.chance(0.2)) return { fields };
  const reserved = new Set<number>();
  for (let i = choose.int(1, 3); i > 0; i--) {
    const n = fieldNumber(choose) + choose.pick([20, -5, 11]);
    if (n >= 1 && n <= 536870911 && (n < 19000 || n > 19999) && !numbers.has(n)) reserved.add(n);
  }
  return reserved.size > 0 ? { fields, reserved: [...reserved] } : { fields };
}

function fieldNumber(choose: Choose): number {
  if (choose.chance(0.9)) return choose.int(1, 30);
  // Large numbers, clear of protobuf's own 19000-19999.
  return choose.pick([15, 16, 2047, 2048, 18999, 20000, 262143, 536870900]);
}

function field(choose: Choose, name: string, number: number, options: FieldOptions): FieldPlan {
  const out: FieldPlan = { name, field: number };
  const description = maybeDescription(choose, 0.2);
  const enums = options.visible.filter((t) => t.kind === 'enum');
  const records = options.queryable ? [] : options.visible.filter((t) => t.kind === 'record');
  const roll = choose.int(0, 99);
  // A record may hold itself only where a value can end: inside a list or a map.
  if (!options.queryable && options.self !== undefined && roll < 3) {
    out.type = choose.pick(['array', 'map']);
    if (out.type === 'array') out.items = options.self;
    else out.values = options.self;
  } else if (roll < 45) {
    const primitive = choose.pick(PRIMITIVES);
    out.type = primitive;
    constrain(choose, out, primitive);
    // An example flows into the JSON Schema and the OpenAPI documents, and is checked against the field.
    // Not one no URL can carry (`''`): the field may become a path param, which the checks refuse then.
    const example = choose.chance(0.25) ? primitiveSample(out, choose.int(0, 9)) : undefined;
    if (example !== undefined && isPathSegment(example)) out.example = example;
  } else if (roll < 58 && enums.length > 0) {
    out.type = choose.pick(enums).name;
  } else if (roll < 66) {
    out.enum = enumValues(choose);
  } else if (roll < 74 && records.length > 0) {
    out.type = choose.pick(records).name;
  } else if (roll < 88 || options.queryable) {
    out.type = 'array';
    out.items = element(choose, enums, records);
    if (choose.chance(0.2)) constrainItems(choose, out);
  } else {
    out.type = 'map';
    out.values = element(choose, enums, records);
  }
  if (choose.chance(0.3)) out.optional = true;
  // A query string cannot carry an empty list: a required one there holds at least one item.
  if (options.queryable && out.type === 'array' && !out.optional && (out.minItems ?? 0) < 1) {
    out.minItems = 1;
    if (out.maxItems !== undefined && out.maxItems < 1) out.maxItems = 1;
  }
  if (description !== undefined) out.description = description;
  return out;
}

function element(choose: Choose, enums: readonly VisibleType[], records: readonly VisibleType[]): string {
  const roll = choose.int(0, 9);
  if (roll < 2 && enums.length > 0) return choose.pick(enums).name;
  if (roll < 4 && records.length > 0) return choose.pick(records).name;
  return choose.pick(PRIMITIVES);
}

function constrain(choose: Choose, f: FieldPlan, type: (typeof PRIMITIVES)[number]): void {
  if (type === 'string') {
    const roll = choose.int(0, 9);
    if (roll === 0) f.format = choose.pick(FORMATS);
    else if (roll === 1) f.pattern = choose.pick(PATTERNS).pattern;
    else if (roll === 2) {
      f.minLength = choose.int(0, 3);
      // At least 1: a path param must be able to hold a value that is not empty.
      if (choose.chance(0.5)) f.maxLength = Math.max(1, f.minLength + choose.int(0, 200));
    }
  } else if (type === 'integer' || type === 'number') {
    if (!choose.chance(0.3)) return;
    const low = choose.pick([0, 1, -5, -9007199254740991, 1000]);
    if (choose.chance(0.7)) f.minimum = low;
    if (choose.chance(0.6)) f.maximum = low + choose.pick([0, 1, 10, 1e6]);
    if (type === 'number' && choose.chance(0.3)) f.maximum = (f.minimum ?? 0) + 0.5;
  }
}

function constrainItems(choose: Choose, f: FieldPlan): void {
  f.minItems = choose.int(0, 2);
  if (choose.chance(0.5)) f.maxItems = f.minItems + choose.int(0, 5);
}
