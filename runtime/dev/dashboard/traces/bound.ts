// Size bounds for what the trace store keeps: whatever a span's attributes or a log line carry, the
// store holds at most a known amount of it (strings cut, collections shortened, nesting flattened).

/** Longest string kept, in characters; longer ones are cut and end with `…`. */
export const MAX_STRING = 2048;
/** Items kept of an array. */
export const MAX_ITEMS = 32;
/** Keys kept of an object (attributes of a span, fields of a log line, nested objects). */
export const MAX_KEYS = 30;
/** Deepest nesting kept of a log line's values; deeper values become their JSON text, cut. */
const MAX_DEPTH = 3;

/**
 * `text` at most `max` characters long (then ending with `…`).
 *
 * @param text - the string
 * @param max - the longest result (default MAX_STRING)
 * @example
 * cut('x'.repeat(5000)).length; // 2049
 */
export function cut(text: string, max = MAX_STRING): string {
  return text.length <= max ? text : `${text.slice(0, max)}…`;
}

/**
 * A JSON-like value within bounds: strings cut, arrays and objects shortened, nesting below three
 * levels turned into (cut) JSON text; functions, symbols and bigints become strings.
 *
 * @param value - anything parsed from JSON or given as an attribute
 * @param depth - how deep `value` already is (0 at the top)
 * @example
 * boundValue({ err: { stack: 'x'.repeat(10_000) } }); // { err: { stack: 'xxx…' } } (2 KB)
 */
export function boundValue(value: unknown, depth = 0): unknown {
  if (value === null || typeof value === 'number' || typeof value === 'boolean') return value;
  if (typeof value === 'string') return cut(value);
  if (value === undefined) return null;
  if (typeof value !== 'object') return cut(String(value));
  if (depth >= MAX_DEPTH) return cut(safeJson(value));
  if (Array.isArray(value)) return value.slice(0, MAX_ITEMS).map((item) => boundValue(item, depth + 1));
  return boundRecord(value as Record<string, unknown>, depth + 1);
}

/**
 * At most MAX_KEYS of `record`'s own keys (each cut), their values bounded (boundValue).
 *
 * @param record - an object
 * @param depth - its depth (0 at the top)
 * @param skip - keys left out (they are kept elsewhere)
 * @example
 * boundRecord({ a: 'x'.repeat(3000) }); // { a: 'xxx…' }
 */
export function boundRecord(record: Readonly<Record<string, unknown>>, depth = 0, skip?: ReadonlySet<string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  let kept = 0;
  for (const key in record) {
    if (!Object.prototype.hasOwnProperty.call(record, key) || skip?.has(key)) continue;
    if (kept++ === MAX_KEYS) break;
    // defineProperty: a `__proto__` key of a parsed line stays a plain field, never the prototype.
    Object.defineProperty(out, cut(key, 128), { value: boundValue(record[key], depth), enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/** JSON text of a value that may not serialize (cycles, bigints): its String then. */
function safeJson(value: object): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
