// One service file: ports, calls (gRPC only to services with a gRPC port), its own types and errors,
// endpoints, events it publishes and handles, deploy.
import type { Choose } from './choose.js';
import { deploy } from './deploy.js';
import { declareEndpoints } from './endpoints.js';
import { ERROR_NAMES, OPERATION_NAMES } from './names.js';
import type { ServicePlan, TypePlan } from './plan.js';
import { maybeDescription } from './text.js';
import { declareTypes, type DeclaredType } from './types.js';

/** What a service can see of the mesh while it is being declared. */
export interface MeshContext {
  /** Every service of the mesh, with whether it has a gRPC port. */
  services: readonly { name: string; grpc: boolean; http: number; grpcPort?: number }[];
  meshTypes: readonly (DeclaredType & { plan: TypePlan })[];
  /** Names a service's type may not take: mesh-level types and their inline enums. */
  meshTaken: ReadonlySet<string>;
  events: readonly string[];
  /** Generated names of this spec, offered as type names now and then. */
  tricky: readonly string[];
}

export function declareService(choose: Choose, name: string, mesh: MeshContext): ServicePlan {
  const me = mesh.services.find((s) => s.name === name)!;
  const service: ServicePlan = { service: name, ports: { http: me.http } };
  const description = maybeDescription(choose, 0.3);
  if (description !== undefined) service.description = description;
  if (me.grpcPort !== undefined) service.ports.grpc = me.grpcPort;

  const calls: NonNullable<ServicePlan['calls']> = {};
  for (const callee of choose.some(mesh.services.filter((s) => s.name !== name), 3)) {
    const transport = callee.grpc ? choose.pick(['http', 'grpc', undefined] as const) : choose.pick(['http', undefined] as const);
    calls[callee.name] = transport === undefined ? {} : { transport };
  }
  if (Object.keys(calls).length > 0) service.calls = calls;

  const taken = new Set(mesh.meshTaken);
  const own = declareTypes(choose, {
    visible: mesh.meshTypes,
    taken,
    tricky: mesh.tricky,
    minimum: { queryable: 0, records: 0 },
  });
  if (own.plans.length > 0) service.types = own.plans;

  const errors = new Set<string>();
  for (let i = choose.int(0, 2); i > 0; i--) errors.add(choose.pick(ERROR_NAMES));
  if (errors.size > 0) {
    service.errors = [...errors].map((e) => {
      const d = maybeDescription(choose, 0.3);
      return { name: e, status: choose.pick([400, 404, 409, 418, 422, 429, 451, 500, 502, 503, 599]), ...(d !== undefined && { description: d }) };
    });
  }

  const plans = new Map([...mesh.meshTypes.map((t) => [t.name, t.plan] as const), ...own.plans.map((p) => [p.name, p] as const)]);
  const visible = [...mesh.meshTypes, ...own.declared];
  service.endpoints = declareEndpoints(choose, {
    records: visible.filter((t) => t.kind === 'record').map((t) => ({ ...t, plan: plans.get(t.name)! })),
    enums: new Set(visible.filter((t) => t.kind === 'enum').map((t) => t.name)),
    errors: [...errors],
    events: mesh.events,
    taken,
  });
  if (service.endpoints.length === 0) delete service.endpoints;

  const publishes = choose.some(mesh.events, 2);
  if (publishes.length > 0) service.publishes = publishes;
  const subscribes: Record<string, string> = {};
  const handlers = new Set<string>();
  for (const event of choose.some(mesh.events, 3)) {
    const handler = choose.pick(OPERATION_NAMES);
    if (handlers.has(handler)) continue;
    handlers.add(handler);
    subscribes[event] = handler;
  }
  if (Object.keys(subscribes).length > 0) service.subscribes = subscribes;
  const deployment = deploy(choose);
  if (deployment !== undefined) service.deploy = deployment;
  return service;
}
