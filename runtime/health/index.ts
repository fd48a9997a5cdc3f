// Readiness and the dependencies report of a service (README "Health"): the runtime's checks and the
// user's, each under its timeout, run concurrently and shared by concurrent probes; callees reported
// apart, never in readiness.
export { createReadiness, type Readiness, type ReadinessOptions, type ServicePhase } from './readiness.js';
export { runCheck } from './run-check.js';
export { boundedMessage, MAX_MESSAGE_LENGTH } from './message.js';
export { runtimeChecks, userChecks, RUNTIME_CHECK_TIMEOUT_MS } from './checks.js';
export { dependenciesReport, DEPENDENCY_PROBE_CONCURRENCY, DEPENDENCY_PROBE_TIMEOUT_MS, type DependencyHealth, type InstanceProbe } from './dependencies.js';
export type { CheckResult, CheckStatus, HealthCheckContext, HealthCheckFunction, ReadinessCheck, ReadinessReport, ReadinessStatus } from './types.js';
