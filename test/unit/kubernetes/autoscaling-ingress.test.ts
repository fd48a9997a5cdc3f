// The objects the spec's `deploy.autoscaling` and `gateway.ingress` add: a HorizontalPodAutoscaler
// (and a Deployment that leaves the count to it), and the gateway's Ingress with TLS from a Secret.
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { emitKubernetes } from '../../../generator/emit/kubernetes/index.js';
import type { MeshModel } from '../../../generator/model/types.js';
import { defaultLayout } from '../../../generator/naming/index.js';
import { apiServerProblems, validateObject } from '../../support/kubernetes.js';
import { gateway, inventory, meshModel, orders, users } from './fixture.js';

type Obj = Record<string, any>;

function objectsOf(model: MeshModel, workload: string): Obj[] {
  const file = emitKubernetes(model, { layout: defaultLayout }).find((f) => f.path === `k8s/base/${workload}.yaml`);
  if (!file) throw new Error(`no k8s/base/${workload}.yaml`);
  return parseAllDocuments(file.content).map((d) => d.toJS() as Obj);
}

const autoscaled = meshModel({
  services: [inventory, { ...orders, deploy: { ...orders.deploy, replicas: 2, autoscaling: { min: 2, max: 10, cpuPercent: 70 } } }, users],
  gateway: { ...gateway, ingress: { host: 'shop.example.com', className: 'nginx', tlsSecret: 'shop-tls' } },
});

describe('deploy.autoscaling', () => {
  const objects = objectsOf(autoscaled, 'orders');
  const deployment = objects.find((o) => o.kind === 'Deployment')!;

  it('adds a HorizontalPodAutoscaler on CPU utilization, scaling the Deployment between min and max', () => {
    expect(objects.find((o) => o.kind === 'HorizontalPodAutoscaler')).toEqual({
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: deployment.metadata,
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'orders' },
        minReplicas: 2,
        maxReplicas: 10,
        metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } }],
      },
    });
    // Utilization is a share of the request: every container has one.
    expect(deployment.spec.template.spec.containers[0].resources.requests.cpu).toBe('100m');
  });

  it('leaves the replica count to the autoscaler, keeps a budget for min > 1 and spreads up to max', () => {
    expect(deployment.spec).not.toHaveProperty('replicas');
    expect(objects.map((o) => o.kind)).toContain('PodDisruptionBudget');
    expect(deployment.spec.template.spec.topologySpreadConstraints).toHaveLength(1);
    const single = objectsOf(meshModel({ services: [inventory, { ...orders, deploy: { ...orders.deploy, autoscaling: { min: 1, max: 4, cpuPercent: 80 } } }, users] }), 'orders');
    expect(single.map((o) => o.kind)).not.toContain('PodDisruptionBudget');
    expect(single.find((o) => o.kind === 'Deployment')!.spec.template.spec.topologySpreadConstraints).toHaveLength(1);
  });

  it('adds none for a fixed count', () => {
    const fixed = objectsOf(meshModel(), 'orders');
    expect(fixed.map((o) => o.kind)).not.toContain('HorizontalPodAutoscaler');
    expect(fixed.find((o) => o.kind === 'Deployment')!.spec.replicas).toBe(1);
  });
});

describe('gateway.ingress', () => {
  const objects = objectsOf(autoscaled, 'gateway');

  it('routes every path of the host to the gateway Service, through the class named, with TLS from the Secret', () => {
    const ingress = objects.find((o) => o.kind === 'Ingress')!;
    expect(ingress.metadata.name).toBe('gateway');
    expect(ingress.spec).toEqual({
      ingressClassName: 'nginx',
      tls: [{ hosts: ['shop.example.com'], secretName: 'shop-tls' }],
      rules: [{ host: 'shop.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'gateway', port: { number: 80 } } } }] } }],
    });
    const service = objects.find((o) => o.kind === 'Service')!;
    expect(service.spec.ports.map((p: Obj) => p.port)).toContain(80);
  });

  it('leaves the class and TLS out when the spec does, and adds no Ingress without `ingress`', () => {
    const plain = objectsOf(meshModel({ gateway: { ...gateway, ingress: { host: 'shop.example.com' } } }), 'gateway').find((o) => o.kind === 'Ingress')!;
    expect(plain.spec).not.toHaveProperty('tls');
    expect(plain.spec).not.toHaveProperty('ingressClassName');
    expect(objectsOf(meshModel(), 'gateway').map((o) => o.kind)).not.toContain('Ingress');
  });
});

describe('the new objects', () => {
  it.each([...objectsOf(autoscaled, 'orders'), ...objectsOf(autoscaled, 'gateway')].map((o) => [`${o.kind}/${o.metadata.name}`, o]))(
    '%s validates against its Kubernetes schema and the API server checks',
    (_name, o) => {
      expect(() => validateObject(o)).not.toThrow();
      expect(apiServerProblems(o)).toEqual([]);
    },
  );
});
