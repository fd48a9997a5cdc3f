// Checks of every `deploy` (a service's, a group's, the gateway's) the schema cannot express: the
// shutdown delay, which the Kubernetes manifests turn into SHUTDOWN_DELAY, the pod's termination
// grace period and its readiness probe together, so it may only be set in one place; the autoscaler's
// range and CPU target, and the replica count it replaces; an image given whole or by tag and digest.
import { MAX_DURATION_MS, parseDuration } from '../../../common/units.js';
import type { SpecIndex } from '../collect.js';
import type { SpecDocument, SpecPath } from '../load.js';
import type { RawDeploy } from '../raw.js';
import type { Reporter } from './reporter.js';

/** The variable `deploy.shutdownDelay` sets; the runtime reads it (runtime/host/env-values.ts). */
const SHUTDOWN_DELAY_ENV = 'SHUTDOWN_DELAY';

/**
 * Reports a `shutdownDelay` longer than the runtime's timers can wait, `SHUTDOWN_DELAY` set
 * through `env` or `secrets` (the manifests would then wait for one delay and the process for
 * another), an `autoscaling` whose `min` exceeds its `max` or whose `cpu` is outside 1-100%,
 * `replicas` beside `autoscaling`, and `tag` or `digest` beside a whole `image`.
 *
 * @param index the spec's declarations (the services' `deploy`, mesh.yaml's groups and gateway)
 * @param report where the diagnostics go
 * @example checkDeploy(index, report) // `deploy: { env: { SHUTDOWN_DELAY: 10s } }` -> shutdown-delay-env
 */
export function checkDeploy(index: SpecIndex, report: Reporter): void {
  const groups = Object.entries(index.mesh?.raw.deploy?.groups ?? {});
  for (const service of index.services.values()) {
    // A grouped service's process, and so its delay, is the group's (checkGroups reports the key).
    const group = groups.find(([, g]) => Array.isArray(g.services) && g.services.includes(service.name))?.[0];
    checkOne(service.doc, ['deploy'], service.raw.deploy, group === undefined ? 'this `deploy`' : `\`deploy.groups.${group}\` of ${index.mesh?.doc.file ?? 'the mesh file'}`, report);
  }
  const mesh = index.mesh;
  if (!mesh) return;
  for (const [name, group] of groups) checkOne(mesh.doc, ['deploy', 'groups', name], group, 'this group', report);
  checkOne(mesh.doc, ['gateway', 'deploy'], mesh.raw.gateway?.deploy, 'this `deploy`', report);
}

/** `where` names the place `shutdownDelay` belongs, in the message. */
function checkOne(doc: SpecDocument, at: SpecPath, deploy: RawDeploy | undefined, where: string, report: Reporter): void {
  if (!deploy) return;
  const delay = deploy.shutdownDelay;
  const ms = delay === undefined ? undefined : parseDuration(delay);
  if (ms !== undefined && ms > MAX_DURATION_MS) {
    report.error(doc, [...at, 'shutdownDelay'], 'duration-too-long', `\`${delay}\` is longer than the runtime can wait: at most ${MAX_DURATION_MS} ms (about 596h)`);
  }
  checkAutoscaling(doc, at, deploy, report);
  checkImage(doc, at, deploy, report);
  for (const section of ['env', 'secrets'] as const) {
    if (deploy[section]?.[SHUTDOWN_DELAY_ENV] === undefined) continue;
    const value = section === 'env' ? String(deploy.env?.[SHUTDOWN_DELAY_ENV]) : undefined;
    report.error(
      doc, [...at, section, SHUTDOWN_DELAY_ENV], 'shutdown-delay-env',
      `${SHUTDOWN_DELAY_ENV} comes from \`shutdownDelay\`, which also sets the pod's termination grace period and readiness probe: ` +
        `set \`shutdownDelay${value !== undefined && parseDuration(value) !== undefined ? `: ${value}` : ''}\` in ${where} instead`,
      { key: true },
    );
  }
}

/** The autoscaler's range and target, and no fixed `replicas` beside it (the autoscaler owns the count). */
function checkAutoscaling(doc: SpecDocument, at: SpecPath, deploy: RawDeploy, report: Reporter): void {
  const autoscaling = deploy.autoscaling;
  if (!autoscaling) return;
  const min = autoscaling.min ?? 1;
  if (typeof autoscaling.max === 'number' && min > autoscaling.max) {
    report.error(doc, [...at, 'autoscaling', autoscaling.min === undefined ? 'max' : 'min'], 'autoscaling-range', `autoscaling's \`min\` (${min}) is above its \`max\` (${autoscaling.max})`);
  }
  const cpu = typeof autoscaling.cpu === 'string' ? Number(autoscaling.cpu.slice(0, -1)) : undefined;
  if (cpu !== undefined && Number.isFinite(cpu) && (cpu < 1 || cpu > 100 || !Number.isInteger(cpu))) {
    report.error(doc, [...at, 'autoscaling', 'cpu'], 'autoscaling-cpu', `\`${autoscaling.cpu}\` is not a CPU target: a whole percentage of the CPU request from 1% to 100% (e.g. \`70%\`)`);
  }
  if (deploy.replicas !== undefined) {
    report.error(
      doc, [...at, 'replicas'], 'autoscaling-replicas',
      `\`replicas\` and \`autoscaling\` both set the replica count: with autoscaling, the autoscaler sets it; give the fewest as \`autoscaling.min: ${deploy.replicas}\` instead`,
      { key: true },
    );
  }
}

/** A whole `image` leaves nothing for `tag` or `digest` to change. */
function checkImage(doc: SpecDocument, at: SpecPath, deploy: RawDeploy, report: Reporter): void {
  if (deploy.image === undefined) return;
  for (const key of ['tag', 'digest'] as const) {
    if (deploy[key] === undefined) continue;
    report.error(doc, [...at, key], 'image-and-tag', `\`${key}\` changes the default image reference, but \`image\` gives the whole reference: put the ${key} in \`image\`, or drop \`image\``, { key: true });
  }
}
