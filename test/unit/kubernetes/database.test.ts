// Storage in the manifests: a service with `storage` gets MESH_<SERVICE>_DATABASE_URL from its own
// `<mesh>-<service>-database` Secret by reference (never a value, never a database server); services
// grouped into one process each get their own variable; the spec's own `deploy.secrets` win.
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { emitKubernetes } from '../../../generator/emit/kubernetes/index.js';
import type { GroupModel, MeshModel, ServiceModel } from '../../../generator/model/types.js';
import { defaultLayout } from '../../../generator/naming/index.js';
import { apiServerProblems, validateObject, type Obj } from '../../support/kubernetes.js';
import { inventory, meshModel, orders, users } from './fixture.js';

const postgres = { engine: 'postgres' as const, poolSize: 10 };
/** orders and inventory have storage, users has none. */
const withStorage = (s: ServiceModel): ServiceModel => (s.name === 'users' ? s : { ...s, storage: postgres });

function files(model: MeshModel): Map<string, Obj[]> {
  return new Map(emitKubernetes(model, { layout: defaultLayout }).map((f) => [f.path, parseAllDocuments(f.content).map((d) => d.toJS() as Obj)]));
}

const containerOf = (objects: Obj[]) => objects.find((o) => o.kind === 'Deployment')!.spec.template.spec.containers[0] as Obj;
const fromSecret = (service: string) => ({ name: `MESH_${service.toUpperCase()}_DATABASE_URL`, valueFrom: { secretKeyRef: { name: `shop-${service}-database`, key: 'url' } } });

describe('storage in the manifests', () => {
  it('references each service’s own database Secret, and nothing for a service without storage', () => {
    const out = files(meshModel({ services: [inventory, orders, users].map(withStorage) }));
    expect(containerOf(out.get('k8s/base/orders.yaml')!).env).toEqual([fromSecret('orders')]);
    expect(containerOf(out.get('k8s/base/inventory.yaml')!).env).toEqual([fromSecret('inventory')]);
    expect(containerOf(out.get('k8s/base/users.yaml')!).env.map((e: Obj) => e.name)).toEqual(['DATABASE_URL']); // the fixture's own secret
    for (const objects of out.values()) {
      for (const o of objects) {
        expect(o.kind).not.toBe('Secret');
        expect(o.kind).not.toBe('StatefulSet');
        expect(JSON.stringify(o)).not.toMatch(/postgres:\/\//);
      }
    }
  });

  it('gives each grouped service its own variable in the one workload', () => {
    const group: GroupModel = { name: 'core', services: ['inventory', 'orders'], deploy: orders.deploy, source: orders.source };
    const out = files(meshModel({ services: [inventory, orders, users].map(withStorage), groups: [group] }));
    const env = containerOf(out.get('k8s/base/core.yaml')!).env;
    expect(env).toContainEqual(fromSecret('inventory'));
    expect(env).toContainEqual(fromSecret('orders'));
  });

  it("lets the spec's own deploy.secrets name another Secret for the variable", () => {
    const own = { env: 'MESH_ORDERS_DATABASE_URL', secret: 'orders-pg', key: 'uri' };
    const model = meshModel({ services: [inventory, { ...orders, storage: postgres, deploy: { ...orders.deploy, secrets: [own] } }, users] });
    expect(containerOf(files(model).get('k8s/base/orders.yaml')!).env).toEqual([{ name: own.env, valueFrom: { secretKeyRef: { name: 'orders-pg', key: 'uri' } } }]);
  });

  it('gives objects that the schemas and the API server accept', () => {
    for (const [file, objects] of files(meshModel({ services: [inventory, orders, users].map(withStorage) }))) {
      if (file.endsWith('kustomization.yaml')) continue; // not an API object
      for (const o of objects) {
        expect(() => validateObject(o)).not.toThrow();
        expect(apiServerProblems(o)).toEqual([]);
      }
    }
  });
});
