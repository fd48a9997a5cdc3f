// @ts-check
// An example value of a JSON Schema, for the API explorer's prefilled form: the schema's own
// examples, defaults, consts and enums first, else a value of its type that fits its format and
// bounds. A `$ref` (`#/$defs/<type>`) reads the catalog's schemas.

/** How deep references and nesting are followed: a recursive type stops here. */
const MAX_DEPTH = 6;

/**
 * @param {unknown} schema a JSON Schema (or a `$ref` into `defs`)
 * @param {Readonly<Record<string, object>>} defs the catalog's schemas by type name
 * @param {number} [depth]
 * @returns {unknown}
 * @example
 * sampleOf({ $ref: '#/$defs/users.CreateUserInput' }, catalog.schemas) // { email: 'ada@example.com', name: 'Ada' }
 */
export function sampleOf(schema, defs, depth = 0) {
  if (!schema || typeof schema !== 'object' || depth > MAX_DEPTH) return null;
  const s = /** @type {Record<string, any>} */ (schema);
  if (typeof s['$ref'] === 'string') {
    const name = s['$ref'].replace(/^#\/\$defs\//, '');
    return sampleOf(defs[name], defs, depth + 1);
  }
  if (Array.isArray(s['examples']) && s['examples'].length > 0) return s['examples'][0];
  if ('default' in s) return s['default'];
  if ('const' in s) return s['const'];
  if (Array.isArray(s['enum']) && s['enum'].length > 0) return s['enum'][0];
  for (const key of ['oneOf', 'anyOf']) {
    const first = Array.isArray(s[key]) ? s[key].find((/** @type {any} */ option) => option?.type !== 'null') : undefined;
    if (first) return sampleOf(first, defs, depth + 1);
  }
  if (Array.isArray(s['allOf'])) {
    return Object.assign({}, ...s['allOf'].map((/** @type {unknown} */ part) => sampleOf(part, defs, depth + 1)).filter(isObject));
  }
  const type = Array.isArray(s['type']) ? s['type'].find((/** @type {string} */ t) => t !== 'null') : s['type'];
  switch (type ?? (s['properties'] ? 'object' : undefined)) {
    case 'object': {
      /** @type {Record<string, unknown>} */
      const value = {};
      for (const [name, property] of Object.entries(s['properties'] ?? {})) value[name] = sampleOf(property, defs, depth + 1);
      return value;
    }
    case 'array': {
      const count = Math.max(1, Number(s['minItems'] ?? 1));
      return Array.from({ length: Math.min(count, 3) }, () => sampleOf(s['items'], defs, depth + 1));
    }
    case 'string':
      return sampleString(s);
    case 'integer':
      return Math.max(1, Math.ceil(Number(s['minimum'] ?? 1)));
    case 'number':
      return Math.max(1, Number(s['minimum'] ?? 1));
    case 'boolean':
      return false;
    default:
      return null;
  }
}

/**
 * @param {Record<string, any>} s
 * @returns {string}
 */
function sampleString(s) {
  switch (s['format']) {
    case 'email':
      return 'ada@example.com';
    case 'uuid':
      return '00000000-0000-4000-8000-000000000000';
    case 'date-time':
      return new Date().toISOString();
    case 'date':
      return new Date().toISOString().slice(0, 10);
    case 'uri':
    case 'url':
      return 'https://example.com/';
  }
  const min = Number(s['minLength'] ?? 1);
  const text = 'example';
  return text.length >= min ? text : text.padEnd(min, 'x');
}

/**
 * @param {unknown} value
 * @returns {value is object}
 */
function isObject(value) {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
