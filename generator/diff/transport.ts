// Changes to how clients reach the services: the mesh name (the gRPC packages `<mesh>.<service>.v1`),
// services removed or added, a gRPC port dropped, the gateway's routes. Calls between services of the
// mesh are not judged: the mesh deploys callers and callees from one spec.
import type { GatewayRouteModel } from '../model/types.js';
import type { DiffContext } from './context.js';
import { compareEndpoints } from './endpoints.js';
import type { Finding } from './finding.js';

export function compareServices(context: DiffContext): Finding[] {
  const findings: Finding[] = [];
  const { locator, before, after } = context;
  if (before.name !== after.name) {
    findings.push({
      classification: 'breaking', code: 'grpc-package-changed', ...locator.at(null, ['mesh']),
      message: `mesh \`${before.name}\` renamed to \`${after.name}\`: every gRPC package (\`${before.name}.<service>.v1\`) and service name changes`,
      hint: `keep \`mesh: ${before.name}\``,
    });
  }
  for (const old of before.services) {
    const now = after.services.find((s) => s.name === old.name);
    if (!now) {
      findings.push({
        classification: 'breaking', code: 'service-removed', ...locator.at(null, ['mesh']),
        message: `service \`${old.name}\` removed, with its ${old.endpoints.length} endpoints (${old.file})`,
        hint: `keep it until no client calls it`,
      });
      continue;
    }
    if (old.ports.grpc !== null && now.ports.grpc === null) {
      findings.push({
        classification: 'breaking', code: 'grpc-removed', ...locator.at(now.name, ['ports']),
        message: `service \`${now.name}\` no longer serves gRPC: its gRPC clients fail`, hint: `keep \`ports.grpc\``,
      });
    } else if (old.ports.grpc === null && now.ports.grpc !== null) {
      findings.push({ classification: 'safe', code: 'grpc-added', ...locator.at(now.name, ['ports', 'grpc']), message: `service \`${now.name}\` now also serves gRPC` });
    }
    findings.push(...compareEndpoints(context, old, now));
  }
  for (const now of after.services.filter((s) => !before.services.some((o) => o.name === s.name))) {
    findings.push({ classification: 'safe', code: 'service-added', ...locator.at(now.name, ['service']), message: `service \`${now.name}\` added` });
  }
  return [...findings, ...compareGateway(context)];
}

function compareGateway(context: DiffContext): Finding[] {
  const { locator, before, after } = context;
  if (before.gateway === null) return [];
  if (after.gateway === null) {
    return [{ classification: 'breaking', code: 'gateway-removed', ...locator.at(null, ['mesh']), message: `the gateway was removed: clients outside the mesh lose every route`, hint: `keep \`gateway\`` }];
  }
  const findings: Finding[] = [];
  const routeAt = (route: GatewayRouteModel) => locator.gatewayRoute(route.prefix);
  for (const old of before.gateway.routes) {
    const now = after.gateway.routes.find((r) => r.prefix === old.prefix);
    if (!now) {
      findings.push({
        classification: 'breaking', code: 'route-removed', ...locator.at(null, ['gateway', 'routes']),
        message: `gateway route \`${old.prefix}\` (to \`${old.service}\`) removed`, hint: `keep the route until no client calls it`,
      });
      continue;
    }
    if (now.service !== old.service || now.rewrite !== old.rewrite) {
      findings.push({
        classification: 'breaking', code: 'route-target-changed', ...routeAt(now),
        message: `gateway route \`${now.prefix}\`: \`${old.service}${old.rewrite}\` -> \`${now.service}${now.rewrite}\``,
        hint: `clients keep calling the same paths: add a new prefix for the new target`,
      });
    }
    if (old.public === true && now.public !== true) {
      findings.push({
        classification: 'breaking', code: 'route-auth-required', ...routeAt(now),
        message: `gateway route \`${now.prefix}\` now needs authentication: anonymous clients are refused`, hint: `keep \`public: true\``,
      });
    }
    // Methods the spec does not list follow the endpoints, whose own changes are reported with them.
    const lost = !locator.has(null, ['gateway', 'routes', locator.gatewayRouteIndex(now.prefix), 'methods']) ? [] : (old.methods ?? allMethods).filter((m) => !(now.methods ?? allMethods).includes(m));
    if (lost.length > 0) {
      findings.push({
        classification: 'breaking', code: 'route-methods-narrowed', ...routeAt(now),
        message: `gateway route \`${now.prefix}\` no longer forwards ${lost.join(', ')}`, hint: `keep forwarding ${lost.join(', ')} until no client uses them`,
      });
    }
  }
  for (const now of after.gateway.routes.filter((r) => !before.gateway!.routes.some((o) => o.prefix === r.prefix))) {
    findings.push({ classification: 'safe', code: 'route-added', ...routeAt(now), message: `gateway route \`${now.prefix}\` added` });
  }
  return findings;
}

const allMethods = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;

