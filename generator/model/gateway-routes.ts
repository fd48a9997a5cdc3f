// A gateway route in the runtime's terms: its rewrite, its own limits in bytes and ms, and the
// methods it forwards, derived from the service's endpoints when the spec lists none, so the gateway
// answers 405 itself for a method no endpoint under the route has.
import { parseDuration, parseSize } from '../../common/units.js';
import type { SpecIndex } from '../language/collect.js';
import { endpointMethodsUnder, upstreamPath, type RouteMethod } from '../language/gateway-routes.js';
import type { RawGatewayRoute } from '../language/raw.js';
import { routeRateLimit } from './gateway-security.js';
import type { GatewayMethod, GatewayRouteModel } from './types.js';

/** Every method a route may take, in the order `Allow` names them (runtime/gateway/route-methods.ts's GATEWAY_METHODS). */
export const GATEWAY_METHOD_ORDER: readonly GatewayMethod[] = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

/**
 * A route of a spec that passed every check; its own keys only where the spec sets them.
 *
 * @param index - the checked spec (the route's service is looked up in it)
 * @param raw - the route as the spec writes it
 * @example
 * buildGatewayRoute(index, { prefix: '/api/v1/products', service: 'inventory', rewrite: '/products', timeout: '3s' });
 * // { prefix: '/api/v1/products', service: 'inventory', rewrite: '/products', methods: ['GET', 'HEAD', 'OPTIONS'], timeoutMs: 3000 }
 */
export function buildGatewayRoute(index: SpecIndex, raw: RawGatewayRoute): GatewayRouteModel {
  const rateLimit = routeRateLimit(raw.rateLimit);
  const methods = routeMethods(index, raw);
  return {
    prefix: raw.prefix,
    service: raw.service,
    rewrite: raw.rewrite ?? raw.prefix,
    ...(raw.public === true && { public: true }),
    ...(rateLimit !== undefined && { rateLimit }),
    ...(methods !== undefined && { methods }),
    ...(raw.bodyLimit !== undefined && { bodyLimitBytes: parseSize(raw.bodyLimit) ?? internal(raw.bodyLimit) }),
    ...(raw.timeout !== undefined && { timeoutMs: parseDuration(raw.timeout) ?? internal(raw.timeout) }),
  };
}

/** The spec's methods, else its endpoints' (none known when a hook file adds routes), with HEAD and OPTIONS. */
function routeMethods(index: SpecIndex, raw: RawGatewayRoute): GatewayMethod[] | undefined {
  const service = index.services.get(raw.service);
  if (!service) throw new Error(`internal: gateway route to unknown service ${raw.service}`);
  let listed: readonly RouteMethod[];
  if (raw.methods !== undefined) listed = raw.methods;
  else if (service.raw.http?.extraRoutes === true) return undefined;
  else listed = endpointMethodsUnder(Object.values(service.raw.endpoints ?? {}), upstreamPath(raw));
  const taken = new Set<GatewayMethod>([...listed, 'OPTIONS']);
  if (taken.has('GET')) taken.add('HEAD');
  return GATEWAY_METHOD_ORDER.filter((method) => taken.has(method));
}

function internal(text: string): never {
  throw new Error(`internal: ${text} passed the schema but is not a size or a duration`);
}
