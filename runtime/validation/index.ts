// ajv validators over the mesh's one schema document (generated/schemas.ts). The document is added
// once; a type's validator is compiled the first time it is used and then cached, so startup stays
// fast however many types the mesh has.
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import { addStringFormats } from './formats.js';
import type { SchemaRegistry, ValidationIssue, ValidationResult, Validators } from './types.js';

export type { SchemaRegistry, ValidationIssue, ValidationResult, Validators } from './types.js';
export { describeIssues } from './issues.js';

export interface ValidatorOptions {
  /**
   * Convert strings to the schema's scalar types and wrap single values in arrays (query strings,
   * path params). Coercion rewrites the validated value in place.
   */
  coerce?: boolean;
}

export function createValidators(schemas: SchemaRegistry, options: ValidatorOptions = {}): Validators {
  const ajv = new Ajv2020({
    allErrors: true,
    strict: false,
    // NaN and Infinity are no JSON numbers (JSON Schema's `number` is JSON's), though gRPC doubles can carry them.
    strictNumbers: true,
    coerceTypes: options.coerce ? 'array' : false,
  });
  addStringFormats(ajv);
  ajv.addSchema(schemas as object, schemas.$id);

  const compiled = new Map<string, ValidateFunction>();
  const compile = (typeName: string): ValidateFunction => {
    let fn = compiled.get(typeName);
    if (!fn) {
      if (!Object.hasOwn(schemas.$defs, typeName)) throw new Error(`unknown schema type '${typeName}'`);
      fn = ajv.getSchema(`${schemas.$id}#/$defs/${typeName}`);
      if (!fn) throw new Error(`schema type '${typeName}' could not be compiled`);
      compiled.set(typeName, fn);
    }
    return fn;
  };

  return {
    validate(typeName: string, value: unknown): ValidationResult {
      const fn = compile(typeName);
      if (fn(value)) return VALID;
      return { ok: false, issues: toIssues(fn.errors ?? []) };
    },
  };
}

/** The one answer for every valid value: nothing to allocate per call. */
const VALID: ValidationResult = Object.freeze({ ok: true });

function toIssues(errors: readonly ErrorObject[]): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const seen = new Set<string>();
  for (const e of errors) {
    const issue = toIssue(e);
    const key = `${issue.path}\u0000${issue.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    issues.push(issue);
  }
  return issues;
}

function toIssue(e: ErrorObject): ValidationIssue {
  const params = e.params as { additionalProperty?: unknown; unevaluatedProperty?: unknown; allowedValues?: unknown[] };
  switch (e.keyword) {
    case 'additionalProperties':
    case 'unevaluatedProperties': {
      const name = String(params.additionalProperty ?? params.unevaluatedProperty);
      return { path: `${e.instancePath}/${escapePointer(name)}`, message: 'unknown property' };
    }
    case 'enum': {
      const allowed = (params.allowedValues ?? []).map((v) => JSON.stringify(v)).join(', ');
      return { path: e.instancePath, message: `must be one of ${allowed}` };
    }
    default:
      return { path: e.instancePath, message: e.message ?? `failed ${e.keyword}` };
  }
}

function escapePointer(segment: string): string {
  return segment.replaceAll('~', '~0').replaceAll('/', '~1');
}
