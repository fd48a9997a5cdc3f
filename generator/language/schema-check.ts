// JSON Schema validation of each spec document, with ajv's errors turned into diagnostics that point
// at the offending key or value and say what is legal.
import type { ErrorObject } from 'ajv/dist/2020.js';
import { closest } from '../../common/closest.js';
import { didYouMean, type Diagnostic } from './diagnostics.js';
import { locate, type SpecDocument, type SpecPath } from './load.js';
import { HTTP_BINDINGS } from './http-defaults.js';
import { notYetSupported } from './not-yet-supported.js';
import { findMisindentedKey, misindentation } from './yaml/indentation.js';
import { repairBudget } from './yaml/read.js';
import { parseYaml, SourceLines } from './yaml/source.js';
import { camelCaseSuggestion, pascalCaseSuggestion } from '../naming/index.js';
import { compiledValidators, fastValidators, schema } from './schema-validators.js';

export interface SchemaCheck {
  diagnostics: Diagnostic[];
  /** The document's data as meant, when one mis-indented line explains every problem (read for names only). */
  intended?: unknown;
}

export function checkSchema(document: SpecDocument): SchemaCheck {
  if (fastValidators()[document.kind](document.data)) return { diagnostics: [] };
  // The errors of the validator compiled now: their `parentSchema` is the schema object the messages look up.
  const validate = compiledValidators()[document.kind];
  validate(document.data);
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
  return misindented(document, out) ?? { diagnostics: out };
}

/**
 * A key indented wrong can still be YAML: it lands in another map, and the schema reports each
 * consequence. When re-indenting one line near the first problem makes the document pass the
 * schema, that line is the one mistake to report.
 */
function misindented(document: SpecDocument, diagnostics: Diagnostic[]): SchemaCheck | undefined {
  const source = new SourceLines(document.source);
  const validate = compiledValidators()[document.kind];
  const fix = findMisindentedKey(source, diagnostics.map((d) => d.line - 1), (data) => validate(data), repairBudget(document.source));
  if (!fix) return undefined;
  const diagnostic: Diagnostic = {
    severity: 'error', code: 'yaml-indentation', message: misindentation(source, fix), file: document.file,
    line: fix.line + 1, col: source.indent(fix.line) + 1,
  };
  return { diagnostics: [diagnostic], intended: parseYaml(fix.text).doc.toJS({ maxAliasCount: 100 }) };
}

/**
 * With allErrors, a failed `oneOf` also reports every branch's own failures, and `propertyNames`
 * reports the pattern failure plus a summary: keep the one error that explains the problem.
 */
function relevant(errors: ErrorObject[]): ErrorObject[] {
  const oneOfPaths = errors.filter((e) => e.keyword === 'oneOf').map((e) => e.schemaPath);
  return errors.filter((e) => {
    if (e.keyword === 'if' || (e.keyword === 'propertyNames' && errors.some((o) => o !== e && o.propertyName !== undefined))) return false;
    if (e.keyword === 'required' && misspelt(e, errors) !== undefined) return false;
    // A type with neither `fields` nor `enum`, because one of them is misspelt: the unknown key says it all.
    if (e.keyword === 'oneOf' && unknownKeysAt(e.instancePath, errors).some((key) => closest(key, ['fields', 'enum']) !== undefined)) return false;
    return !oneOfPaths.some((p) => e.schemaPath !== p && e.schemaPath.startsWith(`${p}/`));
  });
}

/**
 * The unknown key that is a misspelling of the required key `error` misses (`servce` for `service`):
 * one mistake, reported once, as the unknown key with its suggestion.
 */
function misspelt(error: ErrorObject, errors: ErrorObject[]): string | undefined {
  const missing = (error.params as { missingProperty: string }).missingProperty;
  return unknownKeysAt(error.instancePath, errors).find((key) => closest(key, [missing]) === missing);
}

/** The unknown keys ajv reports in the map at `instancePath`. */
function unknownKeysAt(instancePath: string, errors: ErrorObject[]): string[] {
  return errors
    .filter((e) => e.keyword === 'additionalProperties' && e.instancePath === instancePath)
    .map((e) => String((e.params as { additionalProperty: string }).additionalProperty));
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
    return make('illegal-name', `\`${name}\` is not a legal name here: ${rule(error, xMessage)}${suggestion(error, name)}`, where([...at, name], true));
  }
  switch (error.keyword) {
    case 'additionalProperties': {
      const key = String((error.params as { additionalProperty: string }).additionalProperty);
      const later = notYetSupported(at, key);
      if (later) return make('not-supported-yet', later, where([...at, key], true));
      const elsewhere = NOT_IN_SPEC[[...at, key].join('.')];
      if (elsewhere) return make('not-in-spec', `\`${key}\`${context(at)} does not belong in the spec: ${elsewhere}`, where([...at, key], true));
      const known = Object.keys((error.parentSchema as { properties?: object }).properties ?? {});
      return make('unknown-key', `unknown key \`${key}\`${context(at)}${unknownKeyHint(key, known)}`, where([...at, key], true));
    }
    case 'required': {
      const key = (error.params as { missingProperty: string }).missingProperty;
      const example = REQUIRED_EXAMPLES[key];
      return make('missing-key', `missing required key \`${key}\`${context(at)}${example ? ` (e.g. \`${example}\`)` : ''}`, where(at, at.length > 0));
    }
    case 'pattern':
    case 'maxLength':
      return make('invalid-value', `\`${String(error.data)}\` is not valid: ${rule(error, xMessage)}${suggestion(error, String(error.data))}`, where(at));
    case 'enum': {
      const allowed = (error.params as { allowedValues: unknown[] }).allowedValues.map(String);
      // A value left out on purpose (a fallback's `rejected`) says why after the list.
      const why = xMessage === undefined ? '' : `: ${xMessage}`;
      return make('invalid-value', `\`${String(error.data)}\` is not one of ${allowed.map((a) => `\`${a}\``).join(', ')}${didYouMean(String(error.data), allowed) || why}`, where(at));
    }
    case 'type': {
      const expected = [(error.params as { type: string | string[] }).type].flat();
      const quoted = typeof error.data === 'string' && /^-?\d+(\.\d+)?$/.test(error.data) && expected.some((t) => t === 'integer' || t === 'number');
      return make('wrong-type', `${subject(at, document)} must be ${words(expected)}, not ${describe(error.data)}${quoted ? '; remove the quotes' : percentHint(error) || fallbackHint(error) || serviceHttpHint(error)}`, where(at));
    }
    case 'oneOf':
      return make('invalid-type-declaration', typeDeclarationProblem(error.data) ?? xMessage ?? 'must match exactly one form', where(at, at.length > 0));
    case 'uniqueItems': {
      const { i, j } = error.params as { i: number; j: number };
      const item = Math.max(i, j);
      return make('duplicate-item', `\`${String((error.data as unknown[])[item])}\` is already in this list (item ${Math.min(i, j) + 1}); list it once`, where([...at, item]));
    }
    case 'minProperties':
      if (xMessage !== undefined) return make('empty', `${subject(at, document)} is empty: ${xMessage}`, where(at, at.length > 0));
      return make('empty', `${subject(at, document)} must declare at least ${(error.params as { limit: number }).limit} entry`, where(at));
    case 'minItems':
      return make('empty', `${subject(at, document)} must list at least ${(error.params as { limit: number }).limit} item`, where(at));
    case 'minimum':
    case 'maximum': {
      const { limit } = error.params as { limit: number };
      const { minimum, maximum } = error.parentSchema as { minimum?: number; maximum?: number };
      // A rule written for people (a field number's range, say) says it better than the bare limit.
      if (xMessage !== undefined) return make('invalid-value', `\`${String(error.data)}\` is out of range: ${xMessage}`, where(at));
      const range = minimum !== undefined && maximum !== undefined ? ` (${minimum} to ${maximum})` : '';
      return make('invalid-value', `${subject(at, document)} must be ${error.keyword === 'minimum' ? 'at least' : 'at most'} ${limit}, not ${String(error.data)}${range}`, where(at));
    }
    default:
      return make('invalid-value', `${subject(at, document)} ${String(error.message)}`, where(at));
  }
}

/** Keys people write that the spec leaves elsewhere on purpose (the environment, the hook file), by their path: what to do instead. */
const NOT_IN_SPEC: Record<string, string> = {
  'http.routes': 'extra routes are code: set `extraRoutes: true` here and export `routes` from the hook file, typed `<Service>Routes`',
  'runtime.bus.url': "the broker's URL differs per environment and may hold a password, so a service reads it from `EVENT_BUS_URL` (in Kubernetes, the Secret its Deployment references); remove it here",
};

/** How a required key is written, for the message that says it is missing. */
const REQUIRED_EXAMPLES: Record<string, string> = {
  mesh: 'mesh: shop', version: 'version: 1.0.0', service: 'service: users', ports: 'ports: { http: 3001 }',
  http: 'http: GET /users/{id}', payload: 'payload: UserCreated', field: 'field: 1', prefix: 'prefix: /api/v1/users',
  routes: 'routes: [{ prefix: /api/v1/users, service: users }]', port: 'port: 8080', on: 'on: [unavailable, timeout, circuitOpen]',
  engine: 'engine: postgres', algorithms: 'algorithms: [HS256]', origins: 'origins: ["https://shop.example.com"]', call: 'call: users.verifyToken',
};

/** What to do about an unknown key: the key it misspells, else the keys that belong here. */
function unknownKeyHint(key: string, known: string[]): string {
  if (key === '<<') return '; YAML merge keys are not supported: write the keys out';
  const colon = /^([^:\s]+):(\S.*)$/.exec(key);
  if (colon) return `; a key needs a space after its colon: \`${colon[1]}: ${colon[2]}\``;
  const typo = didYouMean(key, known);
  if (typo || known.length === 0) return typo;
  return known.length <= 12 ? ` (the keys here: ${known.map((k) => `\`${k}\``).join(', ')})` : '';
}

/** What is wrong with a type declaration that is neither a record nor an enum. */
function typeDeclarationProblem(data: unknown): string | undefined {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) return undefined;
  const has = (key: string) => Object.hasOwn(data, key);
  if (has('fields') && has('enum')) return 'a type declares `fields` (a record) or `enum` (an enum), not both; keep one';
  if (has('enum') && has('reserved')) return '`reserved` lists the removed field numbers of a record; an enum has no field numbers';
  if (!has('fields') && !has('enum')) return 'a type declares `fields` (a record) or `enum` (an enum); this one has neither';
  return undefined;
}

/** What a name or value that failed `pattern` or `maxLength` must look like. */
function rule(error: ErrorObject, xMessage: string | undefined): string {
  if (error.keyword === 'maxLength') return `it may be at most ${(error.params as { limit: number }).limit} characters long`;
  return xMessage ?? String(error.message);
}

/**
 * `; did you mean \`x\`?` with a legal spelling of a value that failed a pattern, or ''. The one place
 * that knows how to respell each kind of name, keyed by the schema location of the pattern that
 * failed (`$defs/fieldName`, or a property's path for patterns written in place). Every suggestion
 * is checked against that pattern before it is offered.
 */
function suggestion(error: ErrorObject, value: string): string {
  if (error.keyword !== 'pattern') return '';
  const location = schemaLocations().get(error.parentSchema as object);
  const candidate = location === undefined ? undefined : SUGGESTIONS[location]?.(value);
  const pattern = new RegExp((error.params as { pattern: string }).pattern, 'u');
  return candidate !== undefined && candidate !== value && pattern.test(candidate) ? `; did you mean \`${candidate}\`?` : '';
}

/** `user_created` -> `user.created`: lowercase words joined by dots. */
function eventNameSuggestion(name: string): string {
  return (camelCaseSuggestion(name) ?? name).replace(/[A-Z]/g, (c) => `.${c}`).toLowerCase().replace(/[^a-z0-9]+/g, '.');
}

const SUGGESTIONS: Record<string, (value: string) => string | undefined> = {
  '$defs/fieldName': camelCaseSuggestion,
  '$defs/operationName': camelCaseSuggestion,
  '$defs/fallbackName': camelCaseSuggestion,
  '$defs/enumValue': camelCaseSuggestion,
  '$defs/typeName': pascalCaseSuggestion,
  '$defs/errorName': pascalCaseSuggestion,
  '$defs/meshName': (name) => name.toLowerCase().replace(/[^a-z0-9]/g, ''),
  '$defs/eventName': eventNameSuggestion,
  '$defs/subscribedEventName': eventNameSuggestion,
  '$defs/typeRef': typeRefSuggestion,
  '$defs/fieldType': typeRefSuggestion,
  '$defs/endpoint/properties/output': (ref) => (ref.endsWith('[]') ? `${pascalCaseSuggestion(ref.slice(0, -2).trim()) ?? ref.slice(0, -2).trim()}[]` : pascalCaseSuggestion(ref)),
  '$defs/endpoint/properties/http': httpSuggestion,
  '$defs/duration': (text) => quantitySuggestion(text, { milliseconds: 'ms', millisecond: 'ms', millis: 'ms', seconds: 's', second: 's', secs: 's', sec: 's', minutes: 'm', minute: 'm', mins: 'm', min: 'm', hours: 'h', hour: 'h', hrs: 'h', hr: 'h' }),
  '$defs/size': (text) => quantitySuggestion(text, { bytes: 'b', byte: 'b', kib: 'kb', k: 'kb', mib: 'mb', m: 'mb', gib: 'gb', g: 'gb' }),
  '$defs/environment/propertyNames': upperSnakeSuggestion,
  '$defs/secretRefs/propertyNames': upperSnakeSuggestion,
  '$defs/gatewayJwt/properties/keys': keysSuggestion,
};

/** A share written as a bare number (`0.5`, `20`): the percentage it most likely means. */
function percentHint(error: ErrorObject): string {
  if (typeof error.data !== 'number' || schemaLocations().get(error.parentSchema as object) !== '$defs/percent') return '';
  const percent = error.data > 0 && error.data < 1 ? Math.round(error.data * 10_000) / 100 : error.data;
  return `; a share is written as a percentage: did you mean \`${percent}%\`?`;
}

/** A policy's `fallback` written as a function's name: where that name goes instead. */
function fallbackHint(error: ErrorObject): string {
  if (typeof error.data !== 'string' || schemaLocations().get(error.parentSchema as object) !== '$defs/policy/properties/fallback') return '';
  return `; a policy's \`fallback\` says which failures a fallback answers (e.g. \`fallback: { on: [unavailable, circuitOpen] }\`), and the function is named per endpoint of a call: \`calls.<service>.endpoints.<endpoint>.fallback: ${error.data}\``;
}

/**
 * A service's `http` written as a value: an endpoint's route one level too high, or the binding alone.
 * The key sets the service's HTTP server; say what goes in it and where a route belongs.
 */
function serviceHttpHint(error: ErrorObject): string {
  if (typeof error.data !== 'string' || schemaLocations().get(error.parentSchema as object) !== '$defs/serviceFile/properties/http') return '';
  if ((HTTP_BINDINGS as readonly string[]).includes(error.data)) return `; did you mean \`http: { binding: ${error.data} }\`?`;
  return "; a service's `http` sets its HTTP server (e.g. `http: { binding: express, extraRoutes: true }`), and an endpoint's route goes under `endpoints.<name>.http`";
}

let locations: Map<object, string> | undefined;

/** The JSON pointer of every subschema (`$defs/fieldName`), by identity: ajv reports the subschema itself. */
function schemaLocations(): Map<object, string> {
  if (!locations) {
    locations = new Map();
    const walk = (node: unknown, pointer: string) => {
      if (node === null || typeof node !== 'object') return;
      if (!Array.isArray(node)) locations!.set(node, pointer);
      for (const [key, child] of Object.entries(node)) walk(child, pointer === '' ? key : `${pointer}/${key}`);
    };
    walk(schema, '');
  }
  return locations;
}

/** Names people write for the primitives in other languages. */
const PRIMITIVE_ALIASES: Record<string, string> = {
  str: 'string', text: 'string', int: 'integer', int32: 'integer', int64: 'integer', long: 'integer',
  float: 'number', double: 'number', decimal: 'number', bool: 'boolean', list: 'array', object: 'map', dict: 'map', record: 'map',
};

function typeRefSuggestion(ref: string): string | undefined {
  const lower = ref.toLowerCase();
  if (['string', 'integer', 'number', 'boolean', 'array', 'map'].includes(lower)) return lower;
  return PRIMITIVE_ALIASES[lower] ?? pascalCaseSuggestion(ref);
}

/** `get /users/:id` -> `GET /users/{id}`. */
function httpSuggestion(http: string): string | undefined {
  const match = /^\s*([A-Za-z]+)\s+(\S+)\s*$/.exec(http);
  if (!match) return undefined;
  const path = `/${match[2]!.replace(/^\/+/, '')}`.replace(/:([A-Za-z][A-Za-z0-9]*)/g, '{$1}');
  return `${match[1]!.toUpperCase()} ${path}`;
}

/** `10 seconds` -> `10s`, `1MB` -> `1mb`. */
function quantitySuggestion(text: string, units: Record<string, string>): string | undefined {
  const match = /^\s*(\d+)\s*([A-Za-z]+)\s*$/.exec(text);
  if (!match) return undefined;
  const unit = match[2]!.toLowerCase();
  return `${match[1]}${units[unit] ?? unit}`;
}

/**
 * `$JWT_SECRET`, `JWT_SECRET`, `env:jwtSecret` -> `env:JWT_SECRET`. Only for what reads as a variable's
 * name: a key written in place gets no suggestion that would look like a fix.
 */
function keysSuggestion(text: string): string | undefined {
  const named = /^(?:env:|\$\{?)([A-Za-z][A-Za-z0-9_]*)\}?$/i.exec(text)?.[1] ?? (/^[A-Z][A-Z0-9_]*$/.test(text) ? text : undefined);
  if (named === undefined) return undefined;
  return `env:${/^[A-Z0-9_]+$/.test(named) ? named : (upperSnakeSuggestion(named) ?? named.toUpperCase())}`;
}

/** `myVar` -> `MY_VAR`. */
function upperSnakeSuggestion(name: string): string | undefined {
  return camelCaseSuggestion(name) !== undefined || /[a-z]/.test(name) ? (camelCaseSuggestion(name) ?? name).replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase() : undefined;
}

function context(at: SpecPath): string {
  const named = at.filter((s) => typeof s === 'string');
  return named.length > 0 ? ` in \`${at.join('.')}\`` : '';
}

/** How a message names the place: `` `ports.http` ``, or the file itself. */
function subject(at: SpecPath, document: SpecDocument): string {
  return at.length > 0 ? `\`${at.join('.')}\`` : `a ${document.kind} file`;
}

const TYPE_WORDS: Record<string, string> = {
  object: 'a map (`key: value` entries)', array: 'a list', string: 'text', integer: 'a whole number', number: 'a number', boolean: '`true` or `false`', null: 'empty',
};

function words(types: string[]): string {
  const named = types.map((t) => TYPE_WORDS[t] ?? t);
  return named.length <= 1 ? named.join('') : `${named.slice(0, -1).join(', ')} or ${named[named.length - 1]}`;
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return 'empty';
  if (Array.isArray(value)) return 'a list';
  if (value instanceof Uint8Array) return 'binary data';
  if (typeof value === 'object') return 'a map';
  if (typeof value === 'string') return `the text \`${value.length > 40 ? `${value.slice(0, 40)}…` : value}\``;
  return `\`${String(value)}\``;
}
