// components.schemas of one service's document: exactly the types its operations reference
// (transitively), plus the shared error body. Deriving the set from the emitted `$ref`s, rather
// than from the spec, guarantees every `$ref` resolves and no component is dead weight.
import { compare } from '../../model/order.js';
import { resolveType } from '../../model/lookup.js';
import type { MeshModel, ServiceModel } from '../../model/types.js';
import { type JsonSchema, typeToJsonSchema } from '../../model/json-schema.js';
import type { Schema } from './types.js';

export const schemaRefPrefix = '#/components/schemas/';

/**
 * A component is named like its type: one service's document holds only the service's own types
 * and mesh-level ones, and a service never reuses a mesh-level name.
 */
export const componentRef = (name: string): string => schemaRefPrefix + name;

/**
 * The one cast between json-schema.ts and openapi-types, which cannot express 2020-12's `$ref`
 * with sibling keywords (allowed by OpenAPI 3.1, emitted for described fields).
 */
export function toOpenApiSchema(schema: JsonSchema): Schema {
  return schema as Schema;
}

/** A component name for the error body that no type the service sees already uses. */
export function errorSchemaName(model: MeshModel, service: ServiceModel): string {
  const taken = new Set(model.types.filter((t) => t.owner === null || t.owner === service.name).map((t) => t.name));
  if (!taken.has('Error')) return 'Error';
  for (let i = 1; ; i++) {
    const name = i === 1 ? 'MeshError' : `MeshError${i}`;
    if (!taken.has(name)) return name;
  }
}

/** The error body every service answers with (runtime/errors: MeshErrorBody). */
export function errorBodySchema(): JsonSchema {
  return {
    type: 'object',
    description: 'The body of every error response.',
    properties: {
      error: {
        type: 'object',
        properties: {
          code: { type: 'string', description: 'Error code, e.g. `NotFound` or a service-declared one.' },
          message: { type: 'string', description: 'Human-readable message.' },
          // `details` is free-form: any JSON value (ValidationFailed puts its list of problems here).
          details: { description: 'Structured details, e.g. the problems of a ValidationFailed.' },
          requestId: { type: 'string', description: 'Request id, for finding the request in the logs.' },
        },
        required: ['code', 'message'],
        additionalProperties: false,
      },
    },
    required: ['error'],
    additionalProperties: false,
  };
}

/** Every spec type `root` references, transitively, plus the error body; sorted by name. */
export function componentSchemas(
  model: MeshModel,
  service: ServiceModel,
  root: unknown,
  errorName: string,
): Record<string, Schema> {
  const found = new Map<string, JsonSchema>();
  const pending = collectRefs(root).filter((name) => name !== errorName);
  for (let name = pending.pop(); name !== undefined; name = pending.pop()) {
    if (found.has(name)) continue;
    const schema = typeToJsonSchema(resolveType(model, service.name, name), componentRef);
    found.set(name, schema);
    pending.push(...collectRefs(schema));
  }
  found.set(errorName, errorBodySchema());

  const out: Record<string, Schema> = {};
  for (const [name, schema] of [...found].sort(([a], [b]) => compare(a, b))) out[name] = toOpenApiSchema(schema);
  return out;
}

/** Names of the component schemas referenced anywhere inside `value`. */
export function collectRefs(value: unknown): string[] {
  const names: string[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v !== null && typeof v === 'object') {
      for (const [key, child] of Object.entries(v)) {
        if (key === '$ref' && typeof child === 'string' && child.startsWith(schemaRefPrefix)) {
          names.push(child.slice(schemaRefPrefix.length));
        } else walk(child);
      }
    }
  };
  walk(value);
  return names;
}

