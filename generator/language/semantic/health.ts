// Checks of the readiness checks a service declares (`health.checks`) the schema cannot express:
// each timeout within 10ms-30s (a probe waits for its slowest check), and no name of a check the
// runtime runs itself (`/ready` would list two `database`s) or that every JavaScript object has
// (the hook file's `healthChecks` would seem to define it).
import { RUNTIME_CHECK_NAMES } from '../../../common/probes.js';
import { formatDuration, parseDuration } from '../../../common/units.js';
import type { SpecIndex } from '../collect.js';
import { HEALTH_CHECK_TIMEOUT_RANGE } from '../health-defaults.js';
import { isPrototypeMember, prototypeMessage } from './prototype.js';
import type { Reporter } from './reporter.js';

/**
 * Reports a check's timeout outside HEALTH_CHECK_TIMEOUT_RANGE, with the nearest bound to use, and a
 * check named like a runtime check or an Object.prototype member, with a free name to use.
 *
 * @param index the spec's declarations (the services' `health`)
 * @param report where the diagnostics go
 * @example checkHealth(index, report) // `health: { checks: { database: {} } }` -> runtime-check-name
 */
export function checkHealth(index: SpecIndex, report: Reporter): void {
  const { minMs, maxMs } = HEALTH_CHECK_TIMEOUT_RANGE;
  for (const service of index.services.values()) {
    const checks = service.raw.health?.checks ?? {};
    for (const [name, check] of Object.entries(checks)) {
      const at = ['health', 'checks', name];
      if ((RUNTIME_CHECK_NAMES as readonly string[]).includes(name)) {
        const free = freeName(name, checks);
        report.error(
          service.doc, at, 'runtime-check-name',
          `\`${name}\` is a check the runtime runs itself (${RUNTIME_CHECK_NAMES.map((n) => `\`${n}\``).join(', ')}), and /ready lists it already: name yours after what it checks, e.g. \`${free}\``,
          { key: true },
        );
      } else if (isPrototypeMember(name)) {
        report.error(service.doc, at, 'reserved-name', prototypeMessage('a health check', name), { key: true });
      }
      const ms = check.timeout === undefined ? undefined : parseDuration(check.timeout);
      if (ms !== undefined && (ms < minMs || ms > maxMs)) {
        const bound = ms < minMs ? minMs : maxMs;
        report.error(
          service.doc, [...at, 'timeout'], 'health-check-timeout',
          `\`${check.timeout}\` is outside what a readiness check may take: from ${formatDuration(minMs)} to ${formatDuration(maxMs)} (a probe waits for its slowest check); did you mean \`${formatDuration(bound)}\`?`,
        );
      }
    }
  }
}

/** `<name>Writes`, `<name>Check`, ...: the first the service does not declare already. */
function freeName(name: string, checks: Readonly<Record<string, unknown>>): string {
  const candidates = [`${name}Writes`, `${name}Check`, `${name}Own`];
  return candidates.find((candidate) => !(candidate in checks)) ?? `${name}Check2`;
}
