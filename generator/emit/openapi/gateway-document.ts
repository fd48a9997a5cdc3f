// The OpenAPI document a client of the gateway reads (served at `/openapi.json`): the services'
// documents merged under the gateway's public paths, with what the gateway itself may answer (401,
// 403, 404, 405, 413, 429, 502, 503, 504) and, when it authenticates, the bearer security scheme.
// Paths no route reaches, and operations whose method their route does not take, are left out: they
// are not part of the public API.
import type { GatewayMethod, GatewayRouteModel, MeshModel, ServiceModel } from '../../model/types.js';
import { buildOpenApiDocument } from './document.js';
import { errorBodySchema, schemaRefPrefix } from './schemas.js';
import type { OpenApiDocument, Operation, Response } from './types.js';

/**
 * What the gateway adds around the services: whether it authenticates (and which routes are public),
 * and whether it limits rates.
 *
 * @example
 * const front: GatewayFront = { authenticates: true, publicPrefixes: new Set(['/api/v1/products']), rateLimited: true };
 */
export interface GatewayFront {
  readonly authenticates: boolean;
  /** Prefixes of the routes served without authentication. */
  readonly publicPrefixes: ReadonlySet<string>;
  readonly rateLimited: boolean;
}

/**
 * What the mesh's gateway adds, as its model says.
 *
 * @param model - the mesh (its gateway must be set)
 * @example
 * buildGatewayDocument(model, gatewayFront(model));
 */
export function gatewayFront(model: MeshModel): GatewayFront {
  const gateway = model.gateway;
  if (gateway === null) throw new Error('internal: the gateway front of a mesh without a gateway');
  return {
    authenticates: gateway.auth !== undefined,
    publicPrefixes: new Set(gateway.routes.filter((route) => route.public === true).map((route) => route.prefix)),
    rateLimited: gateway.rateLimit !== undefined || gateway.routes.some((route) => route.rateLimit !== undefined && route.rateLimit !== false),
  };
}

const RESPONSE_PREFIX = '#/components/responses/';
const ERROR_SCHEMA = 'GatewayError';
const SECURITY_SCHEME = 'bearerAuth';

/** The gateway's own answers, by status: the component name and when it happens. */
const GATEWAY_RESPONSES: readonly (readonly [status: string, name: string, description: string, when: keyof GatewayFront | 'always'])[] = [
  ['401', 'GatewayUnauthorized', 'Unauthorized: no valid bearer token (missing, malformed, expired, not yet valid, wrong issuer or audience, bad signature).', 'authenticates'],
  ['404', 'GatewayNotFound', 'NotFound: no route for this path.', 'always'],
  ['405', 'GatewayMethodNotAllowed', 'MethodNotAllowed: the route does not take this method; Allow lists those it does.', 'always'],
  ['413', 'GatewayPayloadTooLarge', 'PayloadTooLarge: the request body is larger than the route accepts (its own limit, else the gateway\'s).', 'always'],
  ['429', 'GatewayTooManyRequests', 'TooManyRequests: the rate limit is reached; Retry-After says when to retry.', 'rateLimited'],
  ['502', 'GatewayBadGateway', 'BadGateway: the service failed to answer.', 'always'],
  ['503', 'GatewayUnavailable', 'Unavailable: the service cannot be reached or is busy, or the keys that verify tokens cannot be fetched.', 'always'],
  ['504', 'GatewayTimeout', 'Timeout: the service did not answer within the route\'s timeout (its own, else the gateway\'s).', 'always'],
];

/**
 * The gateway's document: one path per service path a route reaches, under its public prefix.
 *
 * @param model - the mesh (its gateway must be set)
 * @param front - what the gateway adds
 * @returns the merged OpenAPI 3.1 document
 * @throws Error when the mesh has no gateway (an internal error: the emitter checks first)
 * @example
 * const doc = buildGatewayDocument(model, { authenticates: false, publicPrefixes: new Set(), rateLimited: false });
 * Object.keys(doc.paths ?? {}); // ['/api/v1/orders', '/api/v1/orders/{id}', ...]
 */
export function buildGatewayDocument(model: MeshModel, front: GatewayFront): OpenApiDocument {
  const gateway = model.gateway;
  if (gateway === null) throw new Error('internal: the gateway document of a mesh without a gateway');
  const responses = gatewayResponses(front);
  const schemas: Record<string, unknown> = { [ERROR_SCHEMA]: errorBodySchema() };
  const sharedResponses: Record<string, unknown> = Object.fromEntries(responses.map(([, name, response]) => [name, response]));
  const paths: Record<string, Record<string, Operation>> = {};
  const operationIds = new Set<string>();
  const tags: { name: string; description?: string }[] = [];

  for (const service of routedServices(model, gateway.routes)) {
    const doc = buildOpenApiDocument(model, service);
    const rename = componentRenames(doc, schemas, sharedResponses, service);
    const renamedOperations = operationRenames(doc, operationIds, service);
    const renamed = rewriteRefs(doc, rename, renamedOperations) as OpenApiDocument;
    for (const [name, schema] of Object.entries(renamed.components?.schemas ?? {})) schemas[rename.get(schemaRefPrefix + name)?.slice(schemaRefPrefix.length) ?? name] = schema;
    for (const [name, response] of Object.entries(renamed.components?.responses ?? {})) sharedResponses[rename.get(RESPONSE_PREFIX + name)?.slice(RESPONSE_PREFIX.length) ?? name] = response;
    tags.push(...(renamed.tags ?? []));

    for (const [path, item] of Object.entries(renamed.paths ?? {})) {
      const route = routeFor(gateway.routes, service.name, path);
      if (!route) continue;
      const publicPath = route.prefix + path.slice(trimSlash(route.rewrite).length);
      if (paths[publicPath]) continue; // a longer prefix's route already owns it
      const isPublic = !front.authenticates || front.publicPrefixes.has(route.prefix);
      const operations: Record<string, Operation> = {};
      for (const [method, operation] of Object.entries(item as Record<string, Operation>)) {
        if (route.methods && !route.methods.includes(method.toUpperCase() as GatewayMethod)) continue; // answered 405 by the gateway
        if (operation.operationId) operationIds.add(operation.operationId);
        operations[method] = withGatewayAnswers(operation, responses, front.authenticates, isPublic);
      }
      if (Object.keys(operations).length > 0) paths[publicPath] = operations;
    }
  }

  pruneLinks(paths);
  const sortedPaths = Object.fromEntries(Object.entries(paths).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return {
    openapi: '3.1.0',
    info: {
      title: `${model.name} API`,
      version: model.version,
      description: `The public API of the ${model.name} mesh, as its gateway serves it.`,
    },
    servers: [{ url: `http://localhost:${gateway.port}`, description: 'The gateway on a developer machine.' }],
    tags,
    paths: sortedPaths,
    components: {
      schemas: sortKeys(schemas) as never,
      responses: sortKeys(sharedResponses) as never,
      ...(front.authenticates ? { securitySchemes: { [SECURITY_SCHEME]: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } } : {}),
    },
  };
}

/**
 * Drops the links to operations the document leaves out (no route reaches them, or their route does
 * not take their method): a link must name an operation of its document.
 */
function pruneLinks(paths: Record<string, Record<string, Operation>>): void {
  const kept = new Set<string>();
  for (const item of Object.values(paths)) for (const operation of Object.values(item)) if (operation.operationId) kept.add(operation.operationId);
  for (const item of Object.values(paths)) {
    for (const operation of Object.values(item)) {
      for (const response of Object.values(operation.responses ?? {}) as { links?: Record<string, { operationId?: string }> }[]) {
        if (!response.links) continue;
        for (const [name, link] of Object.entries(response.links)) if (link.operationId && !kept.has(link.operationId)) delete response.links[name];
        if (Object.keys(response.links).length === 0) delete response.links;
      }
    }
  }
}

function routedServices(model: MeshModel, routes: readonly GatewayRouteModel[]): ServiceModel[] {
  const names = [...new Set(routes.map((route) => route.service))].sort();
  return model.services.filter((service) => names.includes(service.name)).sort((a, b) => (a.name < b.name ? -1 : 1));
}

/** The route (longest prefix first, as the gateway tries them) whose rewrite reaches `path` of `service`. */
function routeFor(routes: readonly GatewayRouteModel[], service: string, path: string): GatewayRouteModel | undefined {
  return routes.find((route) => {
    if (route.service !== service) return false;
    const rewrite = trimSlash(route.rewrite);
    return rewrite === '' || path === rewrite || path.startsWith(`${rewrite}/`);
  });
}

function trimSlash(path: string): string {
  return path.endsWith('/') ? path.slice(0, -1) : path;
}

type GatewayResponse = readonly [status: string, name: string, response: Response];

function gatewayResponses(front: GatewayFront): GatewayResponse[] {
  return GATEWAY_RESPONSES.filter(([, , , when]) => when === 'always' || front[when] === true).map(([status, name, description]) => {
    const headers: Response['headers'] =
      status === '429'
        ? { 'Retry-After': { description: 'Seconds to wait before retrying.', schema: { type: 'integer', minimum: 1 } } }
        : status === '401'
          ? { 'WWW-Authenticate': { description: 'The bearer challenge (RFC 6750).', schema: { type: 'string' } } }
          : status === '405'
            ? { Allow: { description: 'The methods the route takes, e.g. `GET, HEAD, OPTIONS`.', schema: { type: 'string' } } }
            : undefined;
    const response: Response = {
      description,
      ...(headers ? { headers } : {}),
      content: { 'application/json': { schema: { $ref: schemaRefPrefix + ERROR_SCHEMA } } },
    };
    return [status, name, response] as const;
  });
}

/** `operation` with the gateway's answers (where the service does not answer that status itself) and its security requirement. */
function withGatewayAnswers(operation: Operation, responses: readonly GatewayResponse[], authenticates: boolean, isPublic: boolean): Operation {
  const merged: Record<string, unknown> = { ...operation.responses };
  for (const [status, name] of responses) {
    if (status === '401' && isPublic) continue;
    if (!(status in merged)) merged[status] = { $ref: RESPONSE_PREFIX + name };
  }
  const ordered = Object.fromEntries(Object.entries(merged).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return {
    ...operation,
    ...(authenticates ? { security: isPublic ? [] : [{ [SECURITY_SCHEME]: [] }] } : {}),
    responses: ordered as Operation['responses'],
  };
}

/**
 * New names for the components of `doc` that clash with different ones already merged: the service's
 * name in front (`Item` becomes `StockItem`), by full `$ref`.
 */
function componentRenames(doc: OpenApiDocument, schemas: Record<string, unknown>, responses: Record<string, unknown>, service: ServiceModel): Map<string, string> {
  const rename = new Map<string, string>();
  const prefix = service.name.charAt(0).toUpperCase() + service.name.slice(1);
  const plan = (kind: string, merged: Record<string, unknown>, own: Record<string, unknown>) => {
    for (const [name, value] of Object.entries(own)) {
      if (!(name in merged) || JSON.stringify(merged[name]) === JSON.stringify(value)) continue;
      let fresh = `${prefix}${name}`;
      for (let n = 2; fresh in merged || fresh in own; n++) fresh = `${prefix}${name}${n}`;
      rename.set(kind + name, kind + fresh);
    }
  };
  plan(schemaRefPrefix, schemas, (doc.components?.schemas ?? {}) as Record<string, unknown>);
  plan(RESPONSE_PREFIX, responses, (doc.components?.responses ?? {}) as Record<string, unknown>);
  return rename;
}

/** New ids for the operations of `doc` whose id another service's operation already has: the service's name in front. */
function operationRenames(doc: OpenApiDocument, taken: ReadonlySet<string>, service: ServiceModel): Map<string, string> {
  const rename = new Map<string, string>();
  for (const item of Object.values(doc.paths ?? {})) {
    for (const operation of Object.values(item as Record<string, Operation>)) {
      const id = operation.operationId;
      if (id && taken.has(id)) rename.set(id, `${service.name}_${id}`);
    }
  }
  return rename;
}

/**
 * A deep copy of `value` with every `$ref` in `refs` and every `operationId` (an operation's own, or
 * a link's) in `operations` replaced.
 */
function rewriteRefs(value: unknown, refs: ReadonlyMap<string, string>, operations: ReadonlyMap<string, string>): unknown {
  if (Array.isArray(value)) return value.map((item) => rewriteRefs(item, refs, operations));
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    if (key === '$ref' && typeof child === 'string') out[key] = refs.get(child) ?? child;
    else if (key === 'operationId' && typeof child === 'string') out[key] = operations.get(child) ?? child;
    else out[key] = rewriteRefs(child, refs, operations);
  }
  return out;
}

function sortKeys(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
