// Model types -> JSON Schema (draft 2020-12). The one place that knows this mapping: the OpenAPI
// emitter (components) and the TypeScript emitter (generated/schemas.ts, runtime validation)
// both call it, so the documented contract and the enforced one cannot drift apart.
import type { FieldConstraints, FieldModel, StringFormat, TypeModel, TypeRef } from '../model/types.js';

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

/** The schema of one record field: its type, its constraints and its description. */
export function fieldToJsonSchema(field: FieldModel, refOf: RefOf): JsonSchema {
  const schema = constrain(field.type, field.constraints, refOf);
  return field.description === undefined ? schema : { ...schema, description: field.description };
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
