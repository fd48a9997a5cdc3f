// The node binding's route table, built once at startup: paths without parameters in a Map, the
// others grouped by method and segment count and tried in route order (route-plan.ts), parameters
// read by position. Matching follows Express's defaults: case-insensitive, one optional trailing slash.
import { paramNamesOf, segmentsOf } from '../route-plan.js';

/**
 * A route found for a request: its value and its raw (still percent-encoded) params.
 *
 * @example
 * const match: RouteMatch<string> = { value: 'getUser', order: 1, names: ['id'], raw: ['42'] };
 */
export interface RouteMatch<T> {
  readonly value: T;
  readonly order: number;
  /** Names of the route's parameters, in path order. */
  readonly names: readonly string[];
  /** Their raw values from the request path, in the same order. */
  readonly raw: readonly string[];
}

interface Pattern<T> {
  readonly value: T;
  readonly order: number;
  readonly names: readonly string[];
  /** Per segment: the lowercased literal, or null for a parameter. */
  readonly literals: readonly (string | null)[];
}

/**
 * A request path cut up once for every lookup it takes.
 *
 * @example
 * const path: SplitPath = { key: '/users/42', segments: ['users', '42'] };
 */
export interface SplitPath {
  /** Lowercased, without one trailing slash. */
  readonly key: string;
  /** Raw segments (percent-encoding kept). */
  readonly segments: readonly string[];
}

const NO_PARAMS: readonly string[] = [];

/**
 * Splits a request path (no query) for lookups.
 *
 * @param path - the path as sent, e.g. `/Users/42/`
 * @example
 * splitPath('/Users/42/'); // { key: '/users/42', segments: ['Users', '42'] }
 */
export function splitPath(path: string): SplitPath {
  const trimmed = path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
  return { key: trimmed.toLowerCase(), segments: trimmed === '/' ? [] : trimmed.slice(1).split('/') };
}

/** One method's routes: paths without parameters by key, the others by segment count, in route order. */
interface MethodRoutes<T> {
  readonly statics: Map<string, RouteMatch<T>>;
  readonly bySegments: Map<number, Pattern<T>[]>;
}

/**
 * Routes by method and path.
 *
 * @example
 * const table = new RouteTable<string>();
 * table.add('GET', '/users/{id}', 'getUser', 1);
 * table.find('GET', splitPath('/users/42')); // { value: 'getUser', names: ['id'], raw: ['42'], order: 1 }
 */
export class RouteTable<T> {
  // By method first: a lookup builds no key string, only reads two maps.
  private readonly methods = new Map<string, MethodRoutes<T>>();

  /**
   * Adds a route; `order` decides between routes that match the same request (lowest wins).
   *
   * @param method - an HTTP method, or any key (`*` for "any method")
   * @param path - spec syntax, `{param}` for whole segments
   * @param value - what a match returns
   * @param order - its place in route order
   */
  add(method: string, path: string, value: T, order: number): void {
    let routes = this.methods.get(method);
    if (!routes) this.methods.set(method, (routes = { statics: new Map(), bySegments: new Map() }));
    // A spec path may end with `/` (`POST /reports/`): like a request path, it matches with or without
    // it, so it is stored as splitPath would key a request for it.
    const route = path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
    const literals = segmentsOf(route);
    const names = paramNamesOf(route);
    if (names.length === 0) {
      const key = route.toLowerCase();
      if (!routes.statics.has(key)) routes.statics.set(key, { value, order, names: NO_PARAMS, raw: NO_PARAMS });
      return;
    }
    const patterns = routes.bySegments.get(literals.length) ?? [];
    patterns.push({ value, order, names, literals });
    patterns.sort((a, b) => a.order - b.order);
    routes.bySegments.set(literals.length, patterns);
  }

  /**
   * The first route, in route order, for `method` that matches `path`; null when none does.
   *
   * @param method - the request's method (or the key routes were added under)
   * @param path - from splitPath
   */
  find(method: string, path: SplitPath): RouteMatch<T> | null {
    const routes = this.methods.get(method);
    if (!routes) return null;
    const exact = routes.statics.get(path.key) ?? null;
    const patterns = routes.bySegments.get(path.segments.length);
    if (!patterns) return exact;
    for (const pattern of patterns) {
      if (exact && exact.order < pattern.order) return exact;
      const raw = matchPattern(pattern.literals, path.segments);
      if (raw) return { value: pattern.value, order: pattern.order, names: pattern.names, raw };
    }
    return exact;
  }
}

function matchPattern(literals: readonly (string | null)[], segments: readonly string[]): readonly string[] | null {
  let raw: string[] | null = null;
  for (let i = 0; i < literals.length; i++) {
    const literal = literals[i] ?? null;
    const segment = segments[i] as string;
    if (literal === null) {
      if (segment.length === 0) return null;
      (raw ??= []).push(segment);
    } else if (literal !== segment && (literal.length !== segment.length || literal !== segment.toLowerCase())) return null;
  }
  // Patterns have parameters (add() keeps the others among the statics), so raw is set by now.
  return raw ?? NO_PARAMS;
}
