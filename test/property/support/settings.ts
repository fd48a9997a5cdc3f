// Seed and size of a property run. `npm test` runs a fixed seed and a bounded count; `npm run
// test:properties` takes both from the environment (PROPERTY_SEED, PROPERTY_RUNS) for longer runs.

export interface PropertySettings {
  seed: number;
  runs: number;
}

/**
 * `defaults` unless PROPERTY_SEED / PROPERTY_RUNS say otherwise. PROPERTY_RUNS counts valid specs; a
 * property with cheaper runs (mutations) takes `factor` times as many.
 */
export function propertySettings(defaults: PropertySettings, factor = 1): PropertySettings {
  const seed = process.env.PROPERTY_SEED === undefined ? defaults.seed : Number(process.env.PROPERTY_SEED);
  const runs = process.env.PROPERTY_RUNS === undefined ? defaults.runs : Math.max(1, Math.round(Number(process.env.PROPERTY_RUNS) * factor));
  if (!Number.isInteger(seed)) throw new Error(`PROPERTY_SEED must be an integer, got ${process.env.PROPERTY_SEED}`);
  if (!Number.isInteger(runs)) throw new Error(`PROPERTY_RUNS must be a number, got ${process.env.PROPERTY_RUNS}`);
  return { seed, runs };
}

/** The line a run prints, so that any run can be repeated. */
export function runSummary(name: string, settings: PropertySettings, tried: number, ms: number, extra = ''): string {
  return `property ${name}: seed ${settings.seed}, ${tried} specs tried in ${(ms / 1000).toFixed(1)} s${extra} (repeat: PROPERTY_SEED=${settings.seed} npm run test:properties)`;
}

/** A spec folder as text, for a failure message: the counterexample to save under test/property/counterexamples/. */
export function specText(files: Readonly<Record<string, string>>): string {
  return Object.entries(files)
    .map(([file, text]) => `--- spec/${file}\n${text}`)
    .join('');
}

/** A test timeout that grows with the run count (shrinking a counterexample takes its own time). */
export function timeoutFor(settings: PropertySettings, perRunMs = 5_000): number {
  return 300_000 + settings.runs * perRunMs;
}
