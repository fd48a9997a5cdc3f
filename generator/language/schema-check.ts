// JSON Schema validation of each spec document, with ajv's errors turned into diagnostics that point
// at the offending key or value and say what is legal.
import { createRequire } from 'node:module';
import Ajv2020Module, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import { didYouMean, type Diagnostic } from './diagnostics.js';
import { locate, type SpecDocument, type SpecPath } from './load.js';
import { notYetSupported } from './not-yet-supported.js';

const require = createRequire(import.meta.url);
const schema = require('./schema/meshspec.schema.json') as { $id: string };
const Ajv2020 = Ajv2020Module as unknown as typeof Ajv2020Module.default;

let validators: { mesh: ValidateFunction; service: ValidateFunction } | undefined;

function getValidators() {
  if (!validators) {
    const ajv = new Ajv2020({ allErrors: true, verbose: true, strict: true, strictRequired: false, allowUnionTypes: true });
    ajv.addKeyword({ keyword: 'x-message', schemaType: 'string' });
    ajv.addSchema(schema);
    validators = {
      mesh: ajv.getSchema(`${schema.$id}#/$defs/meshFile`)!,
      service: ajv.getSchema(`${schema.$id}#/$defs/serviceFile`)!,
    };
  }
  return validators;
}

export function checkSchema(document: SpecDocument): Diagnostic[] {
  const validate = getValidators()[document.kind];
  if (validate(document.data)) return [];
  const errors = relevant(validate.errors ?? []);
  const seen = new Set<string>();
  const out: Diagnostic[] = [];
  for (const error of errors) {
    const diagnostic = translate(document, error);
    const key = `${diagnostic.line}:${diagnostic.col}:${diagnostic.message}`;
    if (!seen.has(key)) {
      seen.add(key);
      out.push(diagnostic);
    }
  }
  return out;
}

/**
 * With allErrors, a failed `oneOf` also reports every branch's own failures, and `propertyNames`
 * reports the pattern failure plus a summary: keep the one error that explains the problem.
 */
function relevant(errors: ErrorObject[]): ErrorObject[] {
  const oneOfPaths = errors.filter((e) => e.keyword === 'oneOf').map((e) => e.schemaPath);
  return errors.filter((e) => {
    if (e.keyword === 'if' || (e.keyword === 'propertyNames' && errors.some((o) => o !== e && o.propertyName !== undefined))) return false;
    return !oneOfPaths.some((p) => e.schemaPath !== p && e.schemaPath.startsWith(`${p}/`));
  });
}

function pathOf(instancePath: string): SpecPath {
  if (instancePath === '') return [];
  return instancePath
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

function translate(document: SpecDocument, error: ErrorObject): Diagnostic {
  const at = pathOf(error.instancePath);
  const where = (p: SpecPath, key = false) => locate(document, p, { key });
  const make = (code: string, message: string, pos: { line: number; col: number }): Diagnostic => ({
    severity: 'error', code, message, file: document.file, ...pos,
  });
  const xMessage = (error.parentSchema as { 'x-message'?: string } | undefined)?.['x-message'];

  if (error.propertyName !== undefined) {
    // A key that fails `propertyNames`: the name itself is illegal.
    const name = error.propertyName;
    return make('illegal-name', `\`${name}\` is not a legal name here: ${xMessage ?? error.message}`, where([...at, name], true));
  }
  switch (error.keyword) {
    case 'additionalProperties': {
      const key = String((error.params as { additionalProperty: string }).additionalProperty);
      const later = notYetSupported(at, key);
      if (later) return make('not-supported-yet', later, where([...at, key], true));
      const known = Object.keys((error.parentSchema as { properties?: object }).properties ?? {});
      return make('unknown-key', `unknown key \`${key}\`${context(at)}${didYouMean(key, known)}`, where([...at, key], true));
    }
    case 'required': {
      const key = (error.params as { missingProperty: string }).missingProperty;
      return make('missing-key', `missing required key \`${key}\`${context(at)}`, where(at, at.length > 0));
    }
    case 'pattern':
      return make('invalid-value', `\`${String(error.data)}\` is not valid: ${xMessage ?? error.message}`, where(at));
    case 'enum': {
      const allowed = (error.params as { allowedValues: unknown[] }).allowedValues.map(String);
      return make('invalid-value', `\`${String(error.data)}\` is not one of ${allowed.map((a) => `\`${a}\``).join(', ')}${didYouMean(String(error.data), allowed)}`, where(at));
    }
    case 'type':
      return make('wrong-type', `expected ${(error.params as { type: string | string[] }).type} here, got ${describe(error.data)}`, where(at));
    case 'oneOf':
      return make('invalid-type-declaration', xMessage ?? 'must match exactly one form', where(at, at.length > 0));
    case 'uniqueItems':
      return make('duplicate-item', `the list has a duplicate: \`${String((error.data as unknown[])[(error.params as { j: number }).j])}\``, where(at));
    case 'minProperties':
      return make('empty', `must declare at least one entry`, where(at, at.length > 0));
    case 'minimum':
    case 'maximum':
      return make('invalid-value', `\`${String(error.data)}\` is out of range: ${xMessage ?? error.message}`, where(at));
    default:
      return make('invalid-value', `${String(error.message)}${context(at)}`, where(at));
  }
}

function context(at: SpecPath): string {
  const named = at.filter((s) => typeof s === 'string');
  return named.length > 0 ? ` in \`${at.join('.')}\`` : '';
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a map';
  return `${typeof value} \`${String(value)}\``;
}
