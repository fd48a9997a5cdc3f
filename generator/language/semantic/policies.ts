// Checks of the resilience policies the schema cannot express: how their durations and shares relate,
// with the built-in defaults filled in for the keys a policy leaves out, and every policy a call names
// and every endpoint it overrides one for.
import { formatDuration, MAX_DURATION_MS, parseDuration, parsePercent } from '../../../common/units.js';
import { didYouMean } from '../diagnostics.js';
import { type Declared, type SpecIndex } from '../collect.js';
import type { SpecDocument, SpecPath } from '../load.js';
import { POLICY_DEFAULTS } from '../policy-defaults.js';
import type { RawPolicy, RawService } from '../raw.js';
import type { Reporter } from './reporter.js';

/**
 * Reports, for each mesh policy: a zero `timeout` or `attemptTimeout`, an `attemptTimeout` longer than
 * the `timeout`, a backoff `max` below its `initial`, a retry `budget` over 100%, a breaker
 * `failureRatio` outside (0%, 100%], a breaker with no trip condition, and a duration past the
 * runtime's timers. Each error points at the key the spec wrote and says what would fix it.
 *
 * @param index the spec's declarations (only the mesh file's `policies` are read)
 * @param report where the diagnostics go
 * @example checkPolicies(index, report) // `policies: { money: { timeout: 0s } }` -> zero-timeout
 */
export function checkPolicies(index: SpecIndex, report: Reporter): void {
  const mesh = index.mesh;
  if (!mesh) return;
  for (const [name, policy] of Object.entries(mesh.raw.policies ?? {})) checkPolicy(mesh.doc, ['policies', name], policy, report);
}

function checkPolicy(doc: SpecDocument, at: SpecPath, policy: RawPolicy, report: Reporter): void {
  if (tooLong(doc, at, policy, report)) return;
  const timeout = parseDuration(policy.timeout ?? POLICY_DEFAULTS.timeout) ?? 0;
  if (policy.timeout !== undefined && timeout === 0) {
    report.error(doc, [...at, 'timeout'], 'zero-timeout', `a \`timeout\` of ${policy.timeout} would fail every call before it starts; give the whole call time, e.g. \`timeout: 2s\``);
  }
  if (policy.attemptTimeout !== undefined) {
    const attempt = parseDuration(policy.attemptTimeout) ?? 0;
    if (attempt === 0) {
      report.error(doc, [...at, 'attemptTimeout'], 'zero-timeout', `an \`attemptTimeout\` of ${policy.attemptTimeout} would end every attempt at once; give each attempt time (e.g. \`attemptTimeout: 500ms\`), or remove it to let an attempt use what is left of the call's \`timeout\``);
    } else if (timeout > 0 && attempt > timeout) {
      const shown = policy.timeout ?? `${POLICY_DEFAULTS.timeout} by default`;
      report.error(
        doc, [...at, 'attemptTimeout'], 'attempt-timeout-too-long',
        `\`attemptTimeout\` (${policy.attemptTimeout}) is longer than \`timeout\` (${shown}): an attempt never outlives the whole call; make it at most \`${formatDuration(timeout)}\`, or raise \`timeout\``,
      );
    }
  }
  const retry = policy.retry;
  if (retry) {
    const initial = parseDuration(retry.initial ?? POLICY_DEFAULTS.retry.initial) ?? 0;
    const max = parseDuration(retry.max ?? POLICY_DEFAULTS.retry.max) ?? 0;
    if (max < initial) {
      const shown = (key: 'initial' | 'max') => `\`${key}\` (${retry[key] ?? `${POLICY_DEFAULTS.retry[key]} by default`})`;
      const fix = retry.max !== undefined ? `did you mean \`max: ${formatDuration(initial)}\`?` : `add \`max: ${formatDuration(initial)}\``;
      report.error(
        doc, [...at, 'retry', retry.max !== undefined ? 'max' : 'initial'], 'backoff-order',
        `${shown('max')} is shorter than ${shown('initial')}: the cap on a wait between attempts must be at least the first wait; ${fix}`,
      );
    }
    const budget = retry.budget === undefined ? undefined : parsePercent(retry.budget);
    if (budget !== undefined && budget > 1) {
      report.error(
        doc, [...at, 'retry', 'budget'], 'ratio-out-of-range',
        `a retry \`budget\` of ${retry.budget} is over 100%: retries are a share of the calls made, and 100% already lets every call be retried once; a budget keeps a failing service from a storm of retries, e.g. \`budget: 20%\``,
      );
    }
  }
  const breaker = policy.circuitBreaker;
  if (breaker) {
    if (breaker.consecutiveFailures === undefined && breaker.failureRatio === undefined) {
      report.error(
        doc, [...at, 'circuitBreaker'], 'breaker-no-trip',
        'the circuit breaker has nothing to trip on: add `consecutiveFailures: 5` (failures in a row) or `failureRatio: 50%` (of the calls in `window`), or both',
        { key: true },
      );
    }
    const ratio = breaker.failureRatio === undefined ? undefined : parsePercent(breaker.failureRatio);
    if (ratio !== undefined && (ratio === 0 || ratio > 1)) {
      const why = ratio === 0 ? 'would trip with no failure at all' : 'could never be reached: failures are a share of the calls';
      report.error(doc, [...at, 'circuitBreaker', 'failureRatio'], 'ratio-out-of-range', `a \`failureRatio\` of ${breaker.failureRatio} ${why}; a failure ratio is above 0% and at most 100%, e.g. \`failureRatio: 50%\``);
    }
  }
}

/** A duration past the runtime's timers: reported, and not compared with anything else. */
function tooLong(doc: SpecDocument, at: SpecPath, policy: RawPolicy, report: Reporter): boolean {
  const durations: [SpecPath, string | undefined][] = [
    [['timeout'], policy.timeout],
    [['attemptTimeout'], policy.attemptTimeout],
    [['retry', 'initial'], policy.retry?.initial],
    [['retry', 'max'], policy.retry?.max],
    [['circuitBreaker', 'window'], policy.circuitBreaker?.window],
    [['circuitBreaker', 'openFor'], policy.circuitBreaker?.openFor],
  ];
  let found = false;
  for (const [path, text] of durations) {
    const ms = text === undefined ? undefined : parseDuration(text);
    if (ms !== undefined && ms > MAX_DURATION_MS) {
      report.error(doc, [...at, ...path], 'duration-too-long', `\`${text}\` is longer than the runtime can wait: at most ${MAX_DURATION_MS} ms (about 596h)`);
      found = true;
    }
  }
  return found;
}

/**
 * Reports a call's `policy` (or an endpoint override's) that names no mesh policy, with the closest
 * name, and an endpoint entry (a policy, a fallback or both) naming an endpoint the callee does not have.
 *
 * @param index the spec's declarations
 * @param report where the diagnostics go
 * @example checkCallPolicies(index, report) // `calls: { users: { policy: defualt } }` -> unknown-policy, did you mean `default`?
 */
export function checkCallPolicies(index: SpecIndex, report: Reporter): void {
  for (const service of index.services.values()) {
    for (const [callee, call] of Object.entries(service.raw.calls ?? {})) {
      const at = ['calls', callee];
      if (call.policy !== undefined) checkPolicyName(index, service, [...at, 'policy'], call.policy, report);
      const target = index.services.get(callee);
      for (const [endpoint, override] of Object.entries(call.endpoints ?? {})) {
        if (override.policy !== undefined) checkPolicyName(index, service, [...at, 'endpoints', endpoint, 'policy'], override.policy, report);
        // An unknown callee is reported by checkCalls; its endpoints are not judged.
        if (!target) continue;
        const endpoints = Object.keys(target.raw.endpoints ?? {});
        if (endpoints.includes(endpoint)) continue;
        const hint = didYouMean(endpoint, endpoints) || (endpoints.length > 0 ? ` (its endpoints: ${endpoints.map((e) => `\`${e}\``).join(', ')})` : ' (it has no endpoints)');
        const what = [override.policy !== undefined && 'a policy', override.fallback !== undefined && 'a fallback'].filter(Boolean).join(' and ');
        report.error(service.doc, [...at, 'endpoints', endpoint], 'unknown-endpoint', `\`${callee}\` has no endpoint \`${endpoint}\` to give ${what} to${hint}`, { key: true });
      }
    }
  }
}

function checkPolicyName(index: SpecIndex, service: Declared<RawService>, at: SpecPath, name: string, report: Reporter): void {
  // A mesh file that failed the schema may declare any policy.
  if (!index.mesh) return;
  const declared = Object.keys(index.mesh.raw.policies ?? {});
  if (declared.includes(name)) return;
  const hint = didYouMean(name, declared) || (declared.length > 0 ? ` (declared: ${declared.map((p) => `\`${p}\``).join(', ')})` : `; declare it under \`policies\` in ${index.mesh.doc.file}`);
  report.error(service.doc, at, 'unknown-policy', `policy \`${name}\` is not declared${hint}`);
}
