// What a readiness check declared in `health.checks` gets when the spec leaves a key out, and the
// range its timeout must stay in: above 10ms (less would fail a healthy check on a busy event loop),
// at most 30s (a probe waits for its slowest check; Kubernetes probes time out long before).

export const HEALTH_CHECK_DEFAULTS = { timeout: '1s', critical: true } as const;

/** Bounds of `health.checks.<name>.timeout`, in ms. */
export const HEALTH_CHECK_TIMEOUT_RANGE = { minMs: 10, maxMs: 30_000 } as const;
