// What `meshspec dev --processes` starts: one child per service, one per group of services deployed
// together (`deploy.groups`) and one for the gateway, each from its generated entry point with the
// environment a container would get from the manifests (ports, host, the bus, and every service's
// address under MESH_<SERVICE>_HTTP / _GRPC).
import path from 'node:path';
import { discoveryEnvName } from '../../../common/discovery.js';
import { GATEWAY_METRICS_PORT } from '../../../common/probes.js';
import { outputFiles } from '../../naming/files.js';

/** Where every listener goes: the spec's ports, or free ones (`--free-ports`). */
export interface PortAssignment {
  readonly services: Readonly<Record<string, { http: number; grpc: number | null }>>;
  /** Null when the mesh has no gateway. */
  readonly gateway: number | null;
  /** The gateway's metrics listener (METRICS_PORT); absent: the spec's, else 9464. */
  readonly gatewayMetrics?: number | null;
}

/** A durable bus the children share; `memory` cannot cross processes. */
export interface ProcessBus {
  readonly kind: 'redis' | 'rabbitmq';
  readonly url: string;
  /** EVENT_BUS_NAMESPACE: what the keys, exchange and queues are named under; default `meshspec`. */
  readonly namespace?: string;
}

/** One child process: its entry point, its environment on top of the user's, and its readiness probe. */
export interface PlannedProcess {
  /** The service's name, the group's, or `gateway`. */
  readonly name: string;
  /** The generated entry point, relative to the working folder (`generated/users/main.ts`). */
  readonly entry: string;
  readonly env: Readonly<Record<string, string>>;
  /** `GET` answers 200 once the process serves (services: also once the bus is connected). */
  readonly readyUrl: string;
}

export interface ProcessPlan {
  /** Every service of its own, then every group. */
  readonly services: readonly PlannedProcess[];
  readonly gateway: PlannedProcess | null;
  /** For the banner: per service `http://host:port` and gRPC `host:port`. */
  readonly urls: Readonly<Record<string, { http: string; grpc: string | null }>>;
  readonly gatewayUrl: string | null;
  /** The gateway's `/metrics`, on its own listener; null without a gateway. */
  readonly gatewayMetricsUrl: string | null;
}

/** The model's parts a plan reads (a MeshModel fits). */
export interface PlannedMesh {
  readonly services: readonly { readonly name: string; readonly ports: { readonly http: number; readonly grpc: number | null } }[];
  readonly gateway: { readonly port: number; readonly metricsPort?: number } | null;
  /** Services deployed as one process, each listed in one group at most; absent means none. */
  readonly groups?: readonly { readonly name: string; readonly services: readonly string[] }[];
}

/**
 * The spec's own ports for every listener.
 *
 * @param mesh the services and gateway of the model
 * @example specPorts(model) // { services: { users: { http: 3001, grpc: 50051 } }, gateway: 8080, gatewayMetrics: 9464 }
 */
export function specPorts(mesh: PlannedMesh): PortAssignment {
  return {
    services: Object.fromEntries(mesh.services.map((s) => [s.name, { http: s.ports.http, grpc: s.ports.grpc }])),
    gateway: mesh.gateway?.port ?? null,
    gatewayMetrics: mesh.gateway ? (mesh.gateway.metricsPort ?? GATEWAY_METRICS_PORT) : null,
  };
}

/**
 * The processes to start, services (alone, then groups) first, each with its complete environment.
 *
 * @param mesh the services and gateway of the model
 * @param options `outDir`: the generated folder (default `generated`); `ports`: from {@link specPorts}
 *   or free ones; `bus`: the broker every service connects to; `host`: where services listen and
 *   are reached (default `127.0.0.1`: a dev stack is not meant for other machines); `dataRoot`:
 *   MESH_DATA of the service processes, the folder of each service's PGlite data folder (default:
 *   none set; a service's MESH_<SERVICE>_DATABASE_URL or DATABASE_URL still wins in its process)
 * @example
 * planProcesses(model, { ports: specPorts(model), bus: { kind: 'redis', url: 'redis://127.0.0.1:6379' } }).services[0].env.EVENT_BUS // 'redis'
 */
export function planProcesses(
  mesh: PlannedMesh,
  options: { ports: PortAssignment; bus: ProcessBus; outDir?: string; host?: string; dataRoot?: string },
): ProcessPlan {
  const outDir = options.outDir ?? 'generated';
  const host = options.host ?? '127.0.0.1';
  const address = (port: number) => `${host.includes(':') ? `[${host}]` : host}:${port}`;
  const portsOf = (service: string) => {
    const ports = options.ports.services[service];
    if (!ports) throw new Error(`no ports assigned to service '${service}'`);
    return ports;
  };

  const urls: Record<string, { http: string; grpc: string | null }> = {};
  const discovery: Record<string, string> = {};
  for (const service of mesh.services) {
    const ports = portsOf(service.name);
    const grpc = service.ports.grpc === null || ports.grpc === null ? null : address(ports.grpc);
    urls[service.name] = { http: `http://${address(ports.http)}`, grpc };
    discovery[discoveryEnvName(service.name, 'HTTP')] = `http://${address(ports.http)}`;
    if (grpc) discovery[discoveryEnvName(service.name, 'GRPC')] = grpc;
  }

  const bus = {
    EVENT_BUS: options.bus.kind,
    EVENT_BUS_URL: options.bus.url,
    ...(options.bus.namespace !== undefined && { EVENT_BUS_NAMESPACE: options.bus.namespace }),
    // With the bus: every service process gets it, and a service without storage ignores MESH_DATA.
    ...(options.dataRoot !== undefined && { MESH_DATA: options.dataRoot }),
  };
  const groups = mesh.groups ?? [];
  const grouped = new Set(groups.flatMap((g) => g.services));
  const alone = mesh.services.filter((s) => !grouped.has(s.name)).map((service): PlannedProcess => {
    const ports = portsOf(service.name);
    const url = urls[service.name] as { http: string; grpc: string | null };
    return {
      name: service.name,
      entry: path.join(outDir, outputFiles.serviceModule(service.name, 'main')),
      env: {
        ...discovery,
        HOST: host,
        PORT: String(ports.http),
        // `off` rather than unset: a GRPC_PORT in the user's shell must not reach a service without gRPC.
        GRPC_PORT: url.grpc === null ? 'off' : String(ports.grpc),
        ...bus,
      },
      readyUrl: `${url.http}/ready`,
    };
  });
  const together = groups.map((group): PlannedProcess => {
    for (const name of group.services) {
      const spec = mesh.services.find((s) => s.name === name);
      if (!spec) throw new Error(`group '${group.name}' names unknown service '${name}'`);
      const ports = portsOf(name);
      if (ports.http !== spec.ports.http || ports.grpc !== spec.ports.grpc) {
        throw new Error(`the services of group '${group.name}' listen on their spec ports: '${name}' cannot be moved (PORT and GRPC_PORT apply to a process of one service only)`);
      }
    }
    // Services start one after another in the order main.ts lists them (the group's, by name): once
    // the last one answers /ready, every one of them listens and the process's bus is connected.
    const last = group.services[group.services.length - 1] as string;
    return {
      name: group.name,
      entry: path.join(outDir, outputFiles.groupMain(group.name)),
      // Empty PORT and GRPC_PORT count as unset: one in the user's shell would stop a process of several services.
      env: { ...discovery, HOST: host, PORT: '', GRPC_PORT: '', ...bus },
      readyUrl: `${(urls[last] as { http: string }).http}/ready`,
    };
  });
  const services = [...alone, ...together];

  let gateway: PlannedProcess | null = null;
  let gatewayUrl: string | null = null;
  let gatewayMetricsUrl: string | null = null;
  if (mesh.gateway) {
    if (options.ports.gateway === null) throw new Error('no port assigned to the gateway');
    gatewayUrl = `http://${address(options.ports.gateway)}`;
    const metricsPort = options.ports.gatewayMetrics ?? mesh.gateway.metricsPort ?? GATEWAY_METRICS_PORT;
    gatewayMetricsUrl = `http://${address(metricsPort)}/metrics`;
    gateway = {
      name: 'gateway',
      entry: path.join(outDir, outputFiles.gatewayMain),
      env: { ...discovery, HOST: host, PORT: String(options.ports.gateway), METRICS_PORT: String(metricsPort) },
      readyUrl: `${gatewayUrl}/ready`,
    };
  }
  return { services, gateway, urls, gatewayUrl, gatewayMetricsUrl };
}
