// Prefix routing for the gateway's hot path: routes are compiled once, a lookup is a linear scan of
// `startsWith` checks (route lists are short) and a match allocates nothing; only the rewritten
// path is a new string.
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
}

const SLASH = 0x2f; // '/'
const QUESTION = 0x3f; // '?'

function trimTrailingSlash(path: string): string {
  return path.length > 0 && path.charCodeAt(path.length - 1) === SLASH ? path.slice(0, -1) : path;
}

export class Router {
  readonly routes: readonly CompiledRoute[];

  /** `routes` must be sorted longest prefix first (the generator does it): the first match wins. */
  constructor(routes: readonly GatewayRoute[]) {
    this.routes = routes.map((r, index) => ({
      service: r.service,
      prefix: trimTrailingSlash(r.prefix),
      rewrite: trimTrailingSlash(r.rewrite),
      index,
      public: r.public === true,
    }));
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

/** The upstream path for `url` (which `route` matched): prefix replaced, rest and query kept. */
export function rewritePath(route: CompiledRoute, url: string): string {
  if (route.rewrite === route.prefix) return url;
  const rest = url.slice(route.prefix.length);
  const path = route.rewrite + rest;
  // An empty rewrite with nothing or only a query after the prefix still needs a leading slash.
  return path.length === 0 || path.charCodeAt(0) !== SLASH ? '/' + path : path;
}

/** `url` without its query string, for messages and logs (queries may carry secrets). */
export function pathOf(url: string): string {
  const q = url.indexOf('?');
  return q === -1 ? url : url.slice(0, q);
}
