// The order both bindings try routes in, decided once at startup: probes, then the spec's
// endpoints (literal segments before parameters, position by position), then extra routes (same
// order), then 405 for a known path, then 404. Extra routes that can never be reached are refused.
import type { EndpointDescriptor, ServiceDefinition } from '../service/definition.js';
import type { ExtraRoute, ExtraRoutes } from './extra-routes.js';
import { bySpecificity } from './params.js';
import { isProbePath } from '../../common/probes.js';

const EXTRA_METHODS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS']);
// Literal segments limited to URL-unreserved characters, so both routers read them alike.
const EXTRA_SEGMENT = /^(?:[A-Za-z0-9._~-]+|\{[A-Za-z_$][A-Za-z0-9_$]*\})$/;

/**
 * A path the service answers under some methods: a request with another method gets 405 and `Allow`.
 *
 * @example
 * const users: AllowedMethods = { path: '/users/{id}', allow: 'GET, PUT, DELETE' };
 */
export interface AllowedMethods {
  /** The first route's path of this shape (spec syntax). */
  readonly path: string;
  /** `GET, PUT, DELETE`: in route order. */
  readonly allow: string;
}

/**
 * Routes in the order they are tried.
 *
 * @example
 * const plan = planRoutes(definition, []);
 * plan.endpoints[0]?.path; // '/users/me' before '/users/{id}'
 */
export interface RoutePlan {
  readonly endpoints: readonly EndpointDescriptor[];
  readonly extras: readonly ExtraRoute[];
  readonly allowed: readonly AllowedMethods[];
}

/**
 * Orders the definition's endpoints and the extra routes, and checks the extra routes: a valid
 * method and path, no endpoint of the same method that matches every path it matches (same
 * shape, or a parameter where it has a literal), no probe path, no duplicate.
 *
 * @param definition - the service's definition
 * @param routes - its extra routes (default none)
 * @throws Error naming the route and the reason when an extra route is invalid or unreachable
 * @example
 * planRoutes(definition, [{ method: 'POST', path: '/webhooks/{provider}', handle }]);
 */
export function planRoutes(definition: ServiceDefinition, routes: ExtraRoutes = []): RoutePlan {
  const endpoints = [...definition.endpoints].sort((a, b) => bySpecificity(a.path, b.path));
  for (const route of routes) checkExtraRoute(route);
  const extras = [...routes].sort((a, b) => bySpecificity(a.path, b.path));
  for (let i = 0; i < extras.length; i++) {
    const route = extras[i] as ExtraRoute;
    const endpoint = endpoints.find((e) => answers(e.method, route.method) && shadows(e.path, route.path));
    if (endpoint) {
      const how = endpoint.method === route.method && shapeOf(endpoint.path) === shapeOf(route.path) ? 'has the same method and path as' : 'can never be reached: it is matched first by';
      throw new Error(`extra route ${describe(route)} ${how} the endpoint ${endpoint.name} (${endpoint.method} ${endpoint.path}); change its path or method`);
    }
    const twin = extras.slice(0, i).find((other) => answers(other.method, route.method) && shadows(other.path, route.path));
    if (twin) throw new Error(`extra route ${describe(route)} can never be reached: the extra route ${describe(twin)} is matched first; change its path or method`);
  }

  const byShape = new Map<string, { path: string; methods: string[] }>();
  for (const { method, path } of [...endpoints, ...extras]) {
    const shape = shapeOf(path);
    const group = byShape.get(shape) ?? { path, methods: [] };
    if (!group.methods.includes(method)) group.methods.push(method);
    byShape.set(shape, group);
  }
  const allowed = [...byShape.values()].map(({ path, methods }) => ({ path, allow: methods.join(', ') }));
  return { endpoints, extras, allowed };
}

/**
 * A path's segments: a literal (lowercased: routing ignores case, as Express does) or null for a parameter.
 *
 * @param path - spec syntax, e.g. `/users/{id}`
 * @example
 * segmentsOf('/Users/{id}'); // ['users', null]
 */
export function segmentsOf(path: string): (string | null)[] {
  if (path === '/') return [];
  return path
    .slice(1)
    .split('/')
    .map((segment) => (segment.startsWith('{') ? null : segment.toLowerCase()));
}

/**
 * The parameter names of a path, in order.
 *
 * @param path - spec syntax
 * @example
 * paramNamesOf('/a/{x}/b/{y}'); // ['x', 'y']
 */
export function paramNamesOf(path: string): string[] {
  return [...path.matchAll(/\{([A-Za-z_$][A-Za-z0-9_$]*)\}/g)].map((m) => m[1] as string);
}

function checkExtraRoute(route: ExtraRoute): void {
  const where = `extra route ${describe(route)}`;
  if (typeof route.handle !== 'function') throw new Error(`${where} has no handle function`);
  if (!EXTRA_METHODS.has(route.method)) throw new Error(`${where}: method must be one of ${[...EXTRA_METHODS].join(', ')}`);
  if (typeof route.path !== 'string' || !route.path.startsWith('/')) throw new Error(`${where}: the path must start with /`);
  if (route.path !== '/' && !route.path.slice(1).split('/').every((segment) => EXTRA_SEGMENT.test(segment))) {
    throw new Error(`${where}: each path segment must be letters, digits, '.', '_', '~', '-' or a whole {param}`);
  }
  const names = paramNamesOf(route.path);
  const repeated = names.find((name, i) => names.indexOf(name) !== i);
  if (repeated) throw new Error(`${where}: the parameter {${repeated}} appears twice`);
  const lower = route.path.toLowerCase();
  if (isProbePath(lower)) throw new Error(`${where}: ${route.path} is the service's own probe (or metrics, or its dependencies report); choose another path`);
}

/** True when a route of `first` method takes the requests of `method`: its own, and HEAD for a GET route. */
function answers(first: string, method: string): boolean {
  return first === method || (first === 'GET' && method === 'HEAD');
}

/** True when every request path `path` matches is matched by `first` too. */
function shadows(first: string, path: string): boolean {
  const a = segmentsOf(first);
  const b = segmentsOf(path);
  return a.length === b.length && a.every((segment, i) => segment === null || segment === b[i]);
}

function shapeOf(path: string): string {
  return segmentsOf(path)
    .map((segment) => segment ?? '{}')
    .join('/');
}

function describe(route: { method: unknown; path: unknown }): string {
  return `${String(route.method)} ${String(route.path)}`;
}
