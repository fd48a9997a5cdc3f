import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { emitKubernetes } from '../../../generator/emit/kubernetes/index.js';
import { labelValue } from '../../../generator/emit/kubernetes/labels.js';
import { meshModel } from './fixture.js';
import { defaultLayout } from '../../../generator/naming/index.js';

type Obj = Record<string, any>;

const file = emitKubernetes(meshModel(), { layout: defaultLayout }).find((f) => f.path === 'k8s/base/gateway.yaml');
const objects = parseAllDocuments(file?.content ?? '').map((d) => d.toJS() as Obj);
const byKind = (k: string): Obj => objects.find((o) => o.kind === k) ?? {};

describe('gateway manifests', () => {
  it('holds a ServiceAccount, a ConfigMap, a Deployment, a Service (one replica: no PDB) and its NetworkPolicies', () => {
    expect(objects.map((o) => o.kind)).toEqual(['ServiceAccount', 'ConfigMap', 'Deployment', 'Service', 'NetworkPolicy', 'NetworkPolicy']);
    expect(file?.sources).toEqual(['spec/mesh.yaml', 'spec/services/orders.yaml', 'spec/services/users.yaml']);
  });

  it('points at every routed service once, plus the spec env', () => {
    expect(byKind('ConfigMap').data).toEqual({
      CORS_ORIGIN: 'https://shop.example.com',
      LOG_LEVEL: 'info',
      MESH_ORDERS_HTTP: 'http://orders.shop-prod.svc.cluster.local:3002',
      MESH_USERS_HTTP: 'http://users.shop-prod.svc.cluster.local:3001',
      NODE_ENV: 'production',
      SHUTDOWN_DELAY: '8s',
    });
  });

  it('drains for its own delay, then its upstream timeout (its grace period), before the kubelet kills it', () => {
    const pod = byKind('Deployment').spec.template.spec as Obj;
    // 8 s delay + 10 s gateway timeout (not the services' 10.5 s grace) + 5 s margin.
    expect(pod.terminationGracePeriodSeconds).toBe(23);
    const readiness = pod.containers[0].readinessProbe as Obj;
    expect(readiness.periodSeconds * readiness.failureThreshold).toBeLessThan(8);
  });

  it('runs the generated gateway on its spec port, behind port 80, with its metrics on a port the Service leaves out', () => {
    const container = byKind('Deployment').spec.template.spec.containers[0] as Obj;
    expect(container.command).toBeUndefined();
    expect(container.args).toEqual(['gateway']);
    expect(container.ports).toEqual([
      { name: 'http', containerPort: 8080, protocol: 'TCP' },
      { name: 'metrics', containerPort: 9464, protocol: 'TCP' },
    ]);
    expect(container.envFrom).toEqual([{ configMapRef: { name: 'gateway-config' } }]);
    expect(container.readinessProbe.httpGet).toEqual({ path: '/ready', port: 'http' });
    expect(byKind('Service').spec).toEqual({
      type: 'ClusterIP',
      selector: { 'app.kubernetes.io/name': 'gateway', 'app.kubernetes.io/part-of': 'shop' },
      ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP', appProtocol: 'http' }],
    });
  });

  it('is left out, also from the kustomization, when the mesh has no gateway', () => {
    const files = emitKubernetes(meshModel({ gateway: null }), { layout: defaultLayout });
    expect(files.map((f) => f.path)).not.toContain('k8s/base/gateway.yaml');
    expect(files.find((f) => f.path === 'k8s/base/kustomization.yaml')?.content).not.toContain('gateway');
  });
});

describe('labelValue', () => {
  it('keeps valid values and repairs the rest', () => {
    expect(labelValue('1.2.3')).toBe('1.2.3');
    expect(labelValue('1.0.0+build.5')).toBe('1.0.0-build.5');
    expect(labelValue('-x-')).toBe('x');
    expect(labelValue('v'.repeat(70))).toHaveLength(63);
  });
});
