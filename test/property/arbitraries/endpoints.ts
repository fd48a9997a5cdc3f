// Endpoints of one service: every method, paths with params taken from the input (or synthesized
// from the path when there is no input), query inputs for GET and DELETE, outputs, statuses, declared
// errors and emitted events.
import type { Choose } from './choose.js';
import { BUILTIN_ERRORS, FIELD_NAMES, OPERATION_NAMES, PATH_SEGMENTS, pascal } from './names.js';
import type { EndpointPlan, FieldPlan, TypePlan } from './plan.js';
import { maybeDescription } from './text.js';
import type { DeclaredType } from './types.js';

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
/** Params of a synthesized input: they become its fields, so they follow the field name rule. */
const SYNTHESIZED_PARAMS = [...FIELD_NAMES.slice(0, 12), 'x', 'class', 'then', 'default'] as const;

export interface EndpointScope {
  /** Records the service may use, with their declarations (to find path param candidates). */
  records: readonly (DeclaredType & { plan: TypePlan })[];
  /** Names of the enums the service may use. */
  enums: ReadonlySet<string>;
  /** The service's own error names. */
  errors: readonly string[];
  events: readonly string[];
  /** Names taken in the service's type scope: a synthesized `<Endpoint>Input` must not take one. */
  taken: Set<string>;
}

export function declareEndpoints(choose: Choose, scope: EndpointScope): EndpointPlan[] {
  const endpoints: EndpointPlan[] = [];
  const names = new Set<string>();
  const routes = new Set<string>();
  for (let i = choose.int(1, 4); i > 0; i--) {
    const name = choose.pick(OPERATION_NAMES);
    if (names.has(name)) continue;
    const endpoint = declareEndpoint(choose, name, scope);
    if (endpoint === null) continue;
    const route = `${endpoint.http.split(' ')[0]} ${endpoint.http.split(' ')[1]!.replace(/\{[^}]+\}/g, '{}').replace(/\/$/, '')}`;
    if (routes.has(route)) continue;
    routes.add(route);
    names.add(name);
    endpoints.push(endpoint);
  }
  return endpoints;
}

function declareEndpoint(choose: Choose, name: string, scope: EndpointScope): EndpointPlan | null {
  const method = choose.pick(METHODS);
  const query = method === 'GET' || method === 'DELETE';
  const candidates = scope.records.filter((r) => !query || r.queryable);
  const endpoint: EndpointPlan = { name, http: '' };
  let params: string[];
  if (candidates.length > 0 && choose.chance(0.7)) {
    const input = choose.pick(candidates);
    endpoint.input = input.name;
    params = choose.some(paramCandidates(input.plan, scope.enums), 2);
  } else {
    const synthesized = `${pascal(name)}Input`;
    if (scope.taken.has(synthesized)) return null;
    scope.taken.add(synthesized);
    params = [...new Set(choose.some(SYNTHESIZED_PARAMS, 2))];
  }
  const route = path(choose, params);
  // GET /ready and /health are the runtime's probes: the language refuses them.
  endpoint.http = `${method} ${method === 'GET' && /^\/(ready|health)\/?$/.test(route) ? `/v1${route}` : route}`;

  const outputs = scope.records;
  if (outputs.length > 0 && choose.chance(0.75)) {
    endpoint.output = `${choose.pick(outputs).name}${choose.chance(0.3) ? '[]' : ''}`;
  }
  if (choose.chance(0.2)) {
    endpoint.status = endpoint.output === undefined ? choose.pick([200, 201, 202, 204]) : choose.pick([200, 201, 202, 203, 206, 299]);
  }
  const errors = choose.some([...BUILTIN_ERRORS, ...scope.errors], 3);
  if (errors.length > 0) endpoint.errors = errors;
  const emits = choose.some(scope.events, 2);
  if (emits.length > 0) endpoint.emits = emits;
  const description = maybeDescription(choose);
  return description === undefined ? endpoint : { ...endpoint, description };
}

/** Fields that may be path params: required strings, integers and enums (named or inline). */
function paramCandidates(plan: TypePlan, enums: ReadonlySet<string>): string[] {
  return (plan.fields ?? [])
    .filter((f: FieldPlan) => !f.optional && (f.enum !== undefined || f.type === 'string' || f.type === 'integer' || enums.has(f.type ?? '')))
    .map((f) => f.name);
}

function path(choose: Choose, params: string[]): string {
  const segments: string[] = [];
  for (let i = choose.int(params.length === 0 ? 1 : 0, 3); i > 0; i--) segments.push(choose.pick(PATH_SEGMENTS));
  for (const param of params) segments.splice(choose.int(0, segments.length), 0, `{${param}}`);
  return `/${segments.join('/')}${choose.chance(0.1) ? '/' : ''}`;
}
