// Durations and sizes are written with units in the spec (`250ms`, `1mb`) and become numbers once, here.
// The schema has already checked their form.

const DURATION_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const SIZE_BYTES: Record<string, number> = { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 };

export function parseDuration(text: string): number {
  const match = /^(\d+)(ms|s|m|h)$/.exec(text);
  if (!match) throw new Error(`not a duration: ${text}`);
  return Number(match[1]) * DURATION_MS[match[2]!]!;
}

export function parseSize(text: string): number {
  const match = /^(\d+)(b|kb|mb|gb)$/.exec(text);
  if (!match) throw new Error(`not a size: ${text}`);
  return Number(match[1]) * SIZE_BYTES[match[2]!]!;
}
