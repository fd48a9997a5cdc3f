// GET /api/catalog: the services, endpoints, calls, events, routes and sagas, read from what the
// running stack was started with (the hosts as they run now: --watch restarts them with new ones),
// never from the spec files. Pure: the server hands it the stack's current state.
import type { ServiceHostOptions } from '../../host/types.js';
import type { GatewayConfig, GatewayRoute } from '../../gateway/types.js';
import { GATEWAY_METHODS } from '../../gateway/route-methods.js';
import type { SagaDefinition } from '../../saga/types.js';
import type { ClientTransport } from '../../transport/types.js';
import type { EndpointDescriptor, ServiceDefinition } from '../../service/definition.js';
import type { Catalog, CatalogEndpoint, CatalogEvent, CatalogGateway, CatalogSaga, CatalogService } from './api-types.js';
import { policyLine } from './policy.js';

/**
 * What the catalog is made of: the stack as it runs now.
 *
 * @example
 * const input: CatalogInput = { mesh: 'shop', hosts: running.hosts(), urls: running.urls, gateway: running.gatewayConfig(), gatewayUrl: running.gatewayUrl, colocated: running.colocated };
 */
export interface CatalogInput {
  readonly mesh: string;
  /** The services' host options, as last started. */
  readonly hosts: readonly ServiceHostOptions[];
  readonly urls: Readonly<Record<string, { readonly http: string; readonly grpc: string | null }>>;
  /** The gateway's configuration now; null without a gateway. */
  readonly gateway: GatewayConfig | null;
  readonly gatewayUrl: string | null;
  /** Whether calls between the stack's services run in process. */
  readonly colocated: boolean;
}

/**
 * Builds the catalog.
 *
 * @param input - the stack as it runs now
 * @example
 * const catalog = buildCatalog({ mesh: stack.mesh, hosts, urls, gateway: stack.gateway, gatewayUrl, colocated: true });
 * catalog.services.find((s) => s.name === 'users')?.endpoints[0]?.gatewayPath; // '/api/v1/users'
 */
export function buildCatalog(input: CatalogInput): Catalog {
  const hosts = [...input.hosts].sort((a, b) => a.definition.name.localeCompare(b.definition.name));
  const names = new Set(hosts.map((h) => h.definition.name));
  const routes = input.gateway?.routes ?? [];
  const services: CatalogService[] = hosts.map((host) => {
    const { definition } = host;
    const url = input.urls[definition.name];
    return {
      name: definition.name,
      version: definition.version,
      http: url?.http ?? '',
      grpc: url?.grpc ?? null,
      storage: host.storage !== undefined,
      endpoints: definition.endpoints.map((endpoint) => catalogEndpoint(definition, endpoint, routes)),
      calls: definition.calls.map((call) => ({
        service: call.service,
        transport: call.transport,
        inProcess: input.colocated && names.has(call.service),
        policy: policyLine(call.policy),
      })),
      publishes: [...definition.publishes],
      subscribes: definition.subscriptions.map((s) => ({ event: s.event, handler: s.handler, maxAttempts: s.maxAttempts ?? null })),
    };
  });
  return {
    mesh: input.mesh,
    services,
    events: catalogEvents(hosts),
    gateway: input.gateway ? catalogGateway(input.gateway, input.gatewayUrl) : null,
    sagas: hosts.flatMap(catalogSagas),
    schemas: Object.assign({}, ...hosts.map((h) => h.schemas.$defs)) as Record<string, object>,
  };
}

/**
 * The gateway route that reaches an endpoint, and the endpoint's path through it: the route's
 * prefix plus what follows the route's rewrite in the endpoint's path; null when no route of the
 * service takes the endpoint's method at a path the gateway would send to that route.
 *
 * @param service - the endpoint's service
 * @param endpoint - its method and path
 * @param routes - the gateway's routes, longest prefix first (as the gateway matches them)
 * @example
 * gatewayPathOf('users', { method: 'GET', path: '/users/{id}' }, [{ prefix: '/api/v1/users', service: 'users', rewrite: '/users' }]);
 * // { path: '/api/v1/users/{id}', route: { prefix: '/api/v1/users', ... } }
 */
export function gatewayPathOf(
  service: string,
  endpoint: Pick<EndpointDescriptor, 'method' | 'path'>,
  routes: readonly GatewayRoute[],
): { path: string; route: GatewayRoute } | null {
  for (const route of routes) {
    if (route.service !== service) continue;
    if (route.methods && !route.methods.includes(endpoint.method)) continue;
    const rewrite = route.rewrite.replace(/\/+$/, '');
    let rest: string;
    if (rewrite === '') rest = endpoint.path;
    else if (endpoint.path === rewrite || endpoint.path.startsWith(`${rewrite}/`)) rest = endpoint.path.slice(rewrite.length);
    else continue;
    const path = `${route.prefix.replace(/\/+$/, '')}${rest}`;
    // The gateway sends a path to the first route whose prefix matches: it must be this one.
    if (routeFor(routes, path) === route) return { path, route };
  }
  return null;
}

/** The first route whose prefix is the path or a folder of it, as the gateway's router picks. */
function routeFor(routes: readonly GatewayRoute[], path: string): GatewayRoute | undefined {
  return routes.find((route) => {
    const prefix = route.prefix.replace(/\/+$/, '');
    return path === prefix || path.startsWith(`${prefix}/`);
  });
}

function catalogEndpoint(definition: ServiceDefinition, endpoint: EndpointDescriptor, routes: readonly GatewayRoute[]): CatalogEndpoint {
  const through = gatewayPathOf(definition.name, endpoint, routes);
  return {
    id: `${definition.name}.${endpoint.name}`,
    name: endpoint.name,
    method: endpoint.method,
    path: endpoint.path,
    gatewayPath: through?.path ?? null,
    public: through ? through.route.public === true : null,
    pathParams: [...endpoint.pathParams],
    inputSource: endpoint.inputSource,
    input: endpoint.input,
    output: endpoint.output ? { type: endpoint.output.type, list: endpoint.output.list } : null,
    successStatus: endpoint.successStatus,
    errors: Object.entries(endpoint.errors).map(([code, error]) => ({ code, status: error.status })),
    // The spec's default: GET, PUT and DELETE are idempotent, POST and PATCH are not.
    idempotent: endpoint.idempotent ?? ['GET', 'PUT', 'DELETE'].includes(endpoint.method),
    startsSaga: endpoint.startsSaga?.saga ?? null,
  };
}

/**
 * Every event of the catalog with who publishes it and which consumer groups take it (as
 * runtime/bus and runtime/saga name them), by name.
 *
 * @param hosts - the services' host options as they run now
 * @example
 * const events = catalogEvents(running.hosts()); // [{ name: 'order.created', publishers: ['orders'], subscribers: [...] }, ...]
 */
export function catalogEvents(hosts: readonly ServiceHostOptions[]): CatalogEvent[] {
  const entries = new Map<string, { payload: string; version: number }>();
  for (const host of hosts) for (const [name, entry] of Object.entries(host.events)) entries.set(name, entry);
  return [...entries.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, entry]) => ({
      name,
      version: entry.version,
      payload: entry.payload,
      publishers: hosts.filter((h) => h.definition.publishes.includes(name)).map((h) => h.definition.name),
      subscribers: hosts.flatMap((host) => subscribersOf(host.definition, name)),
    }));
}

function subscribersOf(definition: ServiceDefinition, event: string): CatalogEvent['subscribers'] {
  const service = definition.name;
  // The event hooks share the service's group (subscribeAll); compensations and a saga owner's log have their own.
  const hooks = definition.subscriptions.filter((s) => s.event === event).map((s) => ({ service, group: service, handler: s.handler }));
  const compensations = (definition.choreographies ?? [])
    .filter((step) => step.compensate !== null && step.compensateOn.includes(event))
    .map((step) => ({ service, group: `${service}.compensations`, handler: step.compensate as string }));
  const sagaLog = (definition.choreographedSagas ?? []).some((saga) => saga.starts === event) ? [{ service, group: `${service}.sagaLog`, handler: 'sagaLog' }] : [];
  return [...hooks, ...compensations, ...sagaLog];
}

function catalogGateway(config: GatewayConfig, url: string | null): CatalogGateway {
  return {
    url: url ?? '',
    auth: config.auth ? ('jwt' in config.auth ? 'jwt' : 'delegate') : null,
    routes: config.routes.map((route) => ({
      prefix: route.prefix,
      service: route.service,
      rewrite: route.rewrite,
      methods: [...(route.methods ?? GATEWAY_METHODS)],
      public: route.public === true,
    })),
  };
}

/** Orchestrated sagas by host options: made once per host (a restart brings new options, hence a new entry). */
const orchestrated = new WeakMap<ServiceHostOptions, readonly SagaDefinition[]>();

/** A transport that never calls: making the saga definitions only reads their names and steps. */
const inert: ClientTransport = {
  call: () => Promise.reject(new Error('the dashboard reads saga definitions, it never runs them')),
  close: () => Promise.resolve(),
};

function catalogSagas(host: ServiceHostOptions): CatalogSaga[] {
  const owner = host.definition.name;
  let definitions = orchestrated.get(host);
  if (definitions === undefined) {
    definitions = host.sagas ? host.sagas(() => inert, () => ({})) : [];
    orchestrated.set(host, definitions);
  }
  return [
    ...definitions.map((saga): CatalogSaga => ({ name: saga.name, owner, kind: 'orchestrated', steps: saga.steps.map((s) => s.name) })),
    ...(host.definition.choreographedSagas ?? []).map((saga): CatalogSaga => ({ name: saga.saga, owner, kind: 'choreographed', steps: saga.steps.map((s) => s.step) })),
  ];
}
