// What a gateway route reaches on its service: the upstream path its prefix becomes, the endpoints
// under it and their HTTP methods. The checks judge a route (`route-matches-nothing`, its `methods`)
// and the model derives a route's default methods from the same facts.
import { pathParams } from '../naming/index.js';
import type { RawEndpoint, RawGatewayRoute } from './raw.js';

/** The methods an endpoint (and so a route's `methods`) may have, in the order `Allow` names them. */
export const ROUTE_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

/**
 * A method a route's `methods` may list.
 *
 * @example
 * const write: RouteMethod = 'POST';
 */
export type RouteMethod = (typeof ROUTE_METHODS)[number];

/**
 * The path a route's prefix becomes on its service, without a trailing slash (`` for the root).
 *
 * @param route - the spec's route: its `rewrite`, else its `prefix`
 * @example
 * upstreamPath({ prefix: '/api/v1/users', service: 'users', rewrite: '/users/' }); // '/users'
 */
export function upstreamPath(route: Pick<RawGatewayRoute, 'prefix' | 'rewrite'>): string {
  return (route.rewrite ?? route.prefix).replace(/\/$/, '');
}

/**
 * Whether an endpoint path lies under `prefix`: whole segments, a `{param}` matching any segment.
 *
 * @param path - the endpoint's path, e.g. `/users/{id}`
 * @param prefix - an upstream path, e.g. `/users` (`` for the root)
 * @example
 * pathUnder('/users/{id}', '/users/me'); // true
 * pathUnder('/usersx', '/users'); // false
 */
export function pathUnder(path: string, prefix: string): boolean {
  const have = path.split('/').filter(Boolean);
  const want = prefix.split('/').filter(Boolean);
  return want.length <= have.length && want.every((segment, i) => have[i] === segment || pathParams(have[i]!).length > 0);
}

/**
 * The methods of the endpoints under `upstream`, in ROUTE_METHODS order (none: the route reaches nothing).
 *
 * @param endpoints - the service's endpoints (`http: METHOD /path`)
 * @param upstream - from upstreamPath
 * @example
 * endpointMethodsUnder([{ http: 'POST /users' }, { http: 'GET /users/{id}' }], '/users'); // ['GET', 'POST']
 */
export function endpointMethodsUnder(endpoints: Iterable<Pick<RawEndpoint, 'http'>>, upstream: string): RouteMethod[] {
  const used = new Set<string>();
  for (const endpoint of endpoints) {
    const [method = '', path = ''] = endpoint.http.split(' ');
    if (pathUnder(path, upstream)) used.add(method);
  }
  return ROUTE_METHODS.filter((method) => used.has(method));
}
