// What `runtime.bus` means where the spec leaves a key out. The semantic checks compare the delays
// with these and the model fills them in; they equal the runtime's DEFAULT_BUS (runtime/bus/settings.ts),
// which the generator may not import (test/unit/model/bus.test.ts holds the two together).

/**
 * The defaults of `runtime.bus`, written as the spec writes them.
 *
 * @example
 * parseDuration(BUS_DEFAULTS.claimIdle) // 30000
 */
export const BUS_DEFAULTS = {
  kind: 'memory',
  maxAttempts: 5,
  retryDelay: '100ms',
  maxRetryDelay: '5s',
  claimIdle: '30s',
  maxLength: 100_000,
} as const;
