// Checks of every `deploy` (a service's, a group's, the gateway's) the schema cannot express: the
// shutdown delay, which the Kubernetes manifests turn into SHUTDOWN_DELAY, the pod's termination
// grace period and its readiness probe together, so it may only be set in one place.
import { MAX_DURATION_MS, parseDuration } from '../../../common/units.js';
import type { SpecIndex } from '../collect.js';
import type { SpecDocument, SpecPath } from '../load.js';
import type { RawDeploy } from '../raw.js';
import type { Reporter } from './reporter.js';

/** The variable `deploy.shutdownDelay` sets; the runtime reads it (runtime/host/env-values.ts). */
const SHUTDOWN_DELAY_ENV = 'SHUTDOWN_DELAY';

/**
 * Reports a `shutdownDelay` longer than the runtime's timers can wait, and `SHUTDOWN_DELAY` set
 * through `env` or `secrets`: the manifests would then wait for one delay and the process for another.
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
