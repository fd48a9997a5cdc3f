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

describe('NetworkPolicies and Prometheus (deploy.monitoring)', () => {
  /** Every workload's port that serves /metrics: the gateway's metrics port, a service's (or each group member's) HTTP port. */
  const metricsPorts = (model: MeshModel, workload: string): number[] =>
    workload === 'gateway' ? [model.gateway!.metricsPort!] : model.services.filter((s) => (model.groups?.find((g) => g.services.includes(s.name))?.name ?? s.name) === workload).map((s) => s.ports.http);
  /** What `from` reaches of every pod: `workload` -> its allowed ports. */
  const reach = (cluster: { policies: Obj[]; pods: Pod[] }, from: Endpoint) =>
    Object.fromEntries(cluster.pods.map((pod) => [pod.workload, pod.ports.filter((port) => connectionAllowed(cluster.policies, {}, from, pod, port)).sort((a, b) => a - b)]));

  it('let a pod of the monitoring namespace reach every workload\'s metrics port and nothing else (by default)', () => {
    expect(shop.deploy.monitoring).toEqual({ namespace: 'monitoring', podSelector: {} });
    const prometheus: Endpoint = { namespace: 'monitoring', labels: { 'app.kubernetes.io/name': 'prometheus' } };
    // The gateway's public port is open to any source; its metrics port only to Prometheus.
    expect(reach(shopCluster, prometheus)).toEqual({ gateway: [8080, 9464], inventory: [3004], orders: [3002], payments: [3003], users: [3001] });
    for (const pod of shopCluster.pods) {
      const expected = [...metricsPorts(shop, pod.workload), ...(pod.workload === 'gateway' ? [8080] : [])].sort((a, b) => a - b);
      expect(reach(shopCluster, prometheus)[pod.workload], pod.workload).toEqual(expected);
    }
  });

  it('keep the metrics ports closed to pods of any other namespace, and to clients outside', () => {
    for (const from of [{ namespace: 'other', labels: { 'app.kubernetes.io/name': 'prometheus' } }, { namespace: 'shop', labels: { app: 'debug' } }, outside]) {
      expect(reach(shopCluster, from), JSON.stringify(from)).toEqual({ gateway: [8080], inventory: [], orders: [], payments: [], users: [] });
    }
  });

  it('narrow the rule to the pods the spec names, in the namespace it names', () => {
    const model: MeshModel = { ...shop, deploy: { ...shop.deploy, monitoring: { namespace: 'observability', podSelector: { 'app.kubernetes.io/name': 'prometheus' } } } };
    const cluster = clusterOf(model);
    const labels = { 'app.kubernetes.io/name': 'prometheus' };
    expect(reach(cluster, { namespace: 'observability', labels })).toEqual({ gateway: [8080, 9464], inventory: [3004], orders: [3002], payments: [3003], users: [3001] });
    for (const from of [{ namespace: 'observability', labels: { 'app.kubernetes.io/name': 'grafana' } }, { namespace: 'monitoring', labels }]) {
      expect(reach(cluster, from), JSON.stringify(from)).toEqual({ gateway: [8080], inventory: [], orders: [], payments: [], users: [] });
    }
    // The call graph is untouched.
    expect(allowedTable(cluster.policies, cluster.pods)).toEqual(specTable(model));
  });

  it('let no scraper in with `monitoring: false`', () => {
    const { monitoring: _off, ...deploy } = shop.deploy;
    const cluster = clusterOf({ ...shop, deploy });
    expect(reach(cluster, { namespace: 'monitoring', labels: {} })).toEqual({ gateway: [8080], inventory: [], orders: [], payments: [], users: [] });
  });

  it('reach each member of a group on its own HTTP port', async () => {
    const clinic = await compiled('test/snapshots/groups/spec');
    const cluster = clusterOf(clinic);
    const seen = reach(cluster, { namespace: 'monitoring', labels: {} });
    for (const pod of cluster.pods) {
      const expected = [...metricsPorts(clinic, pod.workload), ...(pod.workload === 'gateway' ? [clinic.gateway!.port] : [])].sort((a, b) => a - b);
      expect(seen[pod.workload], pod.workload).toEqual(expected);
    }
    expect(seen['frontdesk']!.length).toBe(2);
  });
});

describe('NetworkPolicies and Secrets of an idempotency store (deploy.idempotencyStore)', () => {
  // RabbitMQ as the bus, so that port 6379 is the idempotency store's alone; users without storage.
  const model: MeshModel = {
    ...shop,
    deploy: { ...shop.deploy, idempotencyStore: 'redis' },
    runtime: { ...shop.runtime, bus: { ...shop.runtime.bus, kind: 'rabbitmq' } },
    services: shop.services.map((s) => (s.name === 'users' ? { ...s, storage: null } : s)),
  };
  const objects = emitKubernetes(model, { layout: defaultLayout }).flatMap((f) => parseAllDocuments(f.content).map((d) => d.toJS() as Obj));
  const cluster = clusterOf(model);
  const pod = (workload: string) => cluster.pods.find((p) => p.workload === workload)!;

  it('let a service without storage reach Redis, and no service that keeps its records in its database', () => {
    expect(connectionAllowed(cluster.policies, {}, pod('users'), outside, 6379)).toBe(true);
    for (const name of ['orders', 'payments', 'inventory', 'gateway']) expect(connectionAllowed(cluster.policies, {}, pod(name), outside, 6379), name).toBe(false);
    const allow = objects.find((o) => o.kind === 'NetworkPolicy' && o.metadata.name === 'users-allow')!;
    expect(allow.metadata.annotations['meshspec/outside-the-mesh']).toContain('6379: idempotency store (redis)');
    expect(allowedTable(cluster.policies, cluster.pods)).toEqual(specTable(model));
  });

  it('give that service IDEMPOTENCY_STORE_URL from the <mesh>-idempotency-store Secret, and no other', () => {
    const envOf = (workload: string) => (objects.find((o) => o.kind === 'Deployment' && o.metadata.name === workload)!.spec.template.spec.containers[0].env ?? []) as Obj[];
    expect(envOf('users').find((e) => e.name === 'IDEMPOTENCY_STORE_URL')).toEqual({ name: 'IDEMPOTENCY_STORE_URL', valueFrom: { secretKeyRef: { name: 'shop-idempotency-store', key: 'url' } } });
    for (const name of ['orders', 'payments', 'inventory', 'gateway']) expect(envOf(name).some((e) => e.name === 'IDEMPOTENCY_STORE_URL'), name).toBe(false);
  });

  it('name no store by default', () => {
    expect(shop.deploy.idempotencyStore).toBeUndefined();
    expect(JSON.stringify(emitKubernetes(shop, { layout: defaultLayout }))).not.toContain('IDEMPOTENCY_STORE_URL');
  });
});
