// ajv validators over the mesh's one schema document (generated/schemas.ts). The document is added
// once; a type's validator is compiled the first time it is used and then cached, so startup stays
// fast however many types the mesh has.
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import { addStringFormats } from './formats.js';
import { MAX_REPORTED_ISSUES } from '../errors/index.js';
import type { SchemaRegistry, ValidationIssue, ValidationResult, Validators } from './types.js';

export type { SchemaRegistry, ValidationIssue, ValidationResult, Validators } from './types.js';
export { describeIssues, invalidInput } from './issues.js';

export interface ValidatorOptions {
  /**
   * Convert strings to the schema's scalar types and wrap single values in arrays (query strings,
   * path params). Coercion rewrites the validated value in place.
   */
  coerce?: boolean;
}

/**
 * Issues a failure reports, at most: the first ones of every error ajv found (the rest are
 * counted). Matches the errors' MAX_REPORTED_ISSUES, so a ValidationFailed lists all it is given.
 */
export const REPORTED_ISSUES = MAX_REPORTED_ISSUES;

/**
 * Longest list the describing pass reads whole. A failure in a longer list is described from its
 * first SAMPLED_ITEMS items: enough to name the first issues, and 130,000 bad items cost what 64 do.
 */
export const SAMPLED_ITEMS = 64;
/** Nesting past which the sample stops copying (the value is described as it is below). */
const SAMPLED_DEPTH = 64;
/**
 * Keys of one object past which a failure is described by its first issue alone: an object cannot
 * be shortened like a list (its required keys could be cut off), and 130,000 unknown keys would be
 * 130,000 errors to collect.
 */
export const DESCRIBED_KEYS = 1000;
// List keywords whose verdict on a shortened list says nothing about the whole one.
const LIST_KEYWORDS = new Set(['minItems', 'maxItems', 'uniqueItems', 'contains', 'minContains', 'maxContains', 'unevaluatedItems']);

/**
 * The mesh's validators. Each type has two compiled validators: one that stops at the first error,
 * which decides pass or fail (and is all a valid value costs), and one that collects every error,
 * run only to describe a failure. The describing pass reads lists of up to SAMPLED_ITEMS items
 * (a coercing one reads the whole value: it has to finish converting it) and only its first
 * REPORTED_ISSUES issues are turned into text, so a value with 130,000 bad items is cheap to refuse.
 *
 * @param schemas - the mesh's schema document
 * @param options - see ValidatorOptions
 * @example
 * const validators = createValidators(schemas);
 * validators.validate('CreateOrder', { items: [] }); // { ok: false, issues: [...], total: 1, partial: false }
 */
export function createValidators(schemas: SchemaRegistry, options: ValidatorOptions = {}): Validators {
  const fast = validatorCache(schemas, options, false);
  const detailed = validatorCache(schemas, options, true);
  const coerce = options.coerce === true;
  return {
    validate(typeName: string, value: unknown): ValidationResult {
      const decide = fast(typeName);
      if (decide(value)) {
        if (!coerce) return VALID;
        // ajv checks strictNumbers before coercing, not after: `?n=Infinity`, `1e999` come out as Infinity.
        const where = nonFinitePath(value, '', 0);
        return where === null ? VALID : { ok: false, issues: [{ path: where, message: 'must be a finite number' }], total: 1, partial: false };
      }
      const first = toIssue((decide.errors as ErrorObject[])[0] as ErrorObject);
      // A coercing pass also finishes converting what the fast pass stopped short of, so it reads it all.
      const sample = coerce ? value : sampled(value, 0);
      if (sample === TOO_WIDE) return { ok: false, issues: [first], total: 1, partial: true };
      const describe = detailed(typeName);
      if (describe(sample)) return { ok: false, issues: [first], total: 1, partial: sample !== value };
      return toResult(describe.errors ?? [], first, sample !== value);
    },
  };
}

/** The JSON pointer of the first NaN or ±Infinity in a (coerced, so small and shallow) value, or null. */
function nonFinitePath(value: unknown, path: string, depth: number): string | null {
  if (typeof value === 'number') return Number.isFinite(value) ? null : path;
  if (value === null || typeof value !== 'object' || depth >= SAMPLED_DEPTH) return null;
  const fields = value as Record<string, unknown>;
  for (const key of Object.keys(fields)) {
    const found = nonFinitePath(fields[key], `${path}/${escapePointer(key)}`, depth + 1);
    if (found !== null) return found;
  }
  return null;
}

/** What sampled() answers for a value with an object of more than DESCRIBED_KEYS keys. */
const TOO_WIDE = Symbol('too wide to describe');

/**
 * `value` with every list cut to its first SAMPLED_ITEMS items; the value itself when none is
 * longer; TOO_WIDE when an object in it has more than DESCRIBED_KEYS keys.
 */
function sampled(value: unknown, depth: number): unknown {
  if (value === null || typeof value !== 'object' || depth >= SAMPLED_DEPTH) return value;
  if (Array.isArray(value)) {
    const count = Math.min(value.length, SAMPLED_ITEMS);
    let copy: unknown[] | null = value.length > count ? [] : null;
    for (let i = 0; i < count; i++) {
      const item = sampled(value[i], depth + 1);
      if (item === TOO_WIDE) return TOO_WIDE;
      if (copy) copy.push(item);
      else if (item !== value[i]) (copy = value.slice(0, i)).push(item);
    }
    return copy ?? value;
  }
  let copy: Record<string, unknown> | null = null;
  const fields = value as Record<string, unknown>;
  const keys = Object.keys(fields);
  if (keys.length > DESCRIBED_KEYS) return TOO_WIDE;
  for (const key of keys) {
    const field = sampled(fields[key], depth + 1);
    if (field === TOO_WIDE) return TOO_WIDE;
    if (field !== fields[key]) (copy ??= { ...fields })[key] = field;
  }
  return copy ?? value;
}

function validatorCache(schemas: SchemaRegistry, options: ValidatorOptions, allErrors: boolean): (typeName: string) => ValidateFunction {
  const ajv = new Ajv2020({
    allErrors,
    strict: false,
    // NaN and Infinity are no JSON numbers (JSON Schema's `number` is JSON's), though gRPC doubles
    // can carry them. Also refuses what coercion would make of `?n=Infinity` or `1e999`.
    strictNumbers: true,
    coerceTypes: options.coerce ? 'array' : false,
  });
  addStringFormats(ajv);
  ajv.addSchema(schemas as object, schemas.$id);

  const compiled = new Map<string, ValidateFunction>();
  return (typeName) => {
    let fn = compiled.get(typeName);
    if (!fn) {
      if (!Object.hasOwn(schemas.$defs, typeName)) throw new Error(`unknown schema type '${typeName}'`);
      fn = ajv.getSchema(`${schemas.$id}#/$defs/${typeName}`);
      if (!fn) throw new Error(`schema type '${typeName}' could not be compiled`);
      compiled.set(typeName, fn);
    }
    return fn;
  };
}

/** The one answer for every valid value: nothing to allocate per call. */
const VALID: ValidationResult = Object.freeze({ ok: true });

/**
 * The first REPORTED_ISSUES distinct issues (the fast pass's first among them), and how many errors
 * ajv found in all. On a sample, list keywords are left out (a shortened list may pass or fail them
 * where the whole does not) and the count is a lower bound.
 */
function toResult(errors: readonly ErrorObject[], first: ValidationIssue, partial: boolean): ValidationResult {
  const issues: ValidationIssue[] = [];
  const seen = new Set<string>();
  let skipped = 0;
  for (const e of errors) {
    if (partial && LIST_KEYWORDS.has(e.keyword)) {
      skipped++;
      continue;
    }
    if (issues.length === REPORTED_ISSUES) continue;
    const issue = toIssue(e);
    const key = `${issue.path}\u0000${issue.message}`;
    if (seen.has(key)) {
      skipped++;
      continue;
    }
    seen.add(key);
    issues.push(issue);
  }
  let total = errors.length - skipped;
  if (!seen.has(`${first.path}\u0000${first.message}`)) {
    issues.unshift(first);
    if (issues.length > REPORTED_ISSUES) issues.pop();
    total++;
  }
  return { ok: false, issues, total, partial };
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
