// A SpecPlan as the plain data of its YAML documents, keys in the order a person writes them. Both
// renderers print these; the file names are the spec folder's.
import type { BusPlan, DeployPlan, FieldPlan, GatewayPlan, MeshPlan, ServicePlan, SpecPlan, TypePlan } from './plan.js';

export type Data = string | number | boolean | Data[] | { [key: string]: Data };

export function specDocuments(plan: SpecPlan): { file: string; data: Record<string, Data> }[] {
  return [
    { file: 'mesh.yaml', data: meshData(plan.mesh) },
    ...plan.services.map((s) => ({ file: `services/${s.service}.yaml`, data: serviceData(s) })),
  ];
}

/** Drops undefined entries, keeping the order of the rest. */
function compact(entries: [string, Data | undefined][]): Record<string, Data> {
  const out: Record<string, Data> = {};
  for (const [key, value] of entries) if (value !== undefined) out[key] = value;
  return out;
}

function meshData(mesh: MeshPlan): Record<string, Data> {
  return compact([
    ['mesh', mesh.mesh],
    ['version', mesh.version],
    ['description', mesh.description],
    ['runtime', mesh.runtime && compact([['bodyLimit', mesh.runtime.bodyLimit], ['shutdownGrace', mesh.runtime.shutdownGrace], ['bus', mesh.runtime.bus && busData(mesh.runtime.bus)]])],
    ['deploy', mesh.deploy && compact([['namespace', mesh.deploy.namespace], ['registry', mesh.deploy.registry]])],
    ['policies', mesh.policies as Data | undefined],
    ['types', mesh.types && typesData(mesh.types)],
    ['events', mesh.events && Object.fromEntries(mesh.events.map((e) => [e.name, compact([['payload', e.payload], ['version', e.version], ['description', e.description]])]))],
    ['gateway', mesh.gateway && gatewayData(mesh.gateway)],
  ]);
}

function busData(bus: BusPlan): Record<string, Data> {
  return compact([
    ['kind', bus.kind],
    ['maxAttempts', bus.maxAttempts],
    ['retryDelay', bus.retryDelay],
    ['maxRetryDelay', bus.maxRetryDelay],
    ['claimIdle', bus.claimIdle],
    ['retention', bus.retention && compact([['maxLength', bus.retention.maxLength], ['maxAge', bus.retention.maxAge]])],
  ]);
}

function gatewayData(g: GatewayPlan): Record<string, Data> {
  return compact([
    ['port', g.port],
    ['timeout', g.timeout],
    ['bodyLimit', g.bodyLimit],
    ['routes', g.routes.map((r) => compact([['prefix', r.prefix], ['service', r.service], ['rewrite', r.rewrite]]))],
    ['deploy', g.deploy && deployData(g.deploy)],
  ]);
}

function serviceData(s: ServicePlan): Record<string, Data> {
  return compact([
    ['service', s.service],
    ['description', s.description],
    ['ports', compact([['http', s.ports.http], ['grpc', s.ports.grpc]])],
    ['calls', s.calls && Object.fromEntries(Object.entries(s.calls).map(([name, c]) => [name, compact([['transport', c.transport], ['policy', c.policy], ['endpoints', c.endpoints], ['balance', c.balance]])]))],
    ['types', s.types && typesData(s.types)],
    ['errors', s.errors && Object.fromEntries(s.errors.map((e) => [e.name, compact([['status', e.status], ['description', e.description]])]))],
    ['endpoints', s.endpoints && Object.fromEntries(s.endpoints.map((e) => [e.name, compact([
      ['description', e.description],
      ['http', e.http],
      ['status', e.status],
      ['input', e.input],
      ['output', e.output],
      ['errors', e.errors],
      ['emits', e.emits],
      ['idempotent', e.idempotent],
    ])]))],
    ['publishes', s.publishes],
    ['subscribes', s.subscribes],
    ['deploy', s.deploy && deployData(s.deploy)],
  ]);
}

export function typesData(types: TypePlan[]): Record<string, Data> {
  return Object.fromEntries(types.map((t) => [t.name, compact([
    ['description', t.description],
    ['fields', t.fields && Object.fromEntries(t.fields.map((f) => [f.name, fieldData(f)]))],
    ['reserved', t.reserved],
    ['enum', t.enum],
  ])]));
}

export function fieldData(f: FieldPlan): Record<string, Data> {
  return compact([
    ['type', f.type],
    ['enum', f.enum],
    ['items', f.items],
    ['values', f.values],
    ['format', f.format],
    ['pattern', f.pattern],
    ['minLength', f.minLength],
    ['maxLength', f.maxLength],
    ['minimum', f.minimum],
    ['maximum', f.maximum],
    ['minItems', f.minItems],
    ['maxItems', f.maxItems],
    ['optional', f.optional],
    ['field', f.field],
    ['description', f.description],
    ['example', f.example],
  ]);
}

function deployData(d: DeployPlan): Record<string, Data> {
  return compact([
    ['image', d.image],
    ['tag', d.tag],
    ['digest', d.digest],
    ['replicas', d.replicas],
    ['autoscaling', d.autoscaling && compact([['min', d.autoscaling.min], ['max', d.autoscaling.max], ['cpu', d.autoscaling.cpu]])],
    ['resources', d.resources && compact([['cpu', d.resources.cpu], ['memory', d.resources.memory]])],
    ['shutdownDelay', d.shutdownDelay],
    ['env', d.env],
    ['secrets', d.secrets],
  ]);
}
