// Services and the gateway, reduced to what their Kubernetes objects need.
import type { DeployModel, GatewayModel, GroupModel, MeshModel, SecretRefModel, ServiceModel } from '../../model/types.js';
import {
  compare, DATABASE_SECRET_KEY, databaseSecretName, databaseEnvName, discoveryEnvName, EVENT_BUS_ENV, EVENT_BUS_SECRET_KEY, eventBusSecretName, GATEWAY_WORKLOAD, groupPortNames,
  IDEMPOTENCY_STORE_ENV, idempotencyStoreSecretName,
} from '../../naming/index.js';
import { GATEWAY_METRICS_PORT } from '../../../common/probes.js';
import { formatDuration } from '../../../common/units.js';
import { gatewaySecrets, identitySecrets } from './gateway-secrets.js';
import type { ServiceFront, Workload, WorkloadPort } from './types.js';

/** gRPC without TLS is HTTP/2 cleartext, for which Kubernetes defines this protocol name. */
const grpcAppProtocol = 'kubernetes.io/h2c';

/**
 * The container's arguments: the workload's name alone. The image's ENTRYPOINT runs the built entry
 * (`build/generated/main.js`, under an init that forwards signals), which starts the service, group or
 * gateway its first argument names; one image serves every workload.
 *
 * @param name the workload's name (a service, a group or `gateway`)
 * @example workloadArgs('orders') // ['orders']
 */
export function workloadArgs(name: string): string[] {
  return [name];
}

export function serviceWorkload(model: MeshModel, service: ServiceModel): Workload {
  const ports: WorkloadPort[] = [
    { name: 'http', containerPort: service.ports.http, servicePort: service.ports.http, appProtocol: 'http' },
  ];
  if (service.ports.grpc !== null) {
    const grpc = service.ports.grpc;
    ports.push({ name: 'grpc', containerPort: grpc, servicePort: grpc, appProtocol: grpcAppProtocol });
  }
  const { config, secrets } = serviceEnvironment(model, [service]);
  return fromDeploy(service.name, service.deploy, model.runtime.shutdownGraceMs, ports, config, workloadArgs(service.name), secrets);
}

/**
 * The workload of a group (one Deployment running `<group>/main.ts`) and the Service of each member,
 * named after the member and selecting the group's pods: callers reach `users` at the same DNS name
 * and ports whether it runs alone or in a group.
 *
 * @param model the mesh
 * @param group the group
 * @example groupWorkload(model, core).fronts.map((f) => f.name) // ['inventory', 'users']
 */
export function groupWorkload(model: MeshModel, group: GroupModel): { workload: Workload; fronts: ServiceFront[] } {
  const members = group.services.map((name) => serviceNamed(model, name));
  const listeners = members.flatMap((service) => [
    { service, kind: 'http' as const, port: service.ports.http, appProtocol: 'http' },
    ...(service.ports.grpc === null ? [] : [{ service, kind: 'grpc' as const, port: service.ports.grpc, appProtocol: grpcAppProtocol }]),
  ]);
  const names = groupPortNames(listeners.map((l) => ({ service: l.service.name, kind: l.kind })));
  const ports = listeners.map((l, i): WorkloadPort => ({ name: names[i]!, containerPort: l.port, servicePort: l.port, appProtocol: l.appProtocol }));
  const fronts = members.map((service): ServiceFront => ({
    name: service.name,
    workload: group.name,
    // Callers see the service's own port names (`http`, `grpc`), as when it runs alone.
    ports: listeners.flatMap((l, i) => (l.service === service ? [{ name: l.kind, port: l.port, targetPort: names[i]!, appProtocol: l.appProtocol }] : [])),
  }));
  const { config, secrets } = serviceEnvironment(model, members);
  const workload = fromDeploy(group.name, group.deploy, model.runtime.shutdownGraceMs, ports, config, workloadArgs(group.name), secrets);
  // One port speaks for the pod: its members live in one process (alive together; a member that
  // fails to start ends the process) and share one bus connection, which every member's /ready
  // reflects, and shutdown turns /ready false for all at once. The members start one after another
  // in main.ts's order, so it is the last one's port: once it is ready, every member listens.
  const last = members[members.length - 1]!;
  const probePort = names[listeners.findIndex((l) => l.service === last)]!;
  return { workload: { ...workload, probePort, metricsPort: probePort, metricsPorts: members.map((m) => m.ports.http) }, fronts };
}

/**
 * What the services of one process read from their environment: the address of every service they
 * call (callees in the same group too, for `MESH_COLOCATE=off`), the bus when one of them uses it,
 * and each one's own database URL when it has storage.
 */
function serviceEnvironment(model: MeshModel, services: readonly ServiceModel[]): { config: Record<string, string>; secrets: SecretRefModel[] } {
  const discovery: Record<string, string> = {};
  const calls = services.flatMap((s) => s.calls).sort((a, b) => compare(a.service, b.service));
  for (const call of calls) {
    const callee = serviceNamed(model, call.service);
    if (call.transport === 'http') discovery[discoveryEnvName(callee.name, 'HTTP')] = httpUrl(model, callee);
    else discovery[discoveryEnvName(callee.name, 'GRPC')] = grpcAddress(model, callee);
  }
  const usesBus = services.some((s) => s.publishes.length > 0 || s.subscribes.length > 0);
  const bus = usesBus ? busEnvironment(model) : { config: {}, secrets: [] };
  // Behind an authenticating gateway, each service verifies the identity the gateway signed.
  return { config: { ...discovery, ...bus.config }, secrets: [...bus.secrets, ...databaseSecrets(model, services), ...idempotencySecrets(model, services), ...identitySecrets(model)] };
}

/**
 * `MESH_<SERVICE>_DATABASE_URL` of each service with storage, from its own `<mesh>-<service>-database`
 * Secret (key `url`), which the operator creates for the PostgreSQL they bring: the URL holds a
 * password, so it is never generated, and no database server is. A variable per service, so that
 * services grouped into one process each reach their own database.
 */
function databaseSecrets(model: MeshModel, services: readonly ServiceModel[]): SecretRefModel[] {
  return services
    .filter((s) => s.storage !== null)
    .map((s) => ({ env: databaseEnvName(s.name), secret: databaseSecretName(model.name, s.name), key: DATABASE_SECRET_KEY }));
}

/**
 * `IDEMPOTENCY_STORE_URL` from the `<mesh>-idempotency-store` Secret (key `url`) when the spec names
 * a store (`deploy.idempotencyStore`) and one of the process's services has no storage (a service
 * with storage keeps its records in its own database and never opens the store).
 */
function idempotencySecrets(model: MeshModel, services: readonly ServiceModel[]): SecretRefModel[] {
  if (!usesIdempotencyStore(model, services)) return [];
  return [{ env: IDEMPOTENCY_STORE_ENV, secret: idempotencyStoreSecretName(model.name), key: 'url' }];
}

/**
 * True when the process of `services` opens the spec's idempotency store: one is named and some
 * service of the process has no database of its own.
 *
 * @param model the mesh
 * @param services the services of one process
 * @example usesIdempotencyStore(model, [users]) // true with `deploy.idempotencyStore: redis` and users without storage
 */
export function usesIdempotencyStore(model: MeshModel, services: readonly ServiceModel[]): boolean {
  return model.deploy.idempotencyStore !== undefined && services.some((s) => s.storage === null);
}

/**
 * What a service that publishes or subscribes needs to reach the mesh's bus: `EVENT_BUS` (the spec's
 * kind) in its ConfigMap and, for a broker, `EVENT_BUS_URL` from the `<mesh>-event-bus` Secret (key
 * `url`), which the operator creates: the URL may hold a password, so it is never generated.
 */
function busEnvironment(model: MeshModel): { config: Record<string, string>; secrets: SecretRefModel[] } {
  const kind = model.runtime.bus.kind;
  const secrets = kind === 'memory' ? [] : [{ env: EVENT_BUS_ENV.url, secret: eventBusSecretName(model.name), key: EVENT_BUS_SECRET_KEY }];
  return { config: { [EVENT_BUS_ENV.kind]: kind }, secrets };
}

export function gatewayWorkload(model: MeshModel, gateway: GatewayModel): Workload {
  const discovery: Record<string, string> = {};
  // The services routed to and the one a delegated auth asks, in name order.
  const delegate = gateway.auth && 'delegate' in gateway.auth ? [gateway.auth.delegate.service] : [];
  for (const name of [...gateway.routes.map((r) => r.service), ...delegate].sort(compare)) {
    const upstream = serviceNamed(model, name);
    discovery[discoveryEnvName(upstream.name, 'HTTP')] = httpUrl(model, upstream);
  }
  // Clients reach the gateway on port 80; the process keeps its spec port. Its /metrics is on a port
  // of its own, which the Service (and so the Ingress) does not expose: Prometheus scrapes the pods.
  const metricsPort = gateway.metricsPort ?? GATEWAY_METRICS_PORT;
  const ports: WorkloadPort[] = [
    { name: 'http', containerPort: gateway.port, servicePort: 80, appProtocol: 'http' },
    { name: 'metrics', containerPort: metricsPort, servicePort: null, appProtocol: 'http' },
  ];
  // The gateway's grace period is its longest upstream timeout, its own or a route's (runtime/gateway/gateway.ts), not the services'.
  const graceMs = Math.max(gateway.timeoutMs, ...gateway.routes.map((route) => route.timeoutMs ?? 0));
  const workload = fromDeploy(GATEWAY_WORKLOAD, gateway.deploy, graceMs, ports, discovery, workloadArgs(GATEWAY_WORKLOAD), gatewaySecrets(model, gateway));
  return { ...workload, metricsPort: 'metrics', metricsPorts: [metricsPort] };
}

function fromDeploy(
  name: string, deploy: DeployModel, shutdownGraceMs: number, ports: WorkloadPort[], generatedEnv: Record<string, string>, args: string[],
  generatedSecrets: SecretRefModel[] = [],
): Workload {
  // Later entries win: the spec's own `deploy.env` may override the defaults, discovery and the bus
  // (not SHUTDOWN_DELAY: the checks send it to `deploy.shutdownDelay`, which the Deployment sizes by).
  const entries: [string, string][] = [
    ['LOG_LEVEL', 'info'],
    ['NODE_ENV', 'production'],
    ['SHUTDOWN_DELAY', formatDuration(deploy.shutdownDelayMs)],
    ...Object.entries(generatedEnv),
    ...deploy.env.map((e): [string, string] => [e.name, e.value]),
  ];
  const merged = new Map(entries);
  const config: Record<string, string> = {};
  for (const key of [...merged.keys()].sort()) config[key] = merged.get(key) ?? '';
  return {
    name,
    image: deploy.image,
    replicas: deploy.replicas,
    autoscaling: deploy.autoscaling ?? null,
    resources: deploy.resources,
    shutdownDelayMs: deploy.shutdownDelayMs,
    shutdownGraceMs,
    args,
    ports,
    probePort: 'http',
    // A service's (and a group's first member's) HTTP port; the gateway and groups say otherwise.
    metricsPort: 'http',
    metricsPorts: ports.filter((p) => p.name === 'http').map((p) => p.containerPort),
    config,
    // The spec's own `deploy.secrets` win over a generated reference to the same variable.
    secrets: [...generatedSecrets.filter((g) => !deploy.secrets.some((s) => s.env === g.env)), ...deploy.secrets].sort((a, b) => compare(a.env, b.env)),
  };
}

function host(model: MeshModel, service: ServiceModel): string {
  return `${service.name}.${model.deploy.namespace}.svc.cluster.local`;
}

function httpUrl(model: MeshModel, service: ServiceModel): string {
  return `http://${host(model, service)}:${service.ports.http}`;
}

function grpcAddress(model: MeshModel, service: ServiceModel): string {
  if (service.ports.grpc === null) throw new Error(`kubernetes: ${service.name} is called over gRPC but has no gRPC port`);
  return `${host(model, service)}:${service.ports.grpc}`;
}

function serviceNamed(model: MeshModel, name: string): ServiceModel {
  const service = model.services.find((s) => s.name === name);
  if (!service) throw new Error(`kubernetes: unknown service ${name}`);
  return service;
}
