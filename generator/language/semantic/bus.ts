// Checks of `runtime.bus` the schema cannot express: how its delays relate to each other, with the
// defaults filled in for the keys the spec leaves out.
import { formatDuration, MAX_DURATION_MS, parseDuration } from '../../../common/units.js';
import { BUS_DEFAULTS } from '../bus-defaults.js';
import type { SpecIndex } from '../collect.js';
import type { RawBus } from '../raw.js';
import type { Reporter } from './reporter.js';

type DelayKey = 'retryDelay' | 'maxRetryDelay' | 'claimIdle';

/**
 * Reports a `maxRetryDelay` below `retryDelay` (the cap would shorten the first wait) and a
 * `claimIdle` not above `maxRetryDelay` (a live consumer would claim an entry that is only waiting
 * for its retry, and deliver it twice). Each error points at the key the spec wrote, and names the
 * value that would fix it.
 *
 * @param index the spec's declarations (only the mesh file's `runtime.bus` is read)
 * @param report where the diagnostics go
 * @example checkBus(index, report) // `runtime: { bus: { retryDelay: 10s, maxRetryDelay: 5s } }` -> retry-delay-order
 */
export function checkBus(index: SpecIndex, report: Reporter): void {
  const mesh = index.mesh;
  const bus = mesh?.raw.runtime?.bus;
  if (!mesh || !bus) return;
  const delay = (key: DelayKey) => parseDuration(bus[key] ?? BUS_DEFAULTS[key]) ?? 0;
  const shown = (key: DelayKey) => `\`${key}\` (${bus[key] ?? `${BUS_DEFAULTS[key]} by default`})`;
  // Respell a key the spec wrote; add one it left out.
  const fix = (key: DelayKey, ms: number) => (bus[key] !== undefined ? `did you mean \`${key}: ${formatDuration(ms)}\`?` : `add \`${key}: ${formatDuration(ms)}\``);
  // The error goes where the spec wrote one of the two; a key left out has no place to point at.
  const at = (preferred: DelayKey, other: DelayKey) => ['runtime', 'bus', bus[preferred] !== undefined ? preferred : other];
  if (tooLong(bus)) return;

  const retryDelay = delay('retryDelay');
  const maxRetryDelay = delay('maxRetryDelay');
  const claimIdle = delay('claimIdle');
  if (maxRetryDelay < retryDelay) {
    report.error(
      mesh.doc, at('maxRetryDelay', 'retryDelay'), 'retry-delay-order',
      `${shown('maxRetryDelay')} is shorter than ${shown('retryDelay')}: the cap on the wait between attempts must be at least the first wait; ${fix('maxRetryDelay', retryDelay)}`,
    );
    return;
  }
  if (claimIdle <= maxRetryDelay) {
    report.error(
      mesh.doc, at('claimIdle', 'maxRetryDelay'), 'claim-idle-too-short',
      `${shown('claimIdle')} must be longer than ${shown('maxRetryDelay')}: an event waiting for its retry would look abandoned and be claimed by another consumer, which delivers it twice; ${fix('claimIdle', 2 * maxRetryDelay)}`,
    );
  }
}

/** A delay past the runtime's timers is reported by checkDurations; comparing it says nothing more. */
function tooLong(bus: RawBus): boolean {
  return (['retryDelay', 'maxRetryDelay', 'claimIdle'] as const).some((key) => (parseDuration(bus[key] ?? '0ms') ?? 0) > MAX_DURATION_MS);
}
