// What the OpenAPI fuzz test knows, all of it read from a generated OpenAPI document: its operations,
// the schemas of their inputs and of every documented response, and how to generate values
// (json-schema-faker, seeded) and break them (mutations that the document's schemas reject).
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import { createGeneratorSync, type JsonSchema } from 'json-schema-faker';
import { addStringFormats } from '../../../runtime/validation/formats.js';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type Doc = Record<string, any>;

export interface Parameter {
  name: string;
  in: 'path' | 'query';
  required: boolean;
  schema: Doc;
  example?: Json;
}

export interface Operation {
  id: string;
  method: string;
  path: string;
  parameters: Parameter[];
  body: { schema: Doc; required: boolean; example?: Json } | null;
  /** Documented statuses, with the response object ($refs resolved). */
  responses: Map<number, Doc>;
}

export const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

/** A small seeded PRNG (mulberry32): every choice the test makes follows from the seed. */
export { seeded as prng } from '../../support/seeded.js';

export function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)] as T;
}

/** One document, read for the fuzzer: operations, schema checks against its components, value generation. */
export class ApiDocument {
  readonly operations: Operation[];
  private readonly ajv: Ajv2020;
  private readonly id: string;
  private readonly compiled = new Map<Doc, ValidateFunction>();
  private readonly faker: { generate(schema: JsonSchema): unknown };

  constructor(
    readonly name: string,
    readonly doc: Doc,
    seed: number,
  ) {
    this.id = `https://meshspec.invalid/${name}.json`;
    this.ajv = addStringFormats(new Ajv2020({ strict: false }));
    this.ajv.addSchema({ $id: this.id, components: doc.components });
    this.faker = createGeneratorSync({ seed, optionalsProbability: 0.5, maxDefaultItems: 3 });
    this.operations = [];
    for (const [path, item] of Object.entries(doc.paths as Doc)) {
      for (const method of HTTP_METHODS) {
        const op = (item as Doc)[method];
        if (op) this.operations.push(this.read(method, path, op));
      }
    }
  }

  /** The methods each path serves, uppercase. */
  methodsByPath(): Map<string, string[]> {
    const byPath = new Map<string, string[]>();
    for (const op of this.operations) byPath.set(op.path, [...(byPath.get(op.path) ?? []), op.method.toUpperCase()]);
    return byPath;
  }

  /** A schema of the document with its `$ref`s resolved against the document's components. */
  validate(schema: Doc, value: unknown): { ok: boolean; errors: string } {
    let fn = this.compiled.get(schema);
    if (!fn) {
      fn = this.ajv.compile(this.absolute(schema) as object);
      this.compiled.set(schema, fn);
    }
    const ok = fn(value);
    return { ok, errors: ok ? '' : this.ajv.errorsText(fn.errors) };
  }

  /** A value the schema accepts, from json-schema-faker. */
  generate(schema: Doc): Json {
    return this.faker.generate({ ...schema, components: this.doc.components } as JsonSchema) as Json;
  }

  /** `schema` with `$ref`s followed until it is not one. */
  resolve(schema: Doc): Doc {
    let s = schema;
    while (typeof s.$ref === 'string') s = this.pointer(s.$ref);
    return s;
  }

  pointer(ref: string): Doc {
    let node: unknown = this.doc;
    for (const part of ref.replace(/^#\//, '').split('/')) node = (node as Doc)[part.replaceAll('~1', '/').replaceAll('~0', '~')];
    if (node === undefined) throw new Error(`${this.name}: ${ref} does not resolve`);
    return node as Doc;
  }

  private read(method: string, path: string, op: Doc): Operation {
    const responses = new Map<number, Doc>();
    for (const [status, response] of Object.entries(op.responses as Doc)) responses.set(Number(status), this.resolve(response));
    const content = op.requestBody?.content?.['application/json'];
    return {
      id: op.operationId,
      method,
      path,
      parameters: (op.parameters ?? []) as Parameter[],
      body: content ? { schema: content.schema, required: op.requestBody.required === true, example: content.example } : null,
      responses,
    };
  }

  private absolute(v: unknown): unknown {
    if (Array.isArray(v)) return v.map((x) => this.absolute(x));
    if (!v || typeof v !== 'object') return v;
    return Object.fromEntries(Object.entries(v).map(([k, c]) => [k, k === '$ref' && typeof c === 'string' ? this.id + c : this.absolute(c)]));
  }
}

/** A value of a JSON type other than the schema's own. */
export function wrongType(schema: Doc): Json {
  switch (schema.type) {
    case 'string':
      return 12345;
    case 'integer':
    case 'number':
      return 'not a number';
    case 'boolean':
      return 'maybe';
    case 'array':
      return { not: 'an array' };
    case 'object':
      return 'not an object';
    default:
      return schema.enum ? 42 : null;
  }
}

/** Values each format rejects (common/formats.ts), as a careless client would send them. */
const badFormat: Record<string, string> = {
  uuid: 'urn:uuid:2eb8aa08-aa98-11ea-b4aa-73b441d16380',
  email: 'ada@example..com',
  'date-time': '2024-05-01 12:00:00Z',
  date: '2023-02-29',
  uri: '/relative/only',
};

/** Values just outside the schema's bounds, one per bound it has. */
export function outOfRange(schema: Doc): Json[] {
  const out: Json[] = [];
  if (typeof schema.minimum === 'number') out.push(schema.minimum - 1);
  if (typeof schema.maximum === 'number') out.push(schema.maximum + 1);
  if (typeof schema.minLength === 'number' && schema.minLength > 0) out.push('x'.repeat(schema.minLength - 1));
  if (typeof schema.maxLength === 'number') out.push('x'.repeat(schema.maxLength + 1));
  if (typeof schema.minItems === 'number' && schema.minItems > 0) out.push([]);
  if (typeof schema.maxItems === 'number') out.push(Array.from({ length: schema.maxItems + 1 }, () => null));
  if (typeof schema.pattern === 'string') out.push('!! no match !!');
  if (Array.isArray(schema.enum)) out.push('notAValue');
  if (typeof schema.format === 'string' && badFormat[schema.format]) out.push(badFormat[schema.format] as string);
  return out;
}

export type Mutation = 'wrong-type' | 'missing-required' | 'extra-property' | 'out-of-range';
export const MUTATIONS: readonly Mutation[] = ['wrong-type', 'missing-required', 'extra-property', 'out-of-range'];

interface Place {
  /** Where the value sits: the parent object (or array) and the key in it. */
  parent: Doc;
  key: string | number;
  schema: Doc;
  /** The schema of the parent object, for missing-required and extra-property. */
  objectSchema: Doc | null;
}

/**
 * Breaks `value` (a valid input) in one place the mutation applies to, chosen at random; returns
 * the broken copy and what was done, or null when the mutation applies nowhere.
 */
export function mutate(api: ApiDocument, schema: Doc, value: Json, mutation: Mutation, random: () => number): { value: Json; what: string } | null {
  const root: Doc = { value: structuredClone(value) };
  const options: (() => string)[] = [];
  for (const { parent, key, schema: s, objectSchema } of placesIn(api, root, 'value', schema, null)) {
    const at = key === 'value' && parent === root ? '(body)' : String(key);
    const current = parent[key];
    if (mutation === 'wrong-type' && (s.type !== undefined || s.enum)) options.push(() => ((parent[key] = wrongType(s)), `${at}: wrong type`));
    if (mutation === 'out-of-range') {
      for (const bad of outOfRange(s)) options.push(() => ((parent[key] = bad), `${at}: ${JSON.stringify(bad).slice(0, 40)}`));
    }
    if (mutation === 'missing-required' && objectSchema && (objectSchema.required ?? []).includes(key)) {
      options.push(() => (delete parent[key], `${at}: missing`));
    }
    if (mutation === 'extra-property' && s.type === 'object' && s.additionalProperties === false && isObject(current)) {
      options.push(() => ((current.unexpectedField = 1), `${at}: extra property`));
    }
  }
  if (options.length === 0) return null;
  const what = pick(random, options)();
  return { value: root.value as Json, what };
}

function isObject(value: unknown): value is Doc {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** `parent[key]` and every property and array item inside it, each with its schema. */
function placesIn(api: ApiDocument, parent: Doc, key: string | number, schema: Doc, objectSchema: Doc | null): Place[] {
  const s = api.resolve(schema);
  const value = parent[key];
  const places: Place[] = [{ parent, key, schema: s, objectSchema }];
  if (s.type === 'object' && isObject(value)) {
    for (const [name, sub] of Object.entries((s.properties ?? {}) as Doc)) if (name in value) places.push(...placesIn(api, value, name, sub, s));
  } else if (s.type === 'array' && Array.isArray(value)) {
    value.forEach((_item, i) => places.push(...placesIn(api, value as unknown as Doc, i, s.items ?? {}, null)));
  }
  return places;
}
