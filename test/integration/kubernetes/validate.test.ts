// The Kubernetes manifests of the example spec against real validators: every object against
// its kubernetes-models schema, and the folder through `kubectl kustomize`.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { emitKubernetes } from '../../../generator/emit/kubernetes/index.js';
import { DEV_RESOURCES } from '../../../generator/emit/kubernetes/overlays.js';
import type { EmittedFile } from '../../../generator/emit/types.js';
import { compileSpec } from '../../../generator/pipeline.js';
import { defaultLayout } from '../../../generator/naming/index.js';
import { apiServerProblems, validateObject, type Obj } from '../../support/kubernetes.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const { model, diagnostics } = await compileSpec('spec', root);
if (!model) throw new Error(`the example spec does not compile: ${JSON.stringify(diagnostics, null, 2)}`);
const files = emitKubernetes(model, { layout: defaultLayout });
const manifests = files.filter((f) => f.path.startsWith('k8s/base/') && f.path !== 'k8s/base/kustomization.yaml');
const objects: [string, Obj][] = manifests.flatMap((f) =>
  parseAllDocuments(f.content).map((d): [string, Obj] => {
    const o = d.toJS() as Obj;
    return [`${f.path} ${o.kind}/${o.metadata?.name}`, o];
  }),
);

/**
 * Namespace + (ServiceAccount, ConfigMap, Deployment, Service, 2 NetworkPolicies, PDB when replicated,
 * HPA when autoscaled) per service and for the gateway, + a headless Service per service, + the gateway's Ingress.
 */
const workloads = [...model.services.map((s) => s.deploy), ...(model.gateway ? [model.gateway.deploy] : [])];
const expectedCount =
  1 + workloads.reduce((n, d) => n + 6 + (d.replicas > 1 ? 1 : 0) + (d.autoscaling ? 1 : 0), 0) + model.services.length + (model.gateway?.ingress ? 1 : 0);

const kubectl = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' }).error === undefined;
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function writeFolder(emitted: EmittedFile[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'meshspec-k8s-'));
  dirs.push(dir);
  for (const f of emitted) {
    mkdirSync(dirname(join(dir, f.path)), { recursive: true });
    writeFileSync(join(dir, f.path), f.content);
  }
  return join(dir, 'k8s');
}

/** A folder's objects as `kubectl kustomize` builds them. */
function built(folder: string): Obj[] {
  const result = kustomize(folder);
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
  return parseAllDocuments(result.stdout).map((d) => d.toJS() as Obj);
}

function kustomize(dir: string): { status: number | null; stdout: string; stderr: string } {
  return spawnSync('kubectl', ['kustomize', dir], { encoding: 'utf8' });
}

/** Skips without kubectl on a developer machine; in CI a missing kubectl is a failure. */
function requireKubectl(skip: (note: string) => void): void {
  if (kubectl) return;
  if (process.env.CI === 'true') throw new Error('kubectl is not on PATH: CI must provide it (with kustomize)');
  skip('kubectl is not on PATH: install it to check the kustomization (required when CI=true)');
}

describe('Kubernetes manifests of the example spec', () => {
  it('has the expected objects', () => {
    expect(objects).toHaveLength(expectedCount);
    // users and orders have 2 replicas (orders autoscaled from 2): 1 namespace + 5 workloads x 6 + 2 PDBs + 1 HPA + 4 headless Services + 1 Ingress.
    expect(expectedCount).toBe(39);
    expect(objects.map(([, o]) => o.kind)).toEqual(expect.arrayContaining(['HorizontalPodAutoscaler', 'Ingress', 'NetworkPolicy', 'ServiceAccount']));
  });

  it.each(objects)('%s validates against its Kubernetes schema', (_name, o) => {
    expect(() => validateObject(o)).not.toThrow();
  });

  it.each(objects)('%s passes the API server checks the schema leaves out', (_name, o) => {
    expect(apiServerProblems(o)).toEqual([]);
  });

  it('builds with kubectl kustomize into every object, all in the namespace', (ctx) => {
    requireKubectl((note) => ctx.skip(note));
    const base = built(join(writeFolder(files), 'base'));
    expect(base).toHaveLength(expectedCount);
    for (const o of base.filter((o) => o.kind !== 'Namespace')) expect(o.metadata.namespace).toBe(model.deploy.namespace);
    expect(base.map((o) => `${o.kind}/${o.metadata.name}`).sort()).toEqual(
      objects.map(([, o]) => `${o.kind}/${o.metadata.name}`).sort(),
    );
  });
});

describe('the kustomize overlays of the example spec', () => {
  const deployments = (objects: Obj[]) => objects.filter((o) => o.kind === 'Deployment');

  it('dev: one replica of everything, no autoscaler, small resources; every object valid', (ctx) => {
    requireKubectl((note) => ctx.skip(note));
    const dev = built(join(writeFolder(files), 'overlays/dev'));
    expect(dev.map((o) => o.kind)).not.toContain('HorizontalPodAutoscaler');
    expect(dev).toHaveLength(expectedCount - 1);
    for (const d of deployments(dev)) {
      expect(d.spec.replicas, d.metadata.name).toBe(1);
      expect(d.spec.template.spec.containers[0].resources).toEqual(DEV_RESOURCES);
    }
    for (const o of dev) {
      expect(() => validateObject(o), `${o.kind}/${o.metadata.name}`).not.toThrow();
      expect(apiServerProblems(o)).toEqual([]);
    }
  });

  it('prod: the spec\'s replicas, resources and autoscaler, every image pinned; every object valid', (ctx) => {
    requireKubectl((note) => ctx.skip(note));
    const prod = built(join(writeFolder(files), 'overlays/prod'));
    expect(prod.map((o) => `${o.kind}/${o.metadata.name}`).sort()).toEqual(objects.map(([, o]) => `${o.kind}/${o.metadata.name}`).sort());
    const byName = new Map(deployments(prod).map((d) => [d.metadata.name, d]));
    for (const service of model.services) {
      const d = byName.get(service.name)!;
      expect(d.spec.replicas, service.name).toBe(service.deploy.autoscaling ? undefined : service.deploy.replicas);
      expect(d.spec.template.spec.containers[0].resources).toEqual(service.deploy.resources);
      expect(d.spec.template.spec.containers[0].image).toBe(service.deploy.image);
    }
    expect(prod.find((o) => o.kind === 'HorizontalPodAutoscaler')?.spec).toMatchObject({ minReplicas: 2, maxReplicas: 6 });
    for (const o of prod) {
      expect(() => validateObject(o), `${o.kind}/${o.metadata.name}`).not.toThrow();
      expect(apiServerProblems(o)).toEqual([]);
    }
  });

  it('prod: a tag changed in the overlay reaches the Deployment (the pin is live)', (ctx) => {
    requireKubectl((note) => ctx.skip(note));
    const edited = files.map((f) =>
      f.path === 'k8s/overlays/prod/kustomization.yaml' ? { ...f, content: f.content.replace(/(name: [^\n]*\/users\n\s+newTag: )\S+/, '$11.0.1') } : f,
    );
    const prod = built(join(writeFolder(edited), 'overlays/prod'));
    expect(deployments(prod).find((d) => d.metadata.name === 'users')!.spec.template.spec.containers[0].image).toMatch(/\/users:1\.0\.1$/);
  });
});

describe('the validators are live', () => {
  const deployment = objects.find(([, o]) => o.kind === 'Deployment')?.[1] ?? {};

  it('kubernetes-models rejects a Deployment without a selector', () => {
    const broken = structuredClone(deployment);
    delete broken.spec.selector;
    expect(() => validateObject(broken)).toThrow(/selector/);
  });

  it('the API server checks reject an empty image, a bad label value and an out-of-range grace period', () => {
    const broken = structuredClone(deployment);
    broken.spec.template.spec.containers[0].image = '';
    broken.metadata.labels['app.kubernetes.io/version'] = 'x'.repeat(64);
    broken.spec.template.spec.terminationGracePeriodSeconds = 3.6e23;
    expect(apiServerProblems(broken)).toEqual([
      expect.stringContaining('label app.kubernetes.io/version'),
      expect.stringContaining('terminationGracePeriodSeconds'),
      expect.stringContaining('image ""'),
    ]);
  });

  it('kubernetes-models rejects an autoscaler without its target and a NetworkPolicy without a pod selector', () => {
    const hpa = structuredClone(objects.find(([, o]) => o.kind === 'HorizontalPodAutoscaler')![1]);
    delete hpa.spec.scaleTargetRef;
    expect(() => validateObject(hpa)).toThrow(/scaleTargetRef/);
    const policy = structuredClone(objects.find(([, o]) => o.kind === 'NetworkPolicy')![1]);
    delete policy.spec.podSelector;
    expect(() => validateObject(policy)).toThrow(/podSelector/);
  });

  it('kubernetes-models rejects a container port that is not a number', () => {
    const broken = structuredClone(deployment);
    broken.spec.template.spec.containers[0].ports[0].containerPort = 'http';
    expect(() => validateObject(broken)).toThrow(/containerPort/);
  });

  it('kubectl kustomize fails on a kustomization naming a missing file', (ctx) => {
    requireKubectl((note) => ctx.skip(note));
    const broken = files.map((f) =>
      f.path === 'k8s/base/kustomization.yaml' ? { ...f, content: `${f.content}  - missing.yaml\n` } : f,
    );
    expect(broken.find((f) => f.path === 'k8s/base/kustomization.yaml')?.content).toMatch(/- users\.yaml\n {2}- missing\.yaml\n$/);
    const result = kustomize(join(writeFolder(broken), 'base'));
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/missing\.yaml/);
  });
});
