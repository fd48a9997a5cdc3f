// The types saga mappings are checked with, read from the language's type tables (collect.ts), and
// the compatibility rules of a value put into a field: same primitive (an integer into a number, not
// the reverse), an enum into an enum that has all its values or into a string, lists item-wise, and
// records that are the same type or have every field the target needs (converted field by field).
import { inlineEnumName, typeKey } from '../naming/index.js';
import { isRecord, lookupType, recordFields, type Scope, type SpecIndex, type TypeDeclaration } from './collect.js';
import type { RawField } from './raw.js';

/** A type as a mapping sees it; `unknown` is a type nobody could check (declared in a failed file): it fits anything. */
export type SagaType =
  | { kind: 'primitive'; name: 'string' | 'integer' | 'number' | 'boolean' }
  | { kind: 'named'; declaration: TypeDeclaration }
  | { kind: 'list'; items: SagaType }
  | { kind: 'map'; values: SagaType }
  | { kind: 'unknown' };

/** How a value becomes its target's type; the same shape as the model's SagaConversion. */
export type Conversion =
  | { kind: 'same' }
  | { kind: 'record'; fields: { name: string; optional: boolean; convert: Conversion }[] }
  | { kind: 'list'; items: Conversion };

/** A record's field with its type, in field-number order. */
export interface SagaField {
  name: string;
  optional: boolean;
  type: SagaType;
}

const PRIMITIVES = new Set(['string', 'integer', 'number', 'boolean']);

/**
 * The type a type reference means in `scope` (a declaration's owner, or a service).
 *
 * @param index the spec's declarations
 * @param scope where the name is written: a service's name, or null for mesh.yaml
 * @param name a primitive or a type name; `X[]` for a list (an endpoint's output)
 * @example typeOf(index, 'orders', 'Item[]') // { kind: 'list', items: { kind: 'named', declaration: <orders.Item> } }
 */
export function typeOf(index: SpecIndex, scope: Scope, name: string): SagaType {
  if (name.endsWith('[]')) return { kind: 'list', items: typeOf(index, scope, name.slice(0, -2)) };
  if (PRIMITIVES.has(name)) return { kind: 'primitive', name: name as 'string' };
  const declaration = lookupType(index, scope, name);
  return declaration ? { kind: 'named', declaration } : { kind: 'unknown' };
}

/**
 * The fields of a record type, in field-number order; undefined for anything else.
 *
 * @param index the spec's declarations
 * @param type a named record (a synthesized input too)
 * @example recordFieldsOf(index, typeOf(index, 'users', 'GetUserInput'))?.map((f) => f.name) // ['id']
 */
export function recordFieldsOf(index: SpecIndex, type: SagaType): SagaField[] | undefined {
  if (type.kind !== 'named' || !isRecord(type.declaration)) return undefined;
  const declaration = type.declaration;
  return recordFields(declaration)
    .sort(([, a], [, b]) => a.field - b.field)
    .map(([name, field]) => ({ name, optional: field.optional ?? false, type: fieldType(index, declaration, name, field) }));
}

/**
 * How a type reads in a message: `string`, `Item` (mesh-level), `inventory.Item` (a service's), `Item[]`.
 *
 * @param type any saga type
 * @example showType({ kind: 'list', items: { kind: 'primitive', name: 'string' } }) // 'string[]'
 */
export function showType(type: SagaType): string {
  switch (type.kind) {
    case 'primitive':
      return type.name;
    case 'named':
      return keyOfType(type.declaration);
    case 'list':
      return `${showType(type.items)}[]`;
    case 'map':
      return `map of ${showType(type.values)}`;
    case 'unknown':
      return 'unknown';
  }
}

/**
 * Whether a value of type `source` may be put where `target` is expected, and how it is converted;
 * a string saying why not otherwise. Optional fields are judged by the caller for the top level and
 * here inside records (an optional source field into a required target field does not fit).
 *
 * @param index the spec's declarations
 * @param target the type expected
 * @param source the type of the value
 * @example compatibility(index, number, integer) // { convert: { kind: 'same' } }
 * @example compatibility(index, integer, number) // { problem: '`number` does not fit `integer`' }
 */
export function compatibility(index: SpecIndex, target: SagaType, source: SagaType): { convert: Conversion } | { problem: string } {
  return fits(index, target, source, new Set());
}

function fits(index: SpecIndex, target: SagaType, source: SagaType, converting: Set<string>): { convert: Conversion } | { problem: string } {
  const same = { convert: { kind: 'same' } as Conversion };
  if (target.kind === 'unknown' || source.kind === 'unknown') return same;
  const mismatch = { problem: `\`${showType(source)}\` does not fit \`${showType(target)}\`` };
  switch (target.kind) {
    case 'primitive': {
      if (source.kind === 'primitive') return source.name === target.name || (source.name === 'integer' && target.name === 'number') ? same : mismatch;
      return target.name === 'string' && isEnum(source) ? same : mismatch;
    }
    case 'list': {
      if (source.kind !== 'list') return mismatch;
      const items = fits(index, target.items, source.items, converting);
      if ('problem' in items) return { problem: `${mismatch.problem}: ${items.problem}` };
      return items.convert.kind === 'same' ? same : { convert: { kind: 'list', items: items.convert } };
    }
    case 'map': {
      if (source.kind !== 'map') return mismatch;
      const values = fits(index, target.values, source.values, converting);
      if ('problem' in values) return { problem: `${mismatch.problem}: ${values.problem}` };
      // A map's values are not rebuilt one by one: they must be the same type.
      return values.convert.kind === 'same' ? same : { problem: `${mismatch.problem}: a map's values convert only when they are the same type` };
    }
    case 'named':
      break;
  }
  if (source.kind !== 'named') return mismatch;
  if (keyOfType(source.declaration) === keyOfType(target.declaration)) return same;
  if (isEnum(target)) {
    if (!isEnum(source)) return mismatch;
    const values = new Set(enumValues(target.declaration));
    const missing = enumValues(source.declaration).filter((v) => !values.has(v));
    return missing.length === 0 ? same : { problem: `${mismatch.problem}: \`${showType(target)}\` has no value ${missing.map((v) => `\`${v}\``).join(', ')}` };
  }
  const targetFields = recordFieldsOf(index, target);
  const sourceFields = recordFieldsOf(index, source);
  if (!targetFields || !sourceFields) return mismatch;
  const pair = `${keyOfType(target.declaration)}<-${keyOfType(source.declaration)}`;
  // A conversion is a finite tree: two different recursive types would need an endless one.
  if (converting.has(pair)) return { problem: `${mismatch.problem}: recursive types convert only when they are the same type` };
  const inner = new Set([...converting, pair]);
  const fields: { name: string; optional: boolean; convert: Conversion }[] = [];
  for (const field of targetFields) {
    const from = sourceFields.find((f) => f.name === field.name);
    if (!from) {
      if (field.optional) continue;
      return { problem: `${mismatch.problem}: \`${showType(source)}\` has no field \`${field.name}\`` };
    }
    if (from.optional && !field.optional) return { problem: `${mismatch.problem}: \`${field.name}\` is optional in \`${showType(source)}\` and required in \`${showType(target)}\`` };
    const result = fits(index, field.type, from.type, inner);
    if ('problem' in result) return { problem: `${mismatch.problem}: field \`${field.name}\`: ${result.problem}` };
    fields.push({ name: field.name, optional: field.optional, convert: result.convert });
  }
  return { convert: { kind: 'record', fields } };
}

/**
 * The values of an enum type (empty for anything else).
 *
 * @param declaration a type declaration
 * @example enumValues(statusDeclaration) // ['pending', 'paid']
 */
export function enumValues(declaration: TypeDeclaration): string[] {
  if (declaration.form === 'inline-enum') return declaration.raw.enum ?? [];
  if (declaration.form === 'spec' || declaration.form === 'saga') return declaration.raw.enum ?? [];
  return [];
}

/**
 * True for a named enum type.
 *
 * @param type any saga type
 * @example isEnum(typeOf(index, null, 'OrderStatus')) // true
 */
export function isEnum(type: SagaType): boolean {
  return type.kind === 'named' && !isRecord(type.declaration);
}

function keyOfType(declaration: TypeDeclaration): string {
  return typeKey(declaration.owner, declaration.name);
}

/** A field's type, its names read in the scope of the type that declares it. */
function fieldType(index: SpecIndex, owner: TypeDeclaration, name: string, field: RawField): SagaType {
  const scope = owner.owner;
  if (field.enum !== undefined) return typeOf(index, scope, inlineEnumName(owner.name, name));
  if (field.type === 'array') return field.items === undefined ? { kind: 'unknown' } : { kind: 'list', items: typeOf(index, scope, field.items) };
  if (field.type === 'map') return field.values === undefined ? { kind: 'unknown' } : { kind: 'map', values: typeOf(index, scope, field.values) };
  return field.type === undefined ? { kind: 'unknown' } : typeOf(index, scope, field.type);
}
