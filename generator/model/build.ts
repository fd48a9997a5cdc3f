// Builds the normalized model from a spec index that passed every check. Resolves names, applies
// defaults, converts units and sorts everything, so emitters only print.
import { builtinErrorStatus, type BuiltinErrorCode } from '../../common/errors.js';
import { defaultGrpcStatus } from '../../common/grpc-status.js';
import { GATEWAY_METRICS_PORT } from '../../common/probes.js';
import { parseDuration, parseSize } from '../../common/units.js';
import { HEALTH_CHECK_DEFAULTS } from '../language/health-defaults.js';
import { lookupType, recordFields, type Declared, type SpecIndex, type TypeDeclaration } from '../language/collect.js';
import { BUS_DEFAULTS } from '../language/bus-defaults.js';
import { DEFAULT_BODY_LIMIT, DEFAULT_HTTP_BINDING } from '../language/http-defaults.js';
import { DEFAULT_POOL_SIZE } from '../language/storage-defaults.js';
import { handlerOf, type RawBus, type RawDeploy, type RawGroup, type RawMonitoring, type RawEndpoint, type RawField, type RawService, type RawStorage, type RawSubscription } from '../language/raw.js';
import { locate, type SpecDocument, type SpecPath } from '../language/load.js';
import { grpcMethodName, inlineEnumName, pathParams, sagaEventNames, sagaTypeNames, synthesizedInputName, typeKey } from '../naming/index.js';
import type {
  BusModel, DeployModel, EndpointModel, ErrorModel, EventModel, FieldModel, GatewayModel, GroupModel, HttpMethod, MeshModel, MonitoringModel, PolicyModel, ServiceModel,
  SourceRef, StorageModel, SubscriptionModel, TypeModel, TypeRef,
} from './types.js';
import { byKey, byName, compare } from './order.js';
import { buildGatewaySecurity } from './gateway-security.js';
import { buildGatewayRoute } from './gateway-routes.js';
import { buildCall, buildPolicies } from './policies.js';
import { buildSagas } from './sagas.js';
import { idempotentByDefault } from '../language/policy-defaults.js';

const DEFAULTS = {
  bodyLimit: DEFAULT_BODY_LIMIT,
  shutdownGrace: '10s',
  gatewayTimeout: '30s',
  gatewayMetricsPort: GATEWAY_METRICS_PORT,
  cpu: '100m',
  memory: '128Mi',
  // Long enough for endpoints, kube-proxy and ingresses to hear that a pod is going.
  shutdownDelay: '5s',
};
const PRIMITIVES = new Set(['string', 'integer', 'number', 'boolean']);

export function buildModel(index: SpecIndex, generatorVersion: string): MeshModel {
  const mesh = index.mesh;
  if (!mesh) throw new Error('buildModel needs a mesh file; the checks report its absence');
  const { raw } = mesh;
  const namespace = raw.deploy?.namespace ?? raw.mesh;
  const registry = raw.deploy?.registry ?? raw.mesh;
  const image = (name: string) => ({ repository: `${registry}/${name}`, version: raw.version });
  const sourceOf = (doc: SpecDocument, path: SpecPath): SourceRef => ({ file: doc.sourceName, ...locate(doc, path, { key: true }) });

  const policies = buildPolicies(raw.policies);
  const types = [...index.types.values()].map((d) => buildType(d, sourceOf(d.doc, d.path))).sort(byKey);
  const services = [...index.services.values()]
    .map((service) => buildService(index, service, sourceOf, image(service.name), policies))
    .sort(byName);
  const events: EventModel[] = [...index.events.values()]
    .map((event) => ({
      name: event.name,
      ...(event.raw.description !== undefined && { description: event.raw.description }),
      payload: event.raw.payload,
      ...(event.owner !== undefined && { payloadScope: event.owner }),
      version: event.raw.version ?? 1,
      accepts: Object.entries(event.raw.accepts ?? {})
        .map(([version, accepted]) => ({ version: Number(version), payload: accepted.payload }))
        .sort((a, b) => a.version - b.version),
      publishers: services.filter((s) => s.publishes.includes(event.name)).map((s) => s.name),
      subscribers: services.flatMap((s) => s.subscribes.filter((x) => x.event === event.name).map((x) => ({ service: s.name, handler: x.handler }))),
      source: sourceOf(event.doc, event.path),
    }))
    .sort(byName);

  let gateway: GatewayModel | null = null;
  if (raw.gateway) {
    const g = raw.gateway;
    gateway = {
      port: g.port,
      metricsPort: g.metricsPort ?? DEFAULTS.gatewayMetricsPort,
      routes: g.routes
        .map((r) => buildGatewayRoute(index, r))
        .sort((a, b) => b.prefix.length - a.prefix.length || compare(a.prefix, b.prefix)),
      timeoutMs: duration(g.timeout ?? DEFAULTS.gatewayTimeout),
      bodyLimitBytes: size(g.bodyLimit ?? DEFAULTS.bodyLimit),
      ...buildGatewaySecurity(index, g),
      ...(g.ingress && { ingress: { host: g.ingress.host, ...(g.ingress.class !== undefined && { className: g.ingress.class }), ...(g.ingress.tlsSecret !== undefined && { tlsSecret: g.ingress.tlsSecret }) } }),
      deploy: buildDeploy(g.deploy, image('gateway')),
      source: sourceOf(mesh.doc, ['gateway']),
    };
  }

  const groups = Object.entries(raw.deploy?.groups ?? {})
    .map(([name, group]) => buildGroup(name, group, services, image(name), sourceOf(mesh.doc, ['deploy', 'groups', name])))
    .sort(byName);

  return {
    name: raw.mesh,
    version: raw.version,
    generatorVersion,
    files: [mesh.doc.sourceName, ...[...index.services.values()].map((s) => s.doc.sourceName)].sort(),
    meshFile: mesh.doc.sourceName,
    runtime: {
      bodyLimitBytes: size(raw.runtime?.bodyLimit ?? DEFAULTS.bodyLimit),
      shutdownGraceMs: duration(raw.runtime?.shutdownGrace ?? DEFAULTS.shutdownGrace),
      bus: buildBus(raw.runtime?.bus),
    },
    policies,
    deploy: { namespace, registry, ...monitoringOf(raw.deploy?.monitoring), ...(raw.deploy?.idempotencyStore && { idempotencyStore: raw.deploy.idempotencyStore }) },
    types,
    events,
    services,
    ...(groups.length > 0 && { groups }),
    gateway,
  };
}

/**
 * A group with its members sorted and one environment for its process: the group's variables and
 * every member's (the checks made sure no variable has two values).
 */
function buildGroup(name: string, raw: RawGroup, services: ServiceModel[], image: DefaultImage, source: SourceRef): GroupModel {
  const members = [...new Set(raw.services)].sort(compare);
  const deploy = buildDeploy(raw, image);
  const grouped = services.filter((s) => members.includes(s.name));
  const env = new Map(deploy.env.map((e) => [e.name, e]));
  const secrets = new Map(deploy.secrets.map((s) => [s.env, s]));
  for (const service of grouped) {
    for (const e of service.deploy.env) if (!env.has(e.name)) env.set(e.name, e);
    for (const s of service.deploy.secrets) if (!secrets.has(s.env)) secrets.set(s.env, s);
  }
  return {
    name,
    services: members,
    deploy: {
      ...deploy,
      env: [...env.values()].sort((a, b) => compare(a.name, b.name)),
      secrets: [...secrets.values()].sort((a, b) => compare(a.env, b.env)),
    },
    source,
  };
}

function buildType(declaration: TypeDeclaration, source: SourceRef): TypeModel {
  const description = declaration.form === 'synthesized-input' ? undefined : declaration.raw.description;
  const common = { name: declaration.name, owner: declaration.owner, ...(description !== undefined && { description }), source };
  if (declaration.form === 'inline-enum') return { kind: 'enum', ...common, values: [...declaration.raw.enum!], inline: true };
  if ((declaration.form === 'spec' || declaration.form === 'saga') && declaration.raw.enum) return { kind: 'enum', ...common, values: [...declaration.raw.enum], inline: false };
  const fields = recordFields(declaration)
    .map(([name, field]) => buildField(declaration.name, name, field))
    .sort((a, b) => a.number - b.number);
  const reserved = declaration.form === 'spec' ? [...(declaration.raw.reserved ?? [])].sort((a, b) => a - b) : [];
  return { kind: 'record', ...common, fields, reserved };
}

function buildField(typeName: string, name: string, field: RawField): FieldModel {
  const ref = (type: string): TypeRef => (PRIMITIVES.has(type) ? { kind: 'primitive', name: type as 'string' } : { kind: 'ref', name: type });
  let type: TypeRef;
  if (field.enum) type = { kind: 'ref', name: inlineEnumName(typeName, name) };
  else if (field.type === 'array') type = { kind: 'array', items: ref(field.items!) };
  else if (field.type === 'map') type = { kind: 'map', values: ref(field.values!) };
  else type = ref(field.type!);
  const constraints: FieldModel['constraints'] = {};
  for (const key of ['format', 'pattern', 'minLength', 'maxLength', 'minimum', 'maximum', 'minItems', 'maxItems'] as const) {
    if (field[key] !== undefined) (constraints as Record<string, unknown>)[key] = field[key];
  }
  return {
    name,
    number: field.field,
    optional: field.optional ?? false,
    ...(field.description !== undefined && { description: field.description }),
    type,
    constraints,
    ...(field.example !== undefined && { example: field.example }),
  };
}

function buildService(
  index: SpecIndex, service: Declared<RawService>, sourceOf: (doc: SpecDocument, path: SpecPath) => SourceRef, image: DefaultImage, policies: PolicyModel[],
): ServiceModel {
  const { raw, doc } = service;
  const custom = new Map(Object.entries(raw.errors ?? {}).map(([name, e]) => [name, { name, status: e.status, grpc: e.grpc ?? defaultGrpcStatus(e.status), ...(e.description !== undefined && { description: e.description }), builtin: false } satisfies ErrorModel]));
  const resolveError = (name: string): ErrorModel => {
    const status = builtinErrorStatus[name as BuiltinErrorCode];
    return custom.get(name) ?? { name, status, grpc: defaultGrpcStatus(status), builtin: true };
  };
  const endpoints = Object.entries(raw.endpoints ?? {})
    .map(([name, e]) => buildEndpoint(index, raw.service, name, e, resolveError, sourceOf(doc, ['endpoints', name])))
    .sort(byName);
  const errors = new Map<string, ErrorModel>(custom);
  for (const endpoint of endpoints) for (const error of endpoint.errors) errors.set(error.name, error);
  // A saga's service publishes its two events when it ends.
  const sagaEvents = Object.keys(raw.sagas ?? {}).flatMap((saga) => Object.values(sagaEventNames(saga)));
  const publishes = new Set([...(raw.publishes ?? []), ...endpoints.flatMap((e) => e.emits), ...sagaEvents]);
  return {
    name: raw.service,
    ...(raw.description !== undefined && { description: raw.description }),
    ports: { http: raw.ports.http, grpc: raw.ports.grpc ?? null },
    binding: raw.http?.binding ?? index.mesh?.raw.runtime?.http?.binding ?? DEFAULT_HTTP_BINDING,
    extraRoutes: raw.http?.extraRoutes ?? false,
    healthChecks: Object.entries(raw.health?.checks ?? {})
      .map(([name, check]) => ({
        name,
        timeoutMs: duration(check.timeout ?? HEALTH_CHECK_DEFAULTS.timeout),
        critical: check.critical ?? HEALTH_CHECK_DEFAULTS.critical,
        ...(check.description !== undefined && { description: check.description }),
      }))
      .sort(byName),
    types: [...index.types.values()].filter((t) => t.owner === raw.service).map((t) => t.name).sort(compare),
    errors: [...errors.values()].sort(byName),
    endpoints,
    calls: Object.entries(raw.calls ?? {}).map(([service, c]) => buildCall(service, c, policies)).sort((a, b) => compare(a.service, b.service)),
    publishes: [...publishes].sort(),
    subscribes: Object.entries(raw.subscribes ?? {}).map(([event, s]) => buildSubscription(event, s)).sort((a, b) => compare(a.event, b.event)),
    storage: buildStorage(raw.storage),
    ...(raw.sagas !== undefined && { sagas: buildSagas(index, service, (path) => sourceOf(doc, path)) }),
    deploy: buildDeploy(raw.deploy, image),
    file: doc.sourceName,
    source: sourceOf(doc, ['service']),
  };
}

function buildEndpoint(index: SpecIndex, service: string, name: string, raw: RawEndpoint, resolveError: (name: string) => ErrorModel, source: SourceRef): EndpointModel {
  const [method, path] = raw.http.split(' ') as [HttpMethod, string];
  const params = pathParams(path);
  const sagas = index.services.get(service)?.raw.sagas ?? {};
  // An endpoint that starts a saga takes the saga's input; one that watches it has the path param (the id).
  const sagaInput = raw.saga === undefined ? undefined : sagas[raw.saga]?.input;
  const inputName = raw.input ?? sagaInput ?? synthesizedInputName(name);
  const inputSynthesized = raw.input === undefined && sagaInput === undefined;
  const inputDeclaration = inputSynthesized ? index.types.get(typeKey(service, inputName)) : lookupType(index, service, inputName);
  if (!inputDeclaration) throw new Error(`internal: the input ${inputName} of ${service}.${name} passed the checks but is not declared`);
  const hasOwnFields = recordFields(inputDeclaration).some(([field]) => !params.includes(field));
  const inputSource = !hasOwnFields ? 'none' : method === 'GET' || method === 'DELETE' ? 'query' : 'body';
  const saga = raw.saga ?? raw.sagaStatus;
  const outputName = raw.output ?? (saga === undefined ? undefined : sagaTypeNames(saga).status);
  const output = outputName === undefined ? null : { type: outputName.replace(/\[\]$/, ''), list: outputName.endsWith('[]') };
  // A status endpoint answers NotFound for an id no saga has; a saga that failed with a code the
  // starting endpoint does not declare answers Conflict.
  const errors = [...(raw.errors ?? []), ...(raw.sagaStatus === undefined ? [] : ['NotFound']), ...(raw.saga === undefined ? [] : ['Conflict'])];
  const successStatus = raw.status ?? (output === null ? 204 : method === 'POST' ? 201 : 200);
  return {
    name,
    ...(raw.description !== undefined && { description: raw.description }),
    http: { method, path, pathParams: params, successStatus, inputSource },
    grpcMethod: grpcMethodName(name),
    input: inputName,
    inputSynthesized,
    output,
    errors: [...new Set(errors)].map(resolveError).sort(byName),
    emits: [...new Set(raw.emits ?? [])].sort(),
    idempotent: raw.idempotent ?? idempotentByDefault(method),
    ...(raw.saga !== undefined && { startsSaga: { saga: raw.saga, waitMs: sagaWait(raw.wait), statusPath: statusPath(index, service, raw.saga) } }),
    ...(raw.sagaStatus !== undefined && { sagaStatus: raw.sagaStatus }),
    source,
  };
}

/** `wait: 8s` in ms, `wait: true` until the caller's deadline; no `wait`: no waiting (202 at once). */
function sagaWait(wait: string | true | undefined): number | 'deadline' | null {
  if (wait === undefined) return null;
  return wait === true ? 'deadline' : duration(wait);
}

/** The path of the endpoint of `service` that answers the status of `saga`, for a 202's `Location`; null when none does. */
function statusPath(index: SpecIndex, service: string, saga: string): string | null {
  const endpoints = Object.values(index.services.get(service)?.raw.endpoints ?? {});
  const watcher = endpoints.find((e) => e.sagaStatus === saga);
  return watcher === undefined ? null : (watcher.http.split(' ')[1] ?? null);
}

function buildSubscription(event: string, raw: RawSubscription): SubscriptionModel {
  const maxAttempts = typeof raw === 'string' ? undefined : raw.maxAttempts;
  return { event, handler: handlerOf(raw), ...(maxAttempts !== undefined && { maxAttempts }) };
}

/** `storage: postgres` and `storage: { engine: postgres, pool: 20 }` alike; no `storage`, no database. */
function buildStorage(raw: RawStorage | undefined): StorageModel | null {
  if (raw === undefined) return null;
  if (typeof raw === 'string') return { engine: raw, poolSize: DEFAULT_POOL_SIZE };
  return { engine: raw.engine, poolSize: raw.pool ?? DEFAULT_POOL_SIZE };
}

function buildBus(raw: RawBus | undefined): BusModel {
  const maxAge = raw?.retention?.maxAge;
  return {
    kind: raw?.kind ?? BUS_DEFAULTS.kind,
    maxAttempts: raw?.maxAttempts ?? BUS_DEFAULTS.maxAttempts,
    retryDelayMs: duration(raw?.retryDelay ?? BUS_DEFAULTS.retryDelay),
    maxRetryDelayMs: duration(raw?.maxRetryDelay ?? BUS_DEFAULTS.maxRetryDelay),
    claimIdleMs: duration(raw?.claimIdle ?? BUS_DEFAULTS.claimIdle),
    maxLength: raw?.retention?.maxLength ?? BUS_DEFAULTS.maxLength,
    maxAgeMs: maxAge === undefined ? null : duration(maxAge),
  };
}

/** A workload's default image: `<registry>/<name>` and the mesh's version, which `deploy.tag` replaces. */
interface DefaultImage {
  repository: string;
  version: string;
}

function buildDeploy(raw: RawDeploy | undefined, image: DefaultImage): DeployModel {
  const cpu = raw?.resources?.cpu ?? DEFAULTS.cpu;
  const memory = raw?.resources?.memory ?? DEFAULTS.memory;
  const autoscaling = raw?.autoscaling && { min: raw.autoscaling.min ?? 1, max: raw.autoscaling.max, cpuPercent: percent(raw.autoscaling.cpu) };
  return {
    image: raw?.image ?? `${image.repository}:${raw?.tag ?? image.version}${raw?.digest === undefined ? '' : `@${raw.digest}`}`,
    replicas: autoscaling ? autoscaling.min : (raw?.replicas ?? 1),
    ...(autoscaling && { autoscaling }),
    // CPU may burst to twice the request; memory is not overcommitted (request = limit).
    resources: { requests: { cpu, memory }, limits: { cpu: doubleCpu(cpu), memory } },
    shutdownDelayMs: duration(raw?.shutdownDelay ?? DEFAULTS.shutdownDelay),
    env: Object.entries(raw?.env ?? {}).map(([name, value]) => ({ name, value: String(value) })).sort((a, b) => compare(a.name, b.name)),
    secrets: Object.entries(raw?.secrets ?? {})
      .map(([env, ref]) => {
        const [secret, key] = ref.split('/') as [string, string];
        return { env, secret, key };
      })
      .sort((a, b) => compare(a.env, b.env)),
  };
}

function percent(text: string): number {
  return Number(text.slice(0, -1));
}

function duration(text: string): number {
  const ms = parseDuration(text);
  if (ms === undefined) throw new Error(`internal: ${text} passed the schema but is not a duration`);
  return ms;
}

function size(text: string): number {
  const bytes = parseSize(text);
  if (bytes === undefined) throw new Error(`internal: ${text} passed the schema but is not a size`);
  return bytes;
}

function doubleCpu(cpu: string): string {
  const millis = cpu.endsWith('m') ? Number(cpu.slice(0, -1)) : Math.round(Number(cpu) * 1000);
  return `${millis * 2}m`;
}

/** `deploy.monitoring`: absent takes the `monitoring` namespace, any pod in it; `false` lets no scraper in. */
function monitoringOf(raw: RawMonitoring | false | undefined): { monitoring?: MonitoringModel } {
  if (raw === false) return {};
  return { monitoring: { namespace: raw?.namespace ?? 'monitoring', podSelector: { ...raw?.podSelector } } };
}
