// The Kubernetes manifests of a spec with a group (test/snapshots/groups: patients and appointments
// as `frontdesk`, reminders on its own) against real validators, and what makes a group work in a
// cluster: one Deployment running the group's entry point with every member's ports, and each
// member's own Service, under its own name and ports, selecting the group's pods.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { emitKubernetes } from '../../../generator/emit/kubernetes/index.js';
import { compileSpec } from '../../../generator/pipeline.js';
import { defaultLayout, groupPortNames } from '../../../generator/naming/index.js';
import { apiServerProblems, validateObject, type Obj } from '../../support/kubernetes.js';

const caseDir = fileURLToPath(new URL('../../snapshots/groups/', import.meta.url));
const { model, diagnostics } = await compileSpec('spec', caseDir);
if (!model) throw new Error(`the groups case does not compile: ${JSON.stringify(diagnostics, null, 2)}`);
const files = emitKubernetes(model, { layout: defaultLayout });
const objectsOf = (path: string): Obj[] => {
  const file = files.find((f) => f.path === path);
  if (!file) throw new Error(`no ${path}`);
  return parseAllDocuments(file.content).map((d) => d.toJS() as Obj);
};
const objects: [string, Obj][] = files
  .filter((f) => f.path.startsWith('k8s/base/') && f.path !== 'k8s/base/kustomization.yaml')
  .flatMap((f) => objectsOf(f.path).map((o): [string, Obj] => [`${f.path} ${o.kind}/${o.metadata?.name}`, o]));
const group = objectsOf('k8s/base/frontdesk.yaml');
const deployment = group.find((o) => o.kind === 'Deployment') as Obj;
const container = deployment.spec.template.spec.containers[0] as Obj;
const services = group.filter((o) => o.kind === 'Service');

const kubectl = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' }).error === undefined;
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('Kubernetes manifests of a group', () => {
  it('writes one file for the group and none for its members', () => {
    expect(files.map((f) => f.path)).toEqual(['k8s/base/namespace.yaml', 'k8s/base/reminders.yaml', 'k8s/base/frontdesk.yaml', 'k8s/base/gateway.yaml', 'k8s/base/kustomization.yaml', 'k8s/overlays/dev/kustomization.yaml', 'k8s/overlays/prod/kustomization.yaml']);
    expect(objectsOf('k8s/base/kustomization.yaml')[0]!.resources).toEqual(['frontdesk.yaml', 'gateway.yaml', 'namespace.yaml', 'reminders.yaml']);
    expect(group.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([
      'ServiceAccount/frontdesk',
      'ConfigMap/frontdesk-config',
      'Deployment/frontdesk',
      'Service/appointments',
      'Service/appointments-headless',
      'Service/patients',
      'Service/patients-headless',
      'PodDisruptionBudget/frontdesk',
      'NetworkPolicy/frontdesk-deny-all',
      'NetworkPolicy/frontdesk-allow',
    ]);
  });

  it.each(objects)('%s validates against its Kubernetes schema and the API server checks', (_name, o) => {
    expect(() => validateObject(o)).not.toThrow();
    expect(apiServerProblems(o)).toEqual([]);
  });

  it('runs the group\'s entry point with its own deploy keys and every member\'s ports', () => {
    expect(container.command).toBeUndefined();
    expect(container.args).toEqual(['frontdesk']);
    expect(deployment.spec.replicas).toBe(2);
    expect(container.resources).toEqual({ requests: { cpu: '250m', memory: '256Mi' }, limits: { cpu: '500m', memory: '256Mi' } });
    expect(container.ports.map((p: Obj) => [p.name, p.containerPort])).toEqual([
      ['appointmen-http', 3302],
      ['patients-http', 3301],
      ['patients-grpc', 50301],
    ]);
    // The member started last (patients) answers for the pod.
    for (const probe of ['startupProbe', 'livenessProbe', 'readinessProbe']) expect(container[probe].httpGet.port).toBe('patients-http');
  });

  it('merges the group\'s and the members\' environment into one ConfigMap and one list of secrets', () => {
    const config = group.find((o) => o.kind === 'ConfigMap') as Obj;
    expect(config.data).toMatchObject({ REGION: 'eu-west', PATIENT_CACHE_SIZE: '500', EVENT_BUS: 'redis', MESH_PATIENTS_HTTP: 'http://patients.clinic.svc.cluster.local:3301' });
    // appointments has storage: its own database URL variable, beside the group's secrets.
    expect(container.env.map((e: Obj) => [e.name, e.valueFrom.secretKeyRef.name])).toEqual([
      ['DATABASE_URL', 'clinic-db'], ['EVENT_BUS_URL', 'clinic-event-bus'], ['MESH_APPOINTMENTS_DATABASE_URL', 'clinic-appointments-database'],
    ]);
  });

  it('keeps each member\'s Service under its own name and ports, selecting the group\'s pods through ports that exist', () => {
    const podLabels = deployment.spec.template.metadata.labels as Record<string, string>;
    const portNames = new Set(container.ports.map((p: Obj) => p.name));
    for (const service of services) {
      for (const [key, value] of Object.entries(service.spec.selector as Record<string, string>)) expect(podLabels[key]).toBe(value);
      for (const port of service.spec.ports) expect(portNames.has(port.targetPort)).toBe(true);
    }
    const patients = services.find((s) => s.metadata.name === 'patients') as Obj;
    expect(patients.spec.ports.map((p: Obj) => [p.name, p.port, p.targetPort])).toEqual([['http', 3301, 'patients-http'], ['grpc', 50301, 'patients-grpc']]);
    // Callers outside the group find it where they would find it alone.
    expect(objectsOf('k8s/base/reminders.yaml').find((o) => o.kind === 'ConfigMap')!.data.MESH_PATIENTS_GRPC).toBe('patients.clinic.svc.cluster.local:50301');
  });

  it('builds with kubectl kustomize into every object', (ctx) => {
    if (!kubectl) {
      if (process.env.CI === 'true') throw new Error('kubectl is not on PATH: CI must provide it (with kustomize)');
      ctx.skip('kubectl is not on PATH: install it to check the kustomization (required when CI=true)');
    }
    const dir = mkdtempSync(join(tmpdir(), 'meshspec-k8s-groups-'));
    dirs.push(dir);
    for (const f of files) {
      mkdirSync(dirname(join(dir, f.path)), { recursive: true });
      writeFileSync(join(dir, f.path), f.content);
    }
    const result = spawnSync('kubectl', ['kustomize', join(dir, 'k8s/base')], { encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const built = parseAllDocuments(result.stdout).map((d) => `${(d.toJS() as Obj).kind}/${(d.toJS() as Obj).metadata.name}`);
    expect(built.sort()).toEqual(objects.map(([, o]) => `${o.kind}/${o.metadata.name}`).sort());
  });
});

describe('groupPortNames', () => {
  it('keeps `<service>-<kind>` when it fits in 15 characters', () => {
    expect(groupPortNames([{ service: 'users', kind: 'http' }, { service: 'users', kind: 'grpc' }, { service: 'inventory', kind: 'http' }])).toEqual(['users-http', 'users-grpc', 'inventory-http']);
  });

  it('cuts long names to IANA service names and numbers the ones that would meet', () => {
    const names = groupPortNames([
      { service: 'notificationsemail', kind: 'http' },
      { service: 'notificationssms', kind: 'http' },
      { service: 'notificationssms', kind: 'grpc' },
      { service: 'notificationspush', kind: 'http' },
    ]);
    expect(names).toEqual(['notificati-http', 'notificat2-http', 'notificati-grpc', 'notificat3-http']);
    for (const name of names) expect(name).toMatch(/^(?=.*[a-z])[a-z0-9]([a-z0-9-]{0,13}[a-z0-9])?$/);
    expect(new Set(names).size).toBe(names.length);
  });
});
