// Checks of a gateway route's own settings: the methods it lists against those its service's
// endpoints take, and a body limit the services would refuse anyway.
import { parseSize } from '../../../common/units.js';
import type { Declared, SpecIndex } from '../collect.js';
import type { RouteMethod } from '../gateway-routes.js';
import { DEFAULT_BODY_LIMIT } from '../http-defaults.js';
import type { SpecDocument, SpecPath } from '../load.js';
import type { RawGatewayRoute, RawService } from '../raw.js';
import type { Reporter } from './reporter.js';

/** A method that does the other's job, suggested for a method no endpoint takes. */
const SIBLING_METHOD: Readonly<Partial<Record<RouteMethod, RouteMethod>>> = { PUT: 'PATCH', PATCH: 'PUT' };

/**
 * Reports each method in a route's `methods` that no endpoint under the route takes: the gateway
 * would forward it only for the service to refuse it. A service whose hook file adds routes
 * (`http.extraRoutes`) may take any method, so its routes are not judged.
 *
 * @param doc - the mesh file
 * @param at - the route's path in it
 * @param route - the route
 * @param service - the service it forwards to
 * @param upstream - the path its prefix becomes
 * @param taken - the methods of the endpoints under `upstream` (at least one)
 * @param report - where diagnostics go
 * @example
 * checkRouteMethods(doc, ['gateway', 'routes', 0], route, users, '/users', ['GET', 'POST'], report);
 */
export function checkRouteMethods(
  doc: SpecDocument,
  at: SpecPath,
  route: RawGatewayRoute,
  service: Declared<RawService>,
  upstream: string,
  taken: readonly RouteMethod[],
  report: Reporter,
): void {
  if (route.methods === undefined || service.raw.http?.extraRoutes === true) return;
  route.methods.forEach((method, j) => {
    if (taken.includes(method)) return;
    const sibling = SIBLING_METHOD[method];
    const advice = sibling !== undefined && taken.includes(sibling) ? `did you mean \`${sibling}\`?` : 'remove it, or leave `methods` out to take exactly theirs';
    report.error(
      doc,
      [...at, 'methods', j],
      'route-method-unused',
      `no endpoint of \`${service.name}\` under \`${upstream || '/'}\` takes \`${method}\` (they take ${taken.join(', ')}), so the gateway would forward it only to be refused; ${advice}`,
    );
  });
}

/**
 * Warns of a route's `bodyLimit` above the services' own (`runtime.bodyLimit`): the gateway would
 * forward bodies its service then refuses with 413.
 *
 * @param index - the spec
 * @param report - where diagnostics go
 * @example
 * checkRouteBodyLimits(index, report);
 */
export function checkRouteBodyLimits(index: SpecIndex, report: Reporter): void {
  const mesh = index.mesh;
  const gateway = mesh?.raw.gateway;
  if (!mesh || !gateway) return;
  const serviceLimitText = mesh.raw.runtime?.bodyLimit ?? DEFAULT_BODY_LIMIT;
  const serviceLimit = parseSize(serviceLimitText);
  gateway.routes.forEach((route, i) => {
    if (route.bodyLimit === undefined || serviceLimit === undefined) return;
    const limit = parseSize(route.bodyLimit);
    if (limit === undefined || limit <= serviceLimit) return;
    report.warning(
      mesh.doc,
      ['gateway', 'routes', i, 'bodyLimit'],
      'route-body-limit-above-service',
      `the services refuse bodies over \`${serviceLimitText}\` themselves (\`runtime.bodyLimit\`), so this route's \`${route.bodyLimit}\` lets larger bodies through only to be refused; raise \`runtime.bodyLimit\` too, or lower this`,
    );
  });
}
