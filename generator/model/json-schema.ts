// Model types -> JSON Schema (draft 2020-12). The one place that knows this mapping: the OpenAPI
// emitter (components), the TypeScript emitter (generated/schemas.ts, runtime validation) and the
// check of the spec's examples all call it, so the documented contract, the enforced one and the
// examples cannot drift apart.
import { keyOf, resolveType } from './lookup.js';
import { byKey } from './order.js';
import type { FieldConstraints, FieldModel, MeshModel, StringFormat, TypeModel, TypeRef } from './types.js';

/** The subset of JSON Schema 2020-12 that model types map to. */
export interface JsonSchema {
  $ref?: string;
  type?: 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean';
  description?: string;
  enum?: string[];
  format?: StringFormat;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  allOf?: JsonSchema[];
  examples?: unknown[];
}

/**
 * The `$ref` of a named type, as a document places it: `#/$defs/orders.Item` in the mesh's registry,
 * `#/components/schemas/Item` in a service's OpenAPI document. `name` is as written at the place of
 * use; the caller resolves it in that place's scope.
 */
export type RefOf = (name: string) => string;

/** The schema of a type reference; named types become `{ $ref }`. */
export function typeRefToJsonSchema(ref: TypeRef, refOf: RefOf): JsonSchema {
  switch (ref.kind) {
    case 'primitive':
      return { type: ref.name };
    case 'ref':
      return { $ref: refOf(ref.name) };
    case 'array':
      return { type: 'array', items: typeRefToJsonSchema(ref.items, refOf) };
    case 'map':
      // Map keys are always strings, which is all a JSON object key can be.
      return { type: 'object', additionalProperties: typeRefToJsonSchema(ref.values, refOf) };
  }
}

/** The schema of one record field: its type, its constraints, its description and its example. */
export function fieldToJsonSchema(field: FieldModel, refOf: RefOf): JsonSchema {
  return {
    ...constrain(field.type, field.constraints, refOf),
    ...(field.description === undefined ? {} : { description: field.description }),
    ...(field.example === undefined ? {} : { examples: [field.example] }),
  };
}

/** Prefix of a reference to another type inside the registry. */
export const REGISTRY_REF_PREFIX = '#/$defs/';

/**
 * Every type of the mesh as one JSON Schema document (generated/schemas.ts, which the runtime
 * validates with): keyed `Item` (mesh-level) and `orders.Item` (a service's own), sorted.
 */
export function schemaRegistry(model: MeshModel): { $id: string; $defs: Record<string, JsonSchema> } {
  const types = [...model.types].sort(byKey);
  return {
    $id: `meshspec:${model.name}`,
    $defs: Object.fromEntries(types.map((t) => [keyOf(t), typeToJsonSchema(t, registryRefOf(model, t.owner))])),
  };
}

/** References as the registry places them, resolved in `scope` (the type's or endpoint's owner). */
export function registryRefOf(model: MeshModel, scope: string | null): RefOf {
  return (name) => REGISTRY_REF_PREFIX + keyOf(resolveType(model, scope, name));
}

/** The schema of a named type, as it goes under `$defs` or `components.schemas`; `refOf` resolves in the type's scope. */
export function typeToJsonSchema(type: TypeModel, refOf: RefOf): JsonSchema {
  const description = type.description === undefined ? {} : { description: type.description };
  if (type.kind === 'enum') return { type: 'string', ...description, enum: [...type.values] };

  const properties: Record<string, JsonSchema> = {};
  for (const field of type.fields) properties[field.name] = fieldToJsonSchema(field, refOf);
  const required = type.fields.filter((f) => !f.optional).map((f) => f.name);
  return {
    type: 'object',
    ...description,
    properties,
    ...(required.length > 0 ? { required } : {}),
    // Records are closed: an unknown field is a client bug, not something to pass along silently.
    additionalProperties: false,
  };
}

const countKeys = ['minItems', 'maxItems'] as const;
const valueKeys = ['format', 'pattern', 'minLength', 'maxLength', 'minimum', 'maximum'] as const;

/**
 * A field's constraints are written flat in the spec. Item counts belong to the array itself;
 * every other constraint describes the values, so for arrays and maps it moves to the elements
 * (`tags: { type: array, items: string, maxLength: 20 }` limits each tag, not the list).
 */
function constrain(ref: TypeRef, constraints: FieldConstraints, refOf: RefOf): JsonSchema {
  if (ref.kind === 'array') {
    const counts = pick(constraints, countKeys);
    return { type: 'array', items: constrain(ref.items, omit(constraints, countKeys), refOf), ...counts };
  }
  if (ref.kind === 'map') {
    return { type: 'object', additionalProperties: constrain(ref.values, constraints, refOf) };
  }
  return { ...typeRefToJsonSchema(ref, refOf), ...pick(constraints, [...valueKeys, ...countKeys]) };
}

function pick(c: FieldConstraints, keys: readonly (keyof FieldConstraints)[]): FieldConstraints {
  return Object.fromEntries(keys.filter((k) => c[k] !== undefined).map((k) => [k, c[k]])) as FieldConstraints;
}

function omit(c: FieldConstraints, keys: readonly (keyof FieldConstraints)[]): FieldConstraints {
  const out: FieldConstraints = { ...c };
  for (const key of keys) delete out[key];
  return out;
}
