// The bus settings in the manifests: every workload that publishes or subscribes gets EVENT_BUS in
// its ConfigMap and, on a broker, EVENT_BUS_URL from the `<mesh>-event-bus` Secret by reference.
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { emitKubernetes } from '../../../generator/emit/kubernetes/index.js';
import type { BusModel, MeshModel, ServiceModel } from '../../../generator/model/types.js';
import { defaultLayout } from '../../../generator/naming/index.js';
import { busSettingsFromEnv, DEFAULT_BUS } from '../../../runtime/bus/settings.js';
import { apiServerProblems, validateObject, type Obj } from '../../support/kubernetes.js';
import { inventory, meshModel, orders, users } from './fixture.js';

/** users publishes, orders subscribes, inventory does neither. */
function busModel(kind: BusModel['kind'], change: (s: ServiceModel) => ServiceModel = (s) => s): MeshModel {
  const services = [
    inventory,
    { ...orders, subscribes: [{ event: 'user.created', handler: 'welcomeUser', maxAttempts: 3 }] },
    { ...users, publishes: ['user.created'] },
  ].map(change);
  return meshModel({ runtime: { bodyLimitBytes: 1_048_576, shutdownGraceMs: 10_000, bus: { ...DEFAULT_BUS, kind } }, services });
}

function objectsOf(model: MeshModel, workload: string): Obj[] {
  const file = emitKubernetes(model, { layout: defaultLayout }).find((f) => f.path === `k8s/base/${workload}.yaml`);
  if (!file) throw new Error(`no k8s/base/${workload}.yaml`);
  return parseAllDocuments(file.content).map((d) => d.toJS() as Obj);
}

const configOf = (model: MeshModel, workload: string) => objectsOf(model, workload).find((o) => o.kind === 'ConfigMap')!.data as Record<string, string>;
const containerOf = (model: MeshModel, workload: string) => objectsOf(model, workload).find((o) => o.kind === 'Deployment')!.spec.template.spec.containers[0] as Obj;

const urlFromSecret = { name: 'EVENT_BUS_URL', valueFrom: { secretKeyRef: { name: 'shop-event-bus', key: 'url' } } };

describe('the event bus in the manifests', () => {
  it.each(['redis', 'rabbitmq'] as const)('%s: publishers and subscribers get EVENT_BUS and the URL from the Secret', (kind) => {
    const model = busModel(kind);
    for (const workload of ['orders', 'users']) {
      expect(configOf(model, workload)['EVENT_BUS']).toBe(kind);
      expect(configOf(model, workload)).not.toHaveProperty('EVENT_BUS_URL');
      expect(containerOf(model, workload).env).toContainEqual(urlFromSecret);
    }
    // users keeps its own secret beside the bus's, sorted by variable.
    expect(containerOf(model, 'users').env.map((e: Obj) => e.name)).toEqual(['DATABASE_URL', 'EVENT_BUS_URL']);
  });

  it('leaves the bus out of workloads that neither publish nor subscribe, and out of the gateway', () => {
    const model = busModel('redis');
    for (const workload of ['inventory', 'gateway']) {
      expect(configOf(model, workload)).not.toHaveProperty('EVENT_BUS');
      expect(containerOf(model, workload)).not.toHaveProperty('env');
    }
  });

  it('memory: EVENT_BUS=memory and no Secret to reference', () => {
    const model = busModel('memory');
    expect(configOf(model, 'users')['EVENT_BUS']).toBe('memory');
    expect(containerOf(model, 'orders')).not.toHaveProperty('env');
    expect(containerOf(model, 'users').env.map((e: Obj) => e.name)).toEqual(['DATABASE_URL']);
  });

  it("lets the spec's own deploy.env and deploy.secrets override the generated bus variables", () => {
    const model = busModel('redis', (s) =>
      s.name !== 'orders' ? s : {
        ...s,
        deploy: { ...s.deploy, env: [{ name: 'EVENT_BUS', value: 'rabbitmq' }], secrets: [{ env: 'EVENT_BUS_URL', secret: 'orders-broker', key: 'amqp' }] },
      },
    );
    expect(configOf(model, 'orders')['EVENT_BUS']).toBe('rabbitmq');
    expect(containerOf(model, 'orders').env).toEqual([{ name: 'EVENT_BUS_URL', valueFrom: { secretKeyRef: { name: 'orders-broker', key: 'amqp' } } }]);
  });

  it('gives objects that the schemas and the API server accept', () => {
    for (const workload of ['orders', 'users', 'inventory']) {
      for (const o of objectsOf(busModel('rabbitmq'), workload)) {
        expect(() => validateObject(o)).not.toThrow();
        expect(apiServerProblems(o)).toEqual([]);
      }
    }
  });

  it('sets the variables the runtime reads', () => {
    const model = busModel('redis');
    const env = { ...configOf(model, 'orders'), EVENT_BUS_URL: 'rediss://user:pw@redis.shop:6380' };
    expect(busSettingsFromEnv(DEFAULT_BUS, env)).toMatchObject({ kind: 'redis', url: 'rediss://user:pw@redis.shop:6380', fromEnvironment: true });
  });

  it('rolls the pods when the kind changes', () => {
    const hash = (m: MeshModel) => objectsOf(m, 'users').find((o) => o.kind === 'Deployment')!.spec.template.metadata.annotations['meshspec/config-hash'];
    expect(hash(busModel('redis'))).not.toBe(hash(busModel('rabbitmq')));
  });
});
