// Caps on what a MeshError carries, so that no input can make an error body large: a request with
// 130,000 bad items must not come back as 130,000 messages. A MeshError applies them when it is
// made, so every transport (HTTP bodies, gRPC trailers and status details, logs) sends bounded text.

/** The largest error body a response carries, in bytes of JSON (toBody keeps to it). */
export const MAX_ERROR_BODY_BYTES = 8192;
/** Longest `message`, in characters: a summary, never a listing. */
export const MAX_MESSAGE_CHARS = 1000;
/** Longest error code, in characters (a callee's body may claim any code). */
export const MAX_CODE_CHARS = 128;
/** Budget for `details`, in characters of JSON: what is left of the body once the rest is in. */
export const MAX_DETAILS_CHARS = 6144;
/**
 * Most entries kept of any list (and most keys of any object) in `details`. A client needs the
 * first few problems to fix its request; the rest is counted, not listed. Also the number of
 * validation issues reported.
 */
export const MAX_LIST_ITEMS = 25;
/** Longest string inside `details` (an echoed value or a long JSON pointer). */
export const MAX_DETAIL_STRING_CHARS = 200;
/** Deepest nesting kept inside `details`; deeper values become a placeholder. */
export const MAX_DETAILS_DEPTH = 6;

const ELLIPSIS = '…';

/**
 * `text` cut to at most `max` characters, ending with `…` when cut (never splitting a surrogate pair).
 *
 * @param text - any string
 * @param max - the longest result, in UTF-16 code units (at least 1)
 * @example
 * boundText('abcdef', 4); // 'abc…'
 */
export function boundText(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = Math.max(0, max - ELLIPSIS.length);
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return text.slice(0, end) + ELLIPSIS;
}

/**
 * `details` within the caps above: the value itself when it is within them (no copy), else a copy
 * with long strings cut, long lists and objects shortened (a list ends with a `"… N more"` entry,
 * an object gets a `"…"` key counting the rest), deep values replaced, and nothing past the
 * character budget. Values JSON cannot carry (functions, symbols) are left out as JSON would.
 *
 * @param details - what a MeshError was given (undefined stays undefined)
 * @param budget - the JSON size allowed, in characters; default MAX_DETAILS_CHARS
 * @example
 * boundDetails(Array.from({ length: 100 }, (_, i) => i)); // [0, ..., 19, '… 80 more']
 */
export function boundDetails(details: unknown, budget: number = MAX_DETAILS_CHARS): unknown {
  if (details === undefined) return undefined;
  if (fits(details, budget)) return details;
  const state = { left: budget };
  return copyWithin(details, 0, state);
}

/** True when `value` is within every cap: measured without copying, stopping once over. */
function fits(value: unknown, budget: number): boolean {
  const state = { left: budget };
  return measure(value, 0, state) && state.left >= 0;
}

function measure(value: unknown, depth: number, state: { left: number }): boolean {
  if (state.left < 0) return false;
  if (typeof value === 'string') {
    if (value.length > MAX_DETAIL_STRING_CHARS) return false;
    state.left -= value.length + 2;
    return state.left >= 0;
  }
  if (value === null || typeof value !== 'object') {
    state.left -= 8;
    return state.left >= 0;
  }
  if (depth >= MAX_DETAILS_DEPTH) return false;
  if (Array.isArray(value)) {
    if (value.length > MAX_LIST_ITEMS) return false;
    state.left -= 2;
    for (const item of value) if (!measure(item, depth + 1, state)) return false;
    return true;
  }
  const keys = Object.keys(value);
  if (keys.length > MAX_LIST_ITEMS) return false;
  state.left -= 2;
  for (const key of keys) {
    if (key.length > MAX_DETAIL_STRING_CHARS) return false;
    state.left -= key.length + 3;
    if (!measure((value as Record<string, unknown>)[key], depth + 1, state)) return false;
  }
  return true;
}

const CUT = '…';

function copyWithin(value: unknown, depth: number, state: { left: number }): unknown {
  if (typeof value === 'string') {
    const text = boundText(value, Math.min(MAX_DETAIL_STRING_CHARS, Math.max(1, state.left - 2)));
    state.left -= text.length + 2;
    return text;
  }
  if (value === null || typeof value !== 'object') {
    state.left -= 8;
    return value;
  }
  if (depth >= MAX_DETAILS_DEPTH) {
    state.left -= 5;
    return CUT;
  }
  state.left -= 2;
  if (Array.isArray(value)) {
    const copy: unknown[] = [];
    for (let i = 0; i < value.length; i++) {
      if (i >= MAX_LIST_ITEMS || state.left < 64) {
        copy.push(`${CUT} ${value.length - i} more`);
        break;
      }
      copy.push(copyWithin(value[i], depth + 1, state));
    }
    return copy;
  }
  const copy: Record<string, unknown> = {};
  const keys = Object.keys(value);
  for (let i = 0; i < keys.length; i++) {
    if (i >= MAX_LIST_ITEMS || state.left < 64) {
      copy[CUT] = `${keys.length - i} more`;
      break;
    }
    const key = boundText(keys[i] as string, MAX_DETAIL_STRING_CHARS);
    state.left -= key.length + 3;
    copy[key] = copyWithin((value as Record<string, unknown>)[keys[i] as string], depth + 1, state);
  }
  return copy;
}
