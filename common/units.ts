// Durations and sizes, written with units (`250ms`, `10s`, `1mb`). One table for the spec (where the
// schema demands a unit) and for the environment a running service reads (where a bare number is
// milliseconds or bytes), so `SHUTDOWN_GRACE=1h` means what `shutdownGrace: 1h` means.

export const DURATION_UNITS_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 } as const;

/**
 * The longest duration the runtime can wait: Node's timers take a signed 32-bit count of
 * milliseconds (about 596 hours) and fire after 1 ms when given more.
 */
export const MAX_DURATION_MS = 2 ** 31 - 1;
export const SIZE_UNITS_BYTES = { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 } as const;

export interface UnitOptions {
  /** Accept a number without a unit (milliseconds, bytes) and spaces around it. Default: false, as in the spec. */
  lenient?: boolean;
}

/** `250ms` -> 250, `2m` -> 120000; undefined when `text` is not a duration. */
export function parseDuration(text: string, options: UnitOptions = {}): number | undefined {
  return parse(text, DURATION_UNITS_MS, options);
}

/** `64kb` -> 65536; undefined when `text` is not a size. */
export function parseSize(text: string, options: UnitOptions = {}): number | undefined {
  return parse(text, SIZE_UNITS_BYTES, options);
}

function parse(text: string, units: Readonly<Record<string, number>>, { lenient = false }: UnitOptions): number | undefined {
  const value = lenient ? text.trim().toLowerCase() : text;
  const match = /^(\d+)\s*([a-z]*)$/.exec(value);
  if (!match || (!lenient && /\s/.test(value))) return undefined;
  const unit = match[2]!;
  const factor = unit === '' ? (lenient ? 1 : undefined) : units[unit];
  return factor === undefined ? undefined : Number(match[1]) * factor;
}

/**
 * A duration in the largest unit that writes it whole, as the spec writes durations.
 *
 * @param ms a whole number of milliseconds
 * @example formatDuration(10_000) // '10s'
 * @example formatDuration(1500) // '1500ms'
 */
export function formatDuration(ms: number): string {
  const units = Object.entries(DURATION_UNITS_MS).sort(([, a], [, b]) => b - a);
  const [unit, factor] = units.find(([, f]) => ms !== 0 && ms % f === 0) ?? ['ms', 1];
  return `${ms / factor}${unit}`;
}

/**
 * A share written as a percentage, as a ratio: `20%` -> 0.2, `12.5%` -> 0.125; undefined when `text`
 * is not a percentage. Values over 100% read too: the checks say why they make no sense.
 *
 * @param text The spec's value.
 * @example parsePercent('50%') // 0.5
 */
export function parsePercent(text: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?)%$/.exec(text);
  return match ? Number(match[1]) / 100 : undefined;
}
