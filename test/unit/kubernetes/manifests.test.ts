import { describe, expect, it } from 'vitest';
import { buildCall } from '../../../generator/model/policies.js';
import { parseAllDocuments } from 'yaml';
import { emitKubernetes } from '../../../generator/emit/kubernetes/index.js';
import { meshModel, orders } from './fixture.js';
import { defaultLayout } from '../../../generator/naming/index.js';

type Obj = Record<string, any>;

const files = emitKubernetes(meshModel(), { layout: defaultLayout });

function objects(path: string): Obj[] {
  const file = files.find((f) => f.path === path);
  if (!file) throw new Error(`no ${path}`);
  return parseAllDocuments(file.content).map((d) => d.toJS() as Obj);
}

function kind(path: string, k: string): Obj {
  const found = objects(path).find((o) => o.kind === k);
  if (!found) throw new Error(`no ${k} in ${path}`);
  return found;
}

const usersDeployment = kind('k8s/base/users.yaml', 'Deployment');
const usersContainer = usersDeployment.spec.template.spec.containers[0] as Obj;

describe('files', () => {
  it('writes the namespace, one file per service, the gateway and a kustomization', () => {
    expect(files.map((f) => f.path)).toEqual([
      'k8s/base/namespace.yaml',
      'k8s/base/inventory.yaml',
      'k8s/base/orders.yaml',
      'k8s/base/users.yaml',
      'k8s/base/gateway.yaml',
      'k8s/base/kustomization.yaml',
      'k8s/overlays/dev/kustomization.yaml',
      'k8s/overlays/prod/kustomization.yaml',
    ]);
    expect(objects('k8s/base/kustomization.yaml')).toEqual([
      {
        apiVersion: 'kustomize.config.k8s.io/v1beta1',
        kind: 'Kustomization',
        namespace: 'shop-prod',
        resources: ['gateway.yaml', 'inventory.yaml', 'namespace.yaml', 'orders.yaml', 'users.yaml'],
      },
    ]);
    expect(objects('k8s/base/namespace.yaml')[0]).toMatchObject({ kind: 'Namespace', metadata: { name: 'shop-prod' } });
  });

  it('has no header, is deterministic, and names its sources', () => {
    for (const f of files) expect(f.content.startsWith('apiVersion: ')).toBe(true);
    expect(emitKubernetes(meshModel(), { layout: defaultLayout })).toEqual(files);
    expect(files.find((f) => f.path === 'k8s/base/orders.yaml')?.sources).toEqual([
      'spec/mesh.yaml',
      'spec/services/inventory.yaml',
      'spec/services/orders.yaml',
      'spec/services/users.yaml',
    ]);
  });

  it('adds a PodDisruptionBudget only when replicas > 1', () => {
    expect(objects('k8s/base/users.yaml').map((o) => o.kind)).toEqual(['ServiceAccount', 'ConfigMap', 'Deployment', 'Service', 'Service', 'PodDisruptionBudget', 'NetworkPolicy', 'NetworkPolicy']);
    expect(objects('k8s/base/inventory.yaml').map((o) => o.kind)).toContain('PodDisruptionBudget');
    expect(objects('k8s/base/orders.yaml').map((o) => o.kind)).toEqual(['ServiceAccount', 'ConfigMap', 'Deployment', 'Service', 'Service', 'NetworkPolicy', 'NetworkPolicy']);
    expect(kind('k8s/base/users.yaml', 'PodDisruptionBudget').spec.maxUnavailable).toBe(1);
  });

  it('puts every namespaced object in the namespace', () => {
    for (const f of files.filter((f) => !/namespace|kustomization/.test(f.path))) {
      for (const o of objects(f.path)) expect(o.metadata.namespace, `${f.path} ${o.kind}`).toBe('shop-prod');
    }
  });
});

describe('ConfigMap', () => {
  it('holds the defaults, discovery per call transport, and the spec env (which wins)', () => {
    expect(kind('k8s/base/orders.yaml', 'ConfigMap')).toMatchObject({
      metadata: { name: 'orders-config' },
      data: {
        LOG_LEVEL: 'info',
        MESH_INVENTORY_GRPC: 'inventory.shop-prod.svc.cluster.local:50054',
        MESH_USERS_HTTP: 'http://users.shop-prod.svc.cluster.local:3001',
        NODE_ENV: 'production',
        SHUTDOWN_DELAY: '5s',
      },
    });
    expect(Object.keys(kind('k8s/base/orders.yaml', 'ConfigMap').data)).toEqual([
      'LOG_LEVEL',
      'MESH_INVENTORY_GRPC',
      'MESH_USERS_HTTP',
      'NODE_ENV',
      'SHUTDOWN_DELAY',
    ]);
    expect(kind('k8s/base/users.yaml', 'ConfigMap').data).toEqual({ FEATURE_X: 'on', LOG_LEVEL: 'debug', NODE_ENV: 'production', SHUTDOWN_DELAY: '5s' });
  });

  it('never holds a secret: secrets are referenced from the container env', () => {
    expect(kind('k8s/base/users.yaml', 'ConfigMap').data).not.toHaveProperty('DATABASE_URL');
    expect(usersContainer.envFrom).toEqual([{ configMapRef: { name: 'users-config' } }]);
    expect(usersContainer.env).toEqual([{ name: 'DATABASE_URL', valueFrom: { secretKeyRef: { name: 'users-db', key: 'url' } } }]);
    expect(kind('k8s/base/orders.yaml', 'Deployment').spec.template.spec.containers[0]).not.toHaveProperty('env');
  });

  it('rolls the pods when the config changes', () => {
    const hash = (m: ReturnType<typeof meshModel>) => {
      const file = emitKubernetes(m, { layout: defaultLayout }).find((f) => f.path === 'k8s/base/users.yaml');
      const deployment = parseAllDocuments(file?.content ?? '').map((d) => d.toJS() as Obj).find((o) => o.kind === 'Deployment');
      return deployment?.spec.template.metadata.annotations['meshspec/config-hash'] as string;
    };
    const base = meshModel();
    const changed = meshModel({
      services: base.services.map((s) =>
        s.name === 'users' ? { ...s, deploy: { ...s.deploy, env: [{ name: 'FEATURE_X', value: 'off' }] } } : s,
      ),
    });
    expect(hash(base)).toMatch(/^[0-9a-f]{16}$/);
    expect(hash(changed)).not.toBe(hash(base));
  });
});

describe('Deployment', () => {
  it('labels the workload and selects its pods by the stable labels', () => {
    const labels = {
      'app.kubernetes.io/name': 'users',
      'app.kubernetes.io/part-of': 'shop',
      'app.kubernetes.io/version': '1.2.3',
      'app.kubernetes.io/managed-by': 'meshspec',
    };
    expect(usersDeployment.metadata.labels).toEqual(labels);
    expect(usersDeployment.spec.template.metadata.labels).toEqual(labels);
    expect(usersDeployment.spec.selector).toEqual({
      matchLabels: { 'app.kubernetes.io/name': 'users', 'app.kubernetes.io/part-of': 'shop' },
    });
  });

  it('selectors of the Deployment, Service and PDB all match the pod labels', () => {
    for (const path of ['k8s/base/users.yaml', 'k8s/base/inventory.yaml', 'k8s/base/orders.yaml', 'k8s/base/gateway.yaml']) {
      const deployment = kind(path, 'Deployment');
      const podLabels = deployment.spec.template.metadata.labels as Record<string, string>;
      const selectors = [deployment.spec.selector.matchLabels, kind(path, 'Service').spec.selector];
      const pdb = objects(path).find((o) => o.kind === 'PodDisruptionBudget');
      if (pdb) selectors.push(pdb.spec.selector.matchLabels);
      for (const selector of selectors) expect(podLabels, path).toMatchObject(selector);
    }
  });

  it('runs the generated entry point of the image with the spec replicas, image and resources', () => {
    expect(usersDeployment.spec.replicas).toBe(2);
    expect(usersContainer.image).toBe('registry.example.com/shop/users:1.2.3');
    expect(usersContainer.command).toBeUndefined();
    expect(usersContainer.args).toEqual(['users']);
    expect(usersContainer.resources).toEqual({
      requests: { cpu: '250m', memory: '256Mi' },
      limits: { cpu: '500m', memory: '256Mi' },
    });
  });

  it('exposes http, and grpc only when the service has a gRPC port', () => {
    expect(usersContainer.ports).toEqual([
      { name: 'http', containerPort: 3001, protocol: 'TCP' },
      { name: 'grpc', containerPort: 50051, protocol: 'TCP' },
    ]);
    expect(kind('k8s/base/orders.yaml', 'Deployment').spec.template.spec.containers[0].ports).toEqual([
      { name: 'http', containerPort: orders.ports.http, protocol: 'TCP' },
    ]);
  });

  it('probes /health (startup, liveness) and /ready (readiness) on the http port', () => {
    expect(usersContainer.startupProbe.httpGet).toEqual({ path: '/health', port: 'http' });
    expect(usersContainer.livenessProbe.httpGet).toEqual({ path: '/health', port: 'http' });
    expect(usersContainer.readinessProbe.httpGet).toEqual({ path: '/ready', port: 'http' });
    expect(usersContainer.startupProbe.periodSeconds * usersContainer.startupProbe.failureThreshold).toBeGreaterThanOrEqual(30);
  });

  it('waits the shutdown delay and grace plus 5 s before killing', () => {
    // 5 s delay + 10.5 s grace -> 16 s (rounded up) + 5 s.
    expect(usersDeployment.spec.template.spec.terminationGracePeriodSeconds).toBe(21);
  });

  it('reports a stopping pod not ready within its shutdown delay', () => {
    const readiness = usersContainer.readinessProbe as Obj;
    expect(readiness.failureThreshold).toBeGreaterThanOrEqual(2);
    expect(readiness.periodSeconds * readiness.failureThreshold).toBeLessThan(5);
  });

  it('sizes the grace period and the readiness probe by the spec\'s shutdownDelay', () => {
    const written: Record<number, string> = { 0: '0ms', 1_500: '1500ms', 2_500: '2500ms', 3_000: '3s', 4_000: '4s', 6_000: '6s', 10_000: '10s', 20_000: '20s', 90_000: '90s' };
    for (const delayMs of Object.keys(written).map(Number)) {
      const model = meshModel();
      const users = model.services.find((s) => s.name === 'users')!;
      users.deploy = { ...users.deploy, shutdownDelayMs: delayMs };
      const file = emitKubernetes(model, { layout: defaultLayout }).find((f) => f.path === 'k8s/base/users.yaml')!;
      const docs = parseAllDocuments(file.content).map((d) => d.toJS() as Obj);
      const deployment = docs.find((o) => o.kind === 'Deployment')!;
      const pod = deployment.spec.template.spec as Obj;
      const readiness = pod.containers[0].readinessProbe as Obj;
      expect(docs.find((o) => o.kind === 'ConfigMap')!.data.SHUTDOWN_DELAY).toBe(written[delayMs]);
      // The kubelet kills only after the delay, the 10.5 s grace and a margin.
      expect(pod.terminationGracePeriodSeconds * 1000, `${delayMs}`).toBeGreaterThan(delayMs + 10_500);
      expect(readiness.periodSeconds, `${delayMs}`).toBeGreaterThanOrEqual(1);
      expect(readiness.periodSeconds, `${delayMs}`).toBeLessThanOrEqual(5);
      // Above 2 s, two failed probes fit in the delay.
      if (delayMs > 2_000) expect(readiness.periodSeconds * readiness.failureThreshold, `${delayMs}`).toBeLessThan(delayMs / 1000);
    }
  });

  it('runs hardened: non-root, read-only root filesystem, no privilege escalation, no capabilities', () => {
    expect(usersContainer.securityContext).toEqual({
      runAsNonRoot: true,
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
    });
    const pod = usersDeployment.spec.template.spec;
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1000 });
    expect(pod.automountServiceAccountToken).toBe(false);
    // Its own ServiceAccount, which mounts no token either.
    expect(pod.serviceAccountName).toBe('users');
    expect(kind('k8s/base/users.yaml', 'ServiceAccount')).toMatchObject({ metadata: { name: 'users', namespace: 'shop-prod' }, automountServiceAccountToken: false });
    // The only writable place is the /tmp volume.
    expect(usersContainer.volumeMounts).toEqual([{ name: 'tmp', mountPath: '/tmp' }]);
    expect(pod.volumes).toEqual([{ name: 'tmp', emptyDir: { sizeLimit: '64Mi' } }]);
  });
});

describe('pod placement and scraping', () => {
  it('spreads a replicated workload over nodes, preferring (not requiring) one pod per node', () => {
    expect(usersDeployment.spec.template.spec.topologySpreadConstraints).toEqual([
      {
        maxSkew: 1,
        topologyKey: 'kubernetes.io/hostname',
        whenUnsatisfiable: 'ScheduleAnyway',
        labelSelector: { matchLabels: usersDeployment.spec.selector.matchLabels },
      },
    ]);
    expect(kind('k8s/base/orders.yaml', 'Deployment').spec.template.spec).not.toHaveProperty('topologySpreadConstraints');
  });

  it("tells Prometheus to scrape /metrics on a service's HTTP port, and on the gateway's metrics port", () => {
    expect(usersDeployment.spec.template.metadata.annotations).toMatchObject({
      'prometheus.io/scrape': 'true',
      'prometheus.io/port': '3001',
      'prometheus.io/path': '/metrics',
    });
    const gateway = kind('k8s/base/gateway.yaml', 'Deployment').spec.template;
    expect(gateway.metadata.annotations['prometheus.io/port']).toBe('9464');
    expect(gateway.spec.containers[0].ports).toEqual([
      { name: 'http', containerPort: 8080, protocol: 'TCP' },
      { name: 'metrics', containerPort: 9464, protocol: 'TCP' },
    ]);
    // The Service (and so the Ingress) exposes the public port alone: Prometheus scrapes the pods.
    expect(kind('k8s/base/gateway.yaml', 'Service').spec.ports.map((p: Obj) => p.name)).toEqual(['http']);
  });
});

describe('Service', () => {
  it('is a ClusterIP with named ports targeting the container ports by name', () => {
    const svc = kind('k8s/base/users.yaml', 'Service');
    expect(svc.metadata.name).toBe('users');
    expect(svc.spec.type).toBe('ClusterIP');
    expect(svc.spec.ports).toEqual([
      { name: 'http', port: 3001, targetPort: 'http', protocol: 'TCP', appProtocol: 'http' },
      { name: 'grpc', port: 50051, targetPort: 'grpc', protocol: 'TCP', appProtocol: 'kubernetes.io/h2c' },
    ]);
    const containerPorts = usersContainer.ports.map((p: Obj) => p.name);
    for (const port of svc.spec.ports) expect(containerPorts).toContain(port.targetPort);
  });

  it('has a headless twin per service, with the same selector and ports, for callers that resolve every pod', () => {
    const [svc, headless] = objects('k8s/base/users.yaml').filter((o) => o.kind === 'Service') as [Obj, Obj];
    expect(headless.metadata.name).toBe('users-headless');
    expect(headless.metadata.labels).toEqual(svc.metadata.labels);
    expect(headless.spec).toEqual({ ...svc.spec, clusterIP: 'None' });
    // The gateway is called through its ClusterIP only.
    expect(objects('k8s/base/gateway.yaml').filter((o) => o.kind === 'Service')).toHaveLength(1);
  });
});

describe('errors', () => {
  it('refuses a gRPC call to a service without a gRPC port', () => {
    const base = meshModel();
    const model = meshModel({
      services: base.services.map((s) => (s.name === 'orders' ? { ...s, calls: [buildCall('orders', { transport: 'grpc' }, [])] } : s)),
    });
    expect(() => emitKubernetes(model, { layout: defaultLayout })).toThrow(/orders is called over gRPC but has no gRPC port/);
  });
});
