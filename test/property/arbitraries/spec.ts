// A whole spec that should validate: one to five services with distinct ports, mesh-level types and
// events, services declared against them, a gateway in front. `validSpec` is the arbitrary.
import { declarePolicies } from './policies.js';
import type fc from 'fast-check';
import { built, type Choose } from './choose.js';
import { declareBus, declareEvents, declareGateway, meshHeader } from './mesh.js';
import { derivedNames, MESH_NAMES, OPERATION_NAMES, SERVICE_NAMES, serviceNameRisk } from './names.js';
import type { RenderStyle, SpecPlan } from './plan.js';
import { declareService, type MeshContext } from './services.js';
import { declareTypes } from './types.js';

export const validSpec: fc.Arbitrary<SpecPlan> = built(buildSpec);

export function buildSpec(choose: Choose): SpecPlan {
  const meshName = choose.pick(MESH_NAMES);
  const namespace = choose.chance(0.2) ? choose.pick(['default', 'prod', 'kubernetes', 'x']) : undefined;
  const withGateway = choose.chance(0.6);
  const ports = new Set<number>();
  const port = (): number => {
    let p = choose.pick([3000, 8080, 1024, 50051, 65535, 3001, 9000]);
    while (ports.has(p)) p = p === 65535 ? 1024 : p + 1;
    ports.add(p);
    return p;
  };
  const gatewayPort = port();

  const count = choose.int(1, 5);
  const names = new Set<string>();
  const services: MeshContext['services'][number][] = [];
  while (names.size < count) {
    const name = choose.pick(SERVICE_NAMES);
    if (names.has(name)) continue;
    const grpc = choose.chance(0.5);
    // Names the checks reject in this mesh are the mutation tests' business, not this arbitrary's.
    if (serviceNameRisk(name, { gateway: withGateway, namespace: namespace ?? meshName, grpc })) continue;
    names.add(name);
    services.push({ name, grpc, http: port(), ...(grpc && { grpcPort: port() }) });
  }

  const mesh = meshHeader(choose, meshName, namespace);
  const taken = new Set<string>();
  // Names the generator derives: mostly for services this mesh does not have (they must stay free),
  // now and then for its own (the clash checks must reject exactly those).
  const absent = SERVICE_NAMES.filter((n) => !names.has(n)).slice(0, 8);
  const tricky = [
    ...derivedNames({ services: absent, endpoints: OPERATION_NAMES.slice(0, 6), enums: [], mesh: 'other' }),
    ...derivedNames({ services: [...names], endpoints: [], enums: [], mesh: meshName }).slice(0, 3),
  ];
  const meshTypes = declareTypes(choose, { visible: [], taken, tricky, minimum: { queryable: 0, records: 1 } });
  if (meshTypes.plans.length > 0) mesh.types = meshTypes.plans;
  const plans = new Map(meshTypes.plans.map((p) => [p.name, p]));
  const events = declareEvents(choose, meshTypes.declared.filter((t) => t.kind === 'record'));
  if (events.length > 0) mesh.events = events;

  const enums = meshTypes.declared.filter((t) => t.kind === 'enum').map((t) => t.name);
  const context: MeshContext = {
    services,
    meshTypes: meshTypes.declared.map((t) => ({ ...t, plan: plans.get(t.name)! })),
    meshTaken: taken,
    events: events.map((e) => e.name),
    tricky: [...tricky, ...enums.map((e) => `${e}Values`)],
  };
  const servicePlans = services.map((s) => declareService(choose, s.name, context));
  if (withGateway) {
    const gateway = declareGateway(choose, gatewayPort, servicePlans);
    if (gateway !== undefined) mesh.gateway = gateway;
  }
  const style = renderStyle(choose);
  // Drawn last, so the specs drawn before it stay as they were for the same seed.
  const bus = declareBus(choose);
  if (bus !== undefined) mesh.runtime = { ...mesh.runtime, bus };
  declarePolicies(choose, mesh, servicePlans);
  return { mesh, services: servicePlans, style };
}

function renderStyle(choose: Choose): RenderStyle {
  const indent = choose.pick([2, 4] as const);
  const flowFields = choose.chance(0.5);
  if (choose.chance(0.5)) return { kind: 'hand', indent, flowFields, comments: choose.chance(0.5) };
  return { kind: 'yaml', indent, flowFields, quotes: choose.pick(['plain', 'single', 'double'] as const) };
}
