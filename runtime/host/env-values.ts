// Durations and sizes read from the environment (`SHUTDOWN_DELAY=5s`, `BODY_LIMIT=1mb`), shared by
// the services' processes (main.ts) and the gateway's (gateway/run.ts), so one variable reads, and
// fails, the same way in both.
import { MAX_DURATION_MS, parseDuration, parseSize } from '../../common/units.js';
import { StartupError } from './startup-error.js';

/**
 * The milliseconds a duration variable names: a bare number is milliseconds, or `500ms`, `10s`, `2m`, `1h`.
 *
 * @param name The variable, named in the error (e.g. `SHUTDOWN_DELAY`).
 * @param value Its text.
 * @throws StartupError (one line, for the operator) when it is no duration or longer than a timer can wait.
 * @example
 * durationSetting('SHUTDOWN_DELAY', '5s'); // 5000
 */
export function durationSetting(name: string, value: string): number {
  const ms = parseDuration(value, { lenient: true });
  if (ms === undefined) throw new StartupError(`${name} must be a duration such as 500ms or 10s, got '${value}'`);
  if (ms > MAX_DURATION_MS) throw new StartupError(`${name} must be at most ${MAX_DURATION_MS} ms (about 596h), got '${value}'`);
  return ms;
}

/**
 * The bytes a size variable names: a bare number is bytes, or `512kb`, `1mb`.
 *
 * @param name The variable, named in the error (e.g. `BODY_LIMIT`).
 * @param value Its text.
 * @throws StartupError when it is no size.
 * @example
 * sizeSetting('BODY_LIMIT', '1mb'); // 1048576
 */
export function sizeSetting(name: string, value: string): number {
  const bytes = parseSize(value, { lenient: true });
  if (bytes === undefined) throw new StartupError(`${name} must be a size such as 1048576, 512kb or 1mb, got '${value}'`);
  return bytes;
}
