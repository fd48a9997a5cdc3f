// A request path made canonical once, before routing and before anything decides on it, so that no
// spelling reaches a target its plain spelling would not: `/api/v1/users/../orders` is routed (and
// authenticated) as `/api/v1/orders`, the path forwarded is the one routed. Spellings whose meaning
// differs between servers are refused rather than guessed: an encoded slash or backslash, a
// backslash, `;` (a path parameter to some frameworks), control characters.

/** Cheap test for the common case: nothing to resolve or refuse. */
const NEEDS_WORK = /[%\\;\x00-\x1f\x7f]|\/\.|\/\/|^[^/]/;
/** Refused: encoded `/`, `\`, NUL; raw `\`, `;`, control characters. */
const REFUSED = /%2f|%5c|%00|[\\;\x00-\x1f\x7f]/i;
const ENCODED_DOT = /%2e/gi;

/**
 * The canonical form of a request target's path, its query kept as sent; or null when the path is
 * refused (the caller answers 400).
 *
 * @param url - `req.url` (origin form: path and query)
 * @returns the target with its path canonical, or null
 * @example
 * normalizePath('/api/v1/users/../orders?x=1'); // '/api/v1/orders?x=1'
 * normalizePath('/api//v1/%2e%2e/users');       // '/api/users'
 * normalizePath('/api/v1/users%2f..%2forders'); // null
 */
export function normalizePath(url: string): string | null {
  const mark = url.indexOf('?');
  const path = mark === -1 ? url : url.slice(0, mark);
  if (!NEEDS_WORK.test(path)) return url;
  if (path.charCodeAt(0) !== 0x2f || REFUSED.test(path)) return null;

  const segments = path.replace(ENCODED_DOT, '.').split('/');
  const out: string[] = [];
  for (let i = 1; i < segments.length; i++) {
    const segment = segments[i] as string;
    const last = i === segments.length - 1;
    if (segment === '..') {
      // Above the root is not a place: refused, not clamped.
      if (out.length === 0) return null;
      out.pop();
      if (last) out.push('');
    } else if (segment === '.' || (segment === '' && !last)) {
      if (last) out.push('');
    } else {
      out.push(segment);
    }
  }
  const canonical = `/${out.join('/')}`;
  return mark === -1 ? canonical : canonical + url.slice(mark);
}
