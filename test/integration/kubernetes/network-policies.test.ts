// The generated NetworkPolicies, judged by an evaluator of the NetworkPolicy API (test/support/
// network-policy.ts) over the generated objects: for every ordered pair of workloads (the gateway
// included), on which of the receiver's container ports a connection is allowed. The shop is compared
// with a table written by hand from its spec; the groups spec (a group, gRPC and HTTP calls, a call
// inside the group) with the call graph and routes read straight from its spec.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { emitKubernetes } from '../../../generator/emit/kubernetes/index.js';
import type { MeshModel } from '../../../generator/model/types.js';
import { defaultLayout } from '../../../generator/naming/index.js';
import { compileSpec } from '../../../generator/pipeline.js';
import { connectionAllowed, type Endpoint, type Obj } from '../../support/network-policy.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));

async function compiled(specDir: string): Promise<MeshModel> {
  const { model, diagnostics } = await compileSpec(specDir, root);
  if (!model) throw new Error(`${specDir} does not compile: ${JSON.stringify(diagnostics, null, 2)}`);
  return model;
}

interface Pod extends Endpoint {
  workload: string;
  ports: number[];
}

function clusterOf(model: MeshModel): { policies: Obj[]; pods: Pod[] } {
  const objects = emitKubernetes(model, { layout: defaultLayout }).flatMap((f) => parseAllDocuments(f.content).map((d) => d.toJS() as Obj));
  const pods = objects
    .filter((o) => o.kind === 'Deployment')
    .map((d): Pod => ({
      workload: d.metadata.name,
      namespace: d.metadata.namespace,
      labels: d.spec.template.metadata.labels,
      ports: d.spec.template.spec.containers.flatMap((c: Obj) => c.ports.map((p: Obj) => p.containerPort)),
    }));
  return { policies: objects.filter((o) => o.kind === 'NetworkPolicy'), pods };
}

/** `from -> to` for every pair with at least one allowed port, and those ports. */
function allowedTable(policies: Obj[], pods: Pod[]): Record<string, number[]> {
  const table: Record<string, number[]> = {};
  for (const from of pods) {
    for (const to of pods) {
      const ports = to.ports.filter((port) => connectionAllowed(policies, {}, from, to, port));
      if (ports.length > 0) table[`${from.workload} -> ${to.workload}`] = ports.sort((a, b) => a - b);
    }
  }
  return table;
}

/** The same table read from the spec: each call on the callee's port of its transport, each route (and a delegated auth) on the service's HTTP port. */
function specTable(model: MeshModel): Record<string, number[]> {
  const workloadOf = (service: string) => model.groups?.find((g) => g.services.includes(service))?.name ?? service;
  const service = (name: string) => model.services.find((s) => s.name === name)!;
  const table: Record<string, Set<number>> = {};
  const allow = (from: string, to: string, port: number | null) => {
    (table[`${from} -> ${to}`] ??= new Set()).add(port!);
  };
  for (const caller of model.services) {
    for (const call of caller.calls) allow(workloadOf(caller.name), workloadOf(call.service), service(call.service).ports[call.transport]);
  }
  for (const route of model.gateway?.routes ?? []) allow('gateway', workloadOf(route.service), service(route.service).ports.http);
  const auth = model.gateway?.auth;
  if (auth && 'delegate' in auth) allow('gateway', workloadOf(auth.delegate.service), service(auth.delegate.service).ports.http);
  return Object.fromEntries(Object.entries(table).map(([pair, ports]) => [pair, [...ports].sort((a, b) => a - b)]));
}

const shop = await compiled('spec');
const shopCluster = clusterOf(shop);
const podOf = (workload: string) => shopCluster.pods.find((p) => p.workload === workload)!;
const outside: Endpoint = { namespace: null, labels: {} };

describe('NetworkPolicies of the shop', () => {
  it('allow exactly the calls of the spec and the gateway routes, each on its port, for every pair of workloads', () => {
    expect(shopCluster.pods.map((p) => p.workload).sort()).toEqual(['gateway', 'inventory', 'orders', 'payments', 'users']);
    expect(allowedTable(shopCluster.policies, shopCluster.pods)).toEqual({
      'gateway -> inventory': [3004],
      'gateway -> orders': [3002],
      'gateway -> payments': [3003],
      'gateway -> users': [3001],
      'orders -> inventory': [50054],
      'orders -> payments': [3003],
      'orders -> users': [3001],
      'payments -> orders': [3002],
    });
    expect(allowedTable(shopCluster.policies, shopCluster.pods)).toEqual(specTable(shop));
  });

  it('let clients outside the cluster reach the gateway on its port, and no service', () => {
    expect(connectionAllowed(shopCluster.policies, {}, outside, podOf('gateway'), 8080)).toBe(true);
    for (const pod of shopCluster.pods.filter((p) => p.workload !== 'gateway')) {
      for (const port of pod.ports) expect(connectionAllowed(shopCluster.policies, {}, outside, pod, port), `${pod.workload}:${port}`).toBe(false);
    }
  });

  it('keep out a pod of the namespace that is not the mesh\'s, and a caller from another namespace', () => {
    const stranger: Endpoint = { namespace: 'shop', labels: { app: 'debug' } };
    const elsewhere: Endpoint = { namespace: 'other', labels: podOf('orders').labels };
    for (const pod of shopCluster.pods.filter((p) => p.workload !== 'gateway')) {
      for (const port of pod.ports) {
        expect(connectionAllowed(shopCluster.policies, {}, stranger, pod, port)).toBe(false);
        expect(connectionAllowed(shopCluster.policies, {}, elsewhere, pod, port)).toBe(false);
      }
    }
    // Nor may a workload open a connection to it.
    expect(connectionAllowed(shopCluster.policies, {}, podOf('orders'), stranger, 3001)).toBe(false);
  });

  it('let every workload resolve names with the cluster DNS, over UDP and TCP', () => {
    const dns: Endpoint = { namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' } };
    for (const pod of shopCluster.pods) {
      expect(connectionAllowed(shopCluster.policies, {}, pod, dns, 53, 'UDP')).toBe(true);
      expect(connectionAllowed(shopCluster.policies, {}, pod, dns, 53, 'TCP')).toBe(true);
      expect(connectionAllowed(shopCluster.policies, {}, pod, { namespace: 'other', labels: {} }, 53, 'UDP')).toBe(false);
    }
  });

  it('let services reach their database (PostgreSQL) and the bus (Redis) only when the spec gives them storage and events', () => {
    const external: Endpoint = { namespace: null, labels: {} };
    for (const service of shop.services) {
      const pod = podOf(service.name);
      expect(connectionAllowed(shopCluster.policies, {}, pod, external, 5432), service.name).toBe(service.storage !== null);
      const usesBus = service.publishes.length > 0 || service.subscribes.length > 0;
      expect(connectionAllowed(shopCluster.policies, {}, pod, external, 6379), service.name).toBe(usesBus);
      expect(connectionAllowed(shopCluster.policies, {}, pod, external, 5672), service.name).toBe(false);
    }
    // The shop's rate limits count in memory: the gateway reaches no Redis, and nothing outside but clients.
    expect(connectionAllowed(shopCluster.policies, {}, podOf('gateway'), external, 6379)).toBe(false);
    expect(connectionAllowed(shopCluster.policies, {}, podOf('gateway'), external, 443)).toBe(false);
  });
});

describe('NetworkPolicies of a mesh with a group (test/snapshots/groups)', async () => {
  const clinic = await compiled('test/snapshots/groups/spec');
  const { policies, pods } = clusterOf(clinic);

  it('allow exactly its call graph and routes, a grouped service reached through its group\'s pods', () => {
    expect(pods.map((p) => p.workload).sort()).toEqual(['frontdesk', 'gateway', 'reminders']);
    const table = allowedTable(policies, pods);
    expect(table).toEqual(specTable(clinic));
    // appointments calls patients inside frontdesk (over the network with MESH_COLOCATE=off); reminders calls it over gRPC.
    expect(table).toEqual({ 'frontdesk -> frontdesk': [3301], 'gateway -> frontdesk': [3302], 'reminders -> frontdesk': [50301] });
  });

  it('let the gateway reach the service its auth delegates to, though no route names it', () => {
    const delegated: MeshModel = { ...clinic, gateway: { ...clinic.gateway!, auth: { delegate: { service: 'reminders', path: '/auth' } } } };
    const cluster = clusterOf(delegated);
    const table = allowedTable(cluster.policies, cluster.pods);
    expect(table['gateway -> reminders']).toEqual([clinic.services.find((s) => s.name === 'reminders')!.ports.http]);
    expect(table).toEqual(specTable(delegated));
  });
});

describe('the evaluator is live', () => {
  it('allows everything without policies, and nothing once the allowances are gone', () => {
    expect(connectionAllowed([], {}, podOf('users'), podOf('payments'), 3003)).toBe(true);
    const denyOnly = shopCluster.policies.filter((p) => p.metadata.name.endsWith('-deny-all'));
    expect(denyOnly).toHaveLength(shopCluster.pods.length);
    expect(connectionAllowed(denyOnly, {}, podOf('gateway'), podOf('users'), 3001)).toBe(false);
    expect(connectionAllowed(denyOnly, {}, outside, podOf('gateway'), 8080)).toBe(false);
  });

  it('needs both the sender\'s egress and the receiver\'s ingress', () => {
    const withoutGatewayAllow = shopCluster.policies.filter((p) => p.metadata.name !== 'gateway-allow');
    expect(connectionAllowed(withoutGatewayAllow, {}, podOf('gateway'), podOf('users'), 3001)).toBe(false);
    const withoutUsersAllow = shopCluster.policies.filter((p) => p.metadata.name !== 'users-allow');
    expect(connectionAllowed(withoutUsersAllow, {}, podOf('gateway'), podOf('users'), 3001)).toBe(false);
  });

  it('refuses what it cannot judge', () => {
    const named = { kind: 'NetworkPolicy', metadata: { namespace: 'shop' }, spec: { podSelector: {}, ingress: [{ ports: [{ port: 'http' }] }] } };
    expect(() => connectionAllowed([named], {}, outside, podOf('users'), 3001)).toThrow(/named port/);
  });
});

describe('NetworkPolicies of a gateway whose rate limits count in Redis (test/snapshots/gateway-security)', async () => {
  const market = await compiled('test/snapshots/gateway-security/spec');
  const { policies, pods } = clusterOf(market);

  it('let the gateway reach Redis, and still allow exactly the spec\'s traffic', () => {
    const gateway = pods.find((p) => p.workload === 'gateway')!;
    expect(connectionAllowed(policies, {}, gateway, outside, 6379)).toBe(true);
    expect(allowedTable(policies, pods)).toEqual(specTable(market));
  });
});
