// Checks each field's `example` against the field's JSON Schema, compiled with ajv and the string
// formats the runtime enforces: an example the service would reject must not reach the documents.
// It runs on the built model (the schema of a field needs every type it refers to be sound), so its
// errors appear once the spec is otherwise valid; each points at the example, or inside it.
import { createRequire } from 'node:module';
import type { Ajv2020, ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import { stringFormats } from '../../common/formats.js';
import { isPathSegment, PATH_SEGMENT_RULE } from '../../common/path-segments.js';
import { recordFields, type SpecIndex } from '../language/collect.js';
import type { Diagnostic } from '../language/diagnostics.js';
import { locate, type SpecPath } from '../language/load.js';
import { fieldToJsonSchema, registryRefOf, schemaRegistry } from './json-schema.js';
import { resolveRecord } from './lookup.js';
import type { FieldModel, MeshModel } from './types.js';

export function checkExamples(model: MeshModel, index: SpecIndex): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  let judge: Judge | undefined;
  for (const declaration of index.types.values()) {
    if (declaration.form !== 'spec') continue;
    for (const [name, raw] of recordFields(declaration)) {
      if (raw.example === undefined) continue;
      const field = resolveRecord(model, declaration.owner, declaration.name).fields.find((f) => f.name === name);
      if (!field) throw new Error(`internal: field ${declaration.name}.${name} is not in the model`);
      judge ??= createJudge(model);
      const error = judge(declaration.owner, field, raw.example);
      const at0: SpecPath = [...declaration.path, 'fields', name, 'example'];
      if (!error) {
        // Shown as the example of a path param too, where it must be a value a URL can carry.
        const endpoint = isPathSegment(raw.example) ? undefined : pathParamOf(model, declaration.owner, declaration.name, name);
        if (endpoint) {
          diagnostics.push({
            severity: 'error',
            code: 'invalid-example',
            message: `the example of \`${declaration.name}.${name}\` is ${JSON.stringify(raw.example)}, but \`${name}\` is a path param of endpoint \`${endpoint}\`, which must be ${PATH_SEGMENT_RULE}; change the example`,
            file: declaration.doc.file,
            ...locate(declaration.doc, at0),
          });
        }
        continue;
      }
      const at: SpecPath = [...declaration.path, 'fields', name, 'example', ...pointerSegments(error.instancePath)];
      // An unknown property is pointed at by its key.
      const extra = error.keyword === 'additionalProperties' ? String(error.params.additionalProperty) : undefined;
      diagnostics.push({
        severity: 'error',
        code: 'invalid-example',
        message: `the example of \`${declaration.name}.${name}\` is not a value the field accepts: ${describe(error)}; change the example (or the field's type and constraints)`,
        file: declaration.doc.file,
        ...locate(declaration.doc, extra === undefined ? at : [...at, extra], { key: extra !== undefined }),
      });
    }
  }
  return diagnostics;
}

/** The first endpoint (by name) that takes `field` of the record `owner.type` as a path param. */
function pathParamOf(model: MeshModel, owner: string | null, type: string, field: string): string | undefined {
  for (const service of model.services) {
    if (owner !== null && service.name !== owner) continue;
    const endpoint = service.endpoints.find((e) => e.http.pathParams.includes(field) && sameType(model, service.name, e.input, owner, type));
    if (endpoint) return endpoint.name;
  }
  return undefined;
}

function sameType(model: MeshModel, scope: string, name: string, owner: string | null, type: string): boolean {
  const found = resolveRecord(model, scope, name);
  return found.owner === owner && found.name === type;
}

/** The first problem of `value` as a value of `field` (declared in `scope`), or undefined when it has none. */
type Judge = (scope: string | null, field: FieldModel, value: unknown) => ErrorObject | undefined;

/** ajv as the runtime configures it (no coercion, the same string formats), holding the mesh's registry. */
function createJudge(model: MeshModel): Judge {
  // Loaded here, not on import: a spec without examples never needs ajv.
  const { Ajv2020: Ajv } = createRequire(import.meta.url)('ajv/dist/2020.js') as { Ajv2020: typeof Ajv2020 };
  // The registry is the generator's own output, which the runtime compiles with the meta-schema check
  // on; checking it here too would compile the meta-schema on every run, the judge's largest cost.
  const ajv = new Ajv({ strict: false, strictNumbers: true, verbose: true, validateSchema: false });
  for (const [name, check] of Object.entries(stringFormats)) ajv.addFormat(name, { type: 'string', validate: check });
  const registry = schemaRegistry(model);
  ajv.addSchema(registry);
  // Fields of many types share a schema (a uuid, a non-empty string): each distinct one is compiled once.
  const compiled = new Map<string, ValidateFunction>();
  return (scope, field, value) => {
    const refOf = registryRefOf(model, scope);
    // Without `examples`, so that the schema does not carry the value it judges.
    const { examples: _, ...schema } = fieldToJsonSchema(field, (name) => registry.$id + refOf(name));
    const key = JSON.stringify(schema);
    let validate = compiled.get(key);
    if (!validate) compiled.set(key, (validate = ajv.compile(schema)));
    return validate(value) ? undefined : validate.errors?.[0];
  };
}

function describe(error: ErrorObject): string {
  const where = error.instancePath === '' ? '' : `\`${error.instancePath}\` `;
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'additionalProperties':
      return `${where}has \`${String(params.additionalProperty)}\`, which is not a field of the record`;
    case 'required':
      return `${where}lacks the required field \`${String(params.missingProperty)}\``;
    case 'type':
      // YAML has `.inf` and `.nan`; JSON, and so every request and response, has neither.
      if (typeof error.data === 'number' && !Number.isFinite(error.data)) return `${where}must be a finite number (JSON has no ${error.data})`;
      return `${where}${error.message ?? 'has the wrong type'}`;
    case 'enum':
      return `${where}must be one of ${(params.allowedValues as unknown[]).map((v) => `\`${String(v)}\``).join(', ')}`;
    default:
      return `${where}${error.message ?? `fails \`${error.keyword}\``}`;
  }
}

function pointerSegments(pointer: string): (string | number)[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}
