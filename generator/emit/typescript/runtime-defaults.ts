// The mesh's `runtime:` section as the literal main.ts and stack.ts hand to the runtime
// (`RuntimeDefaults` of runtime/host/main.ts, whose `bus` is runtime/bus/settings.ts's `BusDefaults`).
import type { MeshModel } from '../../model/types.js';
import { type Literal } from './code.js';

/**
 * The runtime defaults of `model`, every unit converted, in the order the runtime's types list them.
 *
 * @param model the mesh
 * @example
 * runtimeDefaults(model) // { bodyLimitBytes: 1048576, shutdownGraceMs: 10000, bus: { kind: 'memory', maxAttempts: 5, ... } }
 */
export function runtimeDefaults(model: MeshModel): Literal {
  const { bodyLimitBytes, shutdownGraceMs, bus } = model.runtime;
  return {
    bodyLimitBytes,
    shutdownGraceMs,
    bus: {
      kind: bus.kind,
      maxAttempts: bus.maxAttempts,
      retryDelayMs: bus.retryDelayMs,
      maxRetryDelayMs: bus.maxRetryDelayMs,
      claimIdleMs: bus.claimIdleMs,
      maxLength: bus.maxLength,
      maxAgeMs: bus.maxAgeMs,
    },
  };
}
