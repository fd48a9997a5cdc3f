// Who may talk to whom on Kubernetes, from the spec alone: the services' `calls` (on the callee's
// port of the call's transport), the gateway's routes and delegated auth (on the service's HTTP port),
// the monitoring pods (to the metrics ports, when `deploy.monitoring` is not off), and what lies
// outside the mesh (the bus, the databases, the rate limits' Redis). Workloads, not
// services: a grouped service's pods are its group's. network-policy.ts turns this into objects.
import { GATEWAY_METRICS_PORT } from '../../../common/probes.js';
import { groupOf } from '../../model/lookup.js';
import type { MeshModel, ServiceModel } from '../../model/types.js';
import { compare, GATEWAY_WORKLOAD } from '../../naming/index.js';
import { usesRedisRateLimit } from './gateway-secrets.js';
import { usesIdempotencyStore } from './workload.js';

/** Well-known ports of what the mesh reaches outside itself (an operator's overlay narrows the destination). */
export const EXTERNAL_PORTS = { redis: 6379, rabbitmq: 5672, postgres: 5432 } as const;

/** Traffic a workload sends outside the mesh: to any address, on one TCP port. */
export interface ExternalTraffic {
  port: number;
  /** What it is for, e.g. `event bus (redis)`. */
  purpose: string;
}

/** Traffic a workload's pods may receive and send, each peer with the TCP ports (sorted) it uses. */
export interface WorkloadTraffic {
  workload: string;
  /** Container ports open to any source (the gateway's, which clients outside the cluster reach). */
  publicPorts: number[];
  /** Container ports that serve `/metrics` (the gateway's metrics port, each member's HTTP port), open to the monitoring pods. Sorted. */
  metricsPorts: number[];
  /** Workloads whose pods may connect to this one's, and on which of its ports. Sorted by workload. */
  ingress: { peer: string; ports: number[] }[];
  /** Workloads this one's pods may connect to, and on which of their ports. Sorted by workload. */
  egress: { peer: string; ports: number[] }[];
  /** Sorted by port. */
  external: ExternalTraffic[];
}

interface Edge {
  from: string;
  to: string;
  port: number;
}

/**
 * The traffic of every workload of the mesh (services alone, groups, the gateway), in the order given.
 *
 * @param model the mesh
 * @param workloads the workloads' names
 * @example meshTraffic(model, ['orders']).find((t) => t.workload === 'orders')?.egress // [{ peer: 'inventory', ports: [50051] }, ...]
 */
export function meshTraffic(model: MeshModel, workloads: readonly string[]): WorkloadTraffic[] {
  const edges = meshEdges(model);
  return workloads.map((workload) => ({
    workload,
    publicPorts: workload === GATEWAY_WORKLOAD && model.gateway ? [model.gateway.port] : [],
    metricsPorts: metricsPortsOf(model, workload),
    ingress: byPeer(edges.filter((e) => e.to === workload).map((e) => ({ peer: e.from, port: e.port }))),
    egress: byPeer(edges.filter((e) => e.from === workload).map((e) => ({ peer: e.to, port: e.port }))),
    external: externalTraffic(model, workload),
  }));
}

/**
 * The workload whose pods run `service`: its group, or itself.
 *
 * @param model the mesh
 * @param service a service's name
 * @example workloadOf(model, 'patients') // 'frontdesk'
 */
export function workloadOf(model: MeshModel, service: string): string {
  return groupOf(model, service)?.name ?? service;
}

function meshEdges(model: MeshModel): Edge[] {
  const edges: Edge[] = [];
  for (const caller of model.services) {
    for (const call of caller.calls) {
      const callee = serviceNamed(model, call.service);
      const port = call.transport === 'http' ? callee.ports.http : callee.ports.grpc;
      if (port === null) throw new Error(`kubernetes: ${callee.name} is called over gRPC but has no gRPC port`);
      // Grouped callers and callees talk in process, but also over the network with MESH_COLOCATE=off.
      edges.push({ from: workloadOf(model, caller.name), to: workloadOf(model, callee.name), port });
    }
  }
  const gateway = model.gateway;
  if (gateway) {
    const delegate = gateway.auth && 'delegate' in gateway.auth ? [gateway.auth.delegate.service] : [];
    for (const name of [...gateway.routes.map((r) => r.service), ...delegate]) {
      edges.push({ from: GATEWAY_WORKLOAD, to: workloadOf(model, name), port: serviceNamed(model, name).ports.http });
    }
  }
  return edges;
}

/** Where the workload's pods serve `/metrics`: the gateway on its own port, services on their HTTP port. */
function metricsPortsOf(model: MeshModel, workload: string): number[] {
  if (workload === GATEWAY_WORKLOAD) return model.gateway ? [model.gateway.metricsPort ?? GATEWAY_METRICS_PORT] : [];
  return model.services.filter((s) => workloadOf(model, s.name) === workload).map((s) => s.ports.http).sort((a, b) => a - b);
}

function byPeer(links: { peer: string; port: number }[]): { peer: string; ports: number[] }[] {
  const ports = new Map<string, Set<number>>();
  for (const link of links) ports.set(link.peer, (ports.get(link.peer) ?? new Set()).add(link.port));
  return [...ports.keys()].sort(compare).map((peer) => ({ peer, ports: [...ports.get(peer)!].sort((a, b) => a - b) }));
}

/** The bus (for members that publish or subscribe), the databases (for members with storage), the idempotency store (for members without), the gateway's rate-limit Redis. */
function externalTraffic(model: MeshModel, workload: string): ExternalTraffic[] {
  const found = new Map<number, string>();
  const add = (port: number, purpose: string) => found.set(port, found.has(port) ? `${found.get(port)}, ${purpose}` : purpose);
  if (workload === GATEWAY_WORKLOAD) {
    if (model.gateway && usesRedisRateLimit(model.gateway)) add(EXTERNAL_PORTS.redis, 'rate limits (redis)');
  } else {
    const members = model.services.filter((s) => workloadOf(model, s.name) === workload);
    const bus = model.runtime.bus.kind;
    if (bus !== 'memory' && members.some((s) => s.publishes.length > 0 || s.subscribes.length > 0)) add(EXTERNAL_PORTS[bus], `event bus (${bus})`);
    for (const engine of new Set(members.flatMap((s) => (s.storage ? [s.storage.engine] : [])))) add(EXTERNAL_PORTS[engine], `database (${engine})`);
    if (usesIdempotencyStore(model, members)) add(EXTERNAL_PORTS.redis, 'idempotency store (redis)');
  }
  return [...found].sort(([a], [b]) => a - b).map(([port, purpose]) => ({ port, purpose }));
}

function serviceNamed(model: MeshModel, name: string): ServiceModel {
  const service = model.services.find((s) => s.name === name);
  if (!service) throw new Error(`kubernetes: unknown service ${name}`);
  return service;
}
