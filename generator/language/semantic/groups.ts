// Checks of `deploy.groups` in mesh.yaml: services deployed together as one process. A group must
// name declared services, two at least, each in one group only; its name becomes a generated folder
// and a Kubernetes workload, so it may not be taken; and how the process runs is the group's to say,
// so a grouped service keeps only its own environment, which must agree with the rest of the group's.
import { GATEWAY_WORKLOAD, outputFiles, plannedFiles } from '../../naming/index.js';
import { didYouMean } from '../diagnostics.js';
import { maybeService, type Declared, type SpecIndex } from '../collect.js';
import type { SpecDocument, SpecPath } from '../load.js';
import type { RawDeploy, RawGroup, RawMesh } from '../raw.js';
import type { Reporter } from './reporter.js';

/** The keys of a service's `deploy` that describe the process, which a group owns for its services. */
const PROCESS_KEYS = ['image', 'tag', 'digest', 'replicas', 'autoscaling', 'resources', 'shutdownDelay'] as const satisfies readonly (keyof RawDeploy)[];

/** One environment variable as a member of a group sets it, and where. */
interface Setting {
  /** `value 8` or `secret db/url`: what the variable is set to, comparable across kinds. */
  value: string;
  owner: string;
  doc: SpecDocument;
  path: SpecPath;
}

/**
 * Reports every problem of `deploy.groups`: unknown, duplicate or already grouped services, groups
 * of fewer than two services, group names already taken by a service or a generated folder, process
 * keys (`image`, `replicas`, `resources`, `shutdownDelay`) on a grouped service, and one variable set to two values
 * within a group.
 *
 * @param index the spec's declarations (mesh.yaml's `deploy.groups`, the services' `deploy`)
 * @param report where the diagnostics go
 * @example checkGroups(index, report) // `groups: { core: { services: [users] } }` -> group-too-small
 */
export function checkGroups(index: SpecIndex, report: Reporter): void {
  const mesh = index.mesh;
  const groups = Object.entries(mesh?.raw.deploy?.groups ?? {});
  if (!mesh || groups.length === 0) return;
  const taken = takenFolders(mesh, index);
  const groupOf = new Map<string, { group: string; path: SpecPath }>();
  for (const [name, group] of groups) {
    const at: SpecPath = ['deploy', 'groups', name];
    const clash = taken.get(name);
    if (clash) report.error(mesh.doc, at, 'group-name-clash', `group \`${name}\` would generate \`${name}/main.ts\` and \`${outputFiles.k8sWorkload(name)}\`, but \`${name}\` is already ${clash}; rename the group`, { key: true });
    const members = checkMembers(index, mesh, name, group, groupOf, report);
    // Judged on what the group lists (an unknown name aside): a service also listed elsewhere is reported there.
    const listed = [...new Set(group.services)].filter((s) => index.services.has(s) || maybeService(index, s));
    if (listed.length < 2) {
      report.error(mesh.doc, [...at, 'services'], 'group-too-small', `group \`${name}\` has ${listed.length === 0 ? 'no services' : `one service only (\`${listed[0]}\`)`}; a group deploys two services or more as one process: add another service, or remove the group and deploy the service on its own`, { key: true });
    }
    const services = members.flatMap((m) => index.services.get(m) ?? []);
    for (const service of services) checkProcessKeys(service, name, mesh.doc.file, report);
    checkEnvironment(mesh, name, group, services, report);
  }
}

/** Registers the group's services and reports unknown, repeated and already grouped ones; returns the known members. */
function checkMembers(
  index: SpecIndex, mesh: Declared<RawMesh>, name: string, group: RawGroup, groupOf: Map<string, { group: string; path: SpecPath }>, report: Reporter,
): string[] {
  const members: string[] = [];
  group.services.forEach((service, i) => {
    const path: SpecPath = ['deploy', 'groups', name, 'services', i];
    if (members.includes(service)) {
      report.error(mesh.doc, path, 'duplicate-group-service', `service \`${service}\` is listed twice in group \`${name}\`; list it once`);
      return;
    }
    if (!index.services.has(service)) {
      if (!maybeService(index, service)) report.error(mesh.doc, path, 'unknown-service', `service \`${service}\` of group \`${name}\` is not declared${didYouMean(service, index.services.keys())}`);
      return;
    }
    const previous = groupOf.get(service);
    if (previous) {
      report.error(mesh.doc, path, 'service-in-two-groups', `service \`${service}\` is already in group \`${previous.group}\` (${report.where(mesh.doc, previous.path, false)}); a service runs in one process only: remove it from one of the groups`);
      return;
    }
    groupOf.set(service, { group: name, path });
    members.push(service);
  });
  return members;
}

/** Names a group may not take, with what holds them: services, the gateway, and the output's own folders and manifests. */
function takenFolders(mesh: Declared<RawMesh>, index: SpecIndex): Map<string, string> {
  const taken = new Map<string, string>();
  const services = [...index.services.values()];
  for (const service of services) taken.set(service.name, `the name of service \`${service.name}\` (${service.doc.file})`);
  taken.set(GATEWAY_WORKLOAD, 'the folder and workload of the gateway');
  const files = plannedFiles({ mesh: mesh.name, gateway: true, services: services.map((s) => ({ name: s.name, grpc: s.raw.ports.grpc !== undefined })) });
  for (const file of files) {
    const folder = file.path.split('/')[0]!;
    if (file.path.includes('/') && !taken.has(folder)) taken.set(folder, `a folder of the generated output (\`${folder}/\`, of ${file.owner})`);
    // `k8s/base/namespace.yaml` and the like: a group's manifest would overwrite them.
    const object = file.path.slice(file.path.lastIndexOf('/') + 1).replace(/\.yaml$/, '');
    if (file.path === outputFiles.k8sWorkload(object) && !taken.has(object)) taken.set(object, `a generated manifest (\`${file.path}\`, of ${file.owner})`);
  }
  return taken;
}

/** A grouped service runs in the group's process: its image, replicas, resources and shutdown delay are the group's. */
function checkProcessKeys(service: Declared<{ deploy?: RawDeploy }>, group: string, meshFile: string, report: Reporter): void {
  for (const key of PROCESS_KEYS) {
    if (service.raw.deploy?.[key] === undefined) continue;
    report.error(service.doc, ['deploy', key], 'grouped-service-deploy', `${service.name} is deployed in group ${group}: set ${key} on the group in ${meshFile} (\`deploy.groups.${group}.${key}\`); a grouped service keeps only \`env\` and \`secrets\``, { key: true });
  }
}

/** The group's process has one environment: a variable set by two members (or the group) must have one value. */
function checkEnvironment(mesh: Declared<RawMesh>, name: string, group: RawGroup, services: Declared<{ deploy?: RawDeploy }>[], report: Reporter): void {
  const settings = new Map<string, Setting>();
  const visit = (owner: string, doc: SpecDocument, base: SpecPath, deploy: RawDeploy | undefined) => {
    const entries: [string, string, SpecPath][] = [
      ...Object.entries(deploy?.env ?? {}).map(([v, value]): [string, string, SpecPath] => [v, `value \`${String(value)}\``, [...base, 'env', v]]),
      ...Object.entries(deploy?.secrets ?? {}).map(([v, ref]): [string, string, SpecPath] => [v, `secret \`${ref}\``, [...base, 'secrets', v]]),
    ];
    for (const [variable, value, path] of entries) {
      const previous = settings.get(variable);
      if (!previous) {
        settings.set(variable, { value, owner, doc, path });
      } else if (previous.value !== value) {
        report.error(
          doc, path, 'group-env-conflict',
          `${owner} sets ${variable} to ${value}, but ${previous.owner} sets it to ${previous.value} (${report.where(previous.doc, previous.path)}); the services of group \`${name}\` share one process and one environment: give the variable one value, or distinct names`,
          { key: true },
        );
      }
    }
  };
  visit(`group \`${name}\``, mesh.doc, ['deploy', 'groups', name], group);
  for (const service of services) visit(`service \`${service.name}\``, service.doc, ['deploy'], service.raw.deploy);
}
