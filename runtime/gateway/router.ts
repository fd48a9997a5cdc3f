// Prefix routing for the gateway's hot path: routes are compiled once, a lookup is a linear scan of
// `startsWith` checks (route lists are short) and a match allocates nothing; only the rewritten
// path is a new string.
import { allowOf, methodMask } from './route-methods.js';
import type { GatewayRoute } from './types.js';

export interface CompiledRoute {
  readonly service: string;
  /** The prefix without a trailing slash. */
  readonly prefix: string;
  /** The rewrite without a trailing slash (`/` and `` become ``, so `rewrite + rest` never doubles a slash). */
  readonly rewrite: string;
  /** Position in the config's route list. */
  readonly index: number;
  /** Served without authentication. */
  readonly public: boolean;
  /** The methods taken, as route-methods.ts's bits; 0: any method is forwarded. */
  readonly methods: number;
  /** `['allow', 'GET, HEAD, OPTIONS']` for the 405 and OPTIONS answers; empty when `methods` is 0. */
  readonly allow: readonly string[];
  /** Largest request body forwarded, bytes (the route's, else the gateway's). */
  readonly bodyLimitBytes: number;
  /** How long the service may take to send its headers (and between body chunks), ms (the route's, else the gateway's). */
  readonly timeoutMs: number;
}

/**
 * What a route without its own body limit and timeout takes: the gateway's.
 *
 * @example
 * const defaults: RouteDefaults = { timeoutMs: 30_000, bodyLimitBytes: 1_048_576 };
 */
export interface RouteDefaults {
  readonly timeoutMs: number;
  readonly bodyLimitBytes: number;
}

/** The generator's defaults (a gateway's `timeout: 30s`, `bodyLimit: 1mb`), for routers made without a config. */
const GENERATOR_DEFAULTS: RouteDefaults = { timeoutMs: 30_000, bodyLimitBytes: 1_048_576 };

const SLASH = 0x2f; // '/'
const QUESTION = 0x3f; // '?'
const HASH = 0x23; // '#'

function trimTrailingSlash(path: string): string {
  return path.length > 0 && path.charCodeAt(path.length - 1) === SLASH ? path.slice(0, -1) : path;
}

export class Router {
  readonly routes: readonly CompiledRoute[];

  /**
   * @param routes - sorted longest prefix first (the generator does it): the first match wins
   * @param defaults - the gateway's body limit and timeout, for routes without their own (default 1 MiB and 30 s)
   * @throws Error naming the route whose methods, body limit or timeout is invalid
   */
  constructor(routes: readonly GatewayRoute[], defaults: RouteDefaults = GENERATOR_DEFAULTS) {
    this.routes = routes.map((r, index) => {
      const methods = r.methods === undefined ? 0 : routeSetting(r, 'methods', () => methodMask(r.methods!));
      return {
        service: r.service,
        prefix: trimTrailingSlash(r.prefix),
        rewrite: trimTrailingSlash(r.rewrite),
        index,
        public: r.public === true,
        methods,
        allow: methods === 0 ? [] : ['allow', allowOf(methods)],
        // The gateway's own values are the gateway's business; a route's are checked here.
        bodyLimitBytes: r.bodyLimitBytes === undefined ? defaults.bodyLimitBytes : positive(r, 'bodyLimitBytes', r.bodyLimitBytes),
        timeoutMs: r.timeoutMs === undefined ? defaults.timeoutMs : positive(r, 'timeoutMs', r.timeoutMs),
      };
    });
  }

  /**
   * The route for a request target (`req.url`: path and query). A prefix matches itself followed
   * by nothing, `/` or `?`: `/api/users` matches `/api/users`, `/api/users/1`, `/api/users?x=1`,
   * never `/api/usersx`.
   */
  match(url: string): CompiledRoute | undefined {
    const routes = this.routes;
    for (let i = 0; i < routes.length; i++) {
      const route = routes[i]!;
      if (!url.startsWith(route.prefix)) continue;
      const len = route.prefix.length;
      if (url.length === len) return route;
      const next = url.charCodeAt(len);
      if (next === SLASH || next === QUESTION) return route;
    }
    return undefined;
  }
}

/** `compute()`, its error naming the route and the setting. */
function routeSetting<T>(route: GatewayRoute, key: string, compute: () => T): T {
  try {
    return compute();
  } catch (err) {
    throw new Error(`gateway: route ${route.prefix}: ${key}: ${(err as Error).message}`);
  }
}

/** `value` when it is a whole number above 0. */
function positive(route: GatewayRoute, key: string, value: number): number {
  return routeSetting(route, key, () => {
    if (!Number.isSafeInteger(value) || value <= 0) throw new Error(`must be a whole number above 0, got ${String(value)}`);
    return value;
  });
}

/** The upstream path for `url` (which `route` matched): prefix replaced, rest and query kept. */
export function rewritePath(route: CompiledRoute, url: string): string {
  if (route.rewrite === route.prefix) return url;
  const rest = url.slice(route.prefix.length);
  const path = route.rewrite + rest;
  // An empty rewrite with nothing or only a query after the prefix still needs a leading slash.
  return path.length === 0 || path.charCodeAt(0) !== SLASH ? '/' + path : path;
}

/**
 * A `Location` the route's service answered, as the client must see it (nginx's `proxy_redirect
 * default`): a path that starts with the route's rewrite (followed by nothing, `/`, `?` or `#`) gets
 * the route's prefix in its place; anything else (another path, an absolute URL) is left as is.
 * A service's `202 Accepted` of a saga points at its status this way (`/orders/placements/b0c5`
 * becomes `/api/orders/placements/b0c5` behind the route `/api/orders` -> `/orders`).
 *
 * @param route - the route that forwarded the request
 * @param location - the Location header's value
 * @example
 * rewriteLocation(route, '/orders/placements/b0c5'); // '/api/orders/placements/b0c5' (prefix /api/orders, rewrite /orders)
 */
export function rewriteLocation(route: CompiledRoute, location: string): string {
  const { rewrite, prefix } = route;
  // Only a path of this origin (`//host/...` is another host's).
  if (rewrite === prefix || location.charCodeAt(0) !== SLASH || location.charCodeAt(1) === SLASH) return location;
  if (!location.startsWith(rewrite)) return location;
  // `/ordersx` is not under `/orders` (an empty rewrite, `/`, has every path under it: rest starts with `/`).
  const rest = location.slice(rewrite.length);
  const next = rest.charCodeAt(0);
  if (rest !== '' && next !== SLASH && next !== QUESTION && next !== HASH) return location;
  const rewritten = prefix + rest;
  return rewritten === '' || rewritten.charCodeAt(0) !== SLASH ? '/' + rewritten : rewritten;
}

/** `url` without its query string, for messages and logs (queries may carry secrets). */
export function pathOf(url: string): string {
  const q = url.indexOf('?');
  return q === -1 ? url : url.slice(0, q);
}
