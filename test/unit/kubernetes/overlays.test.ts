// The kustomize overlays: dev's patches, prod's pinned images, and the image references they split.
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { emitKubernetes } from '../../../generator/emit/kubernetes/index.js';
import { imageParts } from '../../../generator/emit/kubernetes/overlays.js';
import { defaultLayout } from '../../../generator/naming/index.js';
import { gateway, inventory, meshModel, orders, users } from './fixture.js';

type Obj = Record<string, any>;

const digest = `sha256:${'0f'.repeat(32)}`;
const files = emitKubernetes(
  meshModel({
    services: [inventory, { ...orders, deploy: { ...orders.deploy, image: `registry.example.com/shop/orders:2.0.0@${digest}` } }, users],
    gateway: { ...gateway, deploy: { ...gateway.deploy, image: 'localhost:5000/gateway' } },
  }),
  { layout: defaultLayout },
);
const overlay = (name: string): Obj => parseAllDocuments(files.find((f) => f.path === `k8s/overlays/${name}/kustomization.yaml`)!.content)[0]!.toJS() as Obj;

describe('kustomize overlays', () => {
  it('prod builds on the base and lists every image with its tag or digest', () => {
    expect(overlay('prod')).toEqual({
      apiVersion: 'kustomize.config.k8s.io/v1beta1',
      kind: 'Kustomization',
      resources: ['../../base'],
      images: [
        { name: 'localhost:5000/gateway' },
        { name: 'registry.example.com/shop/inventory', newTag: '1.2.3' },
        { name: 'registry.example.com/shop/orders', newTag: '2.0.0', digest },
        { name: 'registry.example.com/shop/users', newTag: '1.2.3' },
      ],
    });
  });

  it('dev sets one replica and small resources on every Deployment, and deletes every autoscaler', () => {
    const dev = overlay('dev');
    expect(dev.resources).toEqual(['../../base']);
    expect(dev.patches.map((p: Obj) => p.target)).toEqual([{ kind: 'Deployment' }, { kind: 'HorizontalPodAutoscaler' }]);
    const ops = parseAllDocuments(dev.patches[0].patch)[0]!.toJS() as Obj[];
    expect(ops.map((o) => [o.op, o.path])).toEqual([['add', '/spec/replicas'], ['add', '/spec/template/spec/containers/0/resources']]);
    expect(dev.patches[1].patch).toContain('$patch: delete');
  });

  it('splits image references as kustomize takes them', () => {
    expect(imageParts('ghcr.io/acme/users:1.0.0')).toEqual({ name: 'ghcr.io/acme/users', newTag: '1.0.0' });
    expect(imageParts('localhost:5000/users')).toEqual({ name: 'localhost:5000/users' });
    expect(imageParts(`localhost:5000/users:1.0.0@${digest}`)).toEqual({ name: 'localhost:5000/users', newTag: '1.0.0', digest });
    expect(imageParts(`users@${digest}`)).toEqual({ name: 'users', digest });
  });
});
