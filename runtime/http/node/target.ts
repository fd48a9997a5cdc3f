// The path and query a request target routes by, read as Express reads them (parseurl): a plain
// origin-form target is split at its first `?`; a fragment is dropped; an absolute-form target
// (`http://host/path?query`, what a client talking to a proxy sends) routes by its path.
const ABSOLUTE = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/?#]*/;

/**
 * The routing path and raw query string of a request target.
 *
 * @param url - `req.url`
 * @example
 * routingTarget('/users?limit=1'); // { path: '/users', query: 'limit=1' }
 * routingTarget('http://shop/users/1#top'); // { path: '/users/1', query: '' }
 */
export function routingTarget(url: string): { path: string; query: string } {
  let target = url;
  if (target.charCodeAt(0) !== 0x2f || target.includes('#')) {
    const hash = target.indexOf('#');
    if (hash !== -1) target = target.slice(0, hash);
    const absolute = ABSOLUTE.exec(target);
    if (absolute) target = target.slice(absolute[0].length) || '/';
    if (target.startsWith('?')) target = `/${target}`;
  }
  const mark = target.indexOf('?');
  return mark === -1 ? { path: target, query: '' } : { path: target.slice(0, mark), query: target.slice(mark + 1) };
}
