// @ts-check
// How figures read on the page: durations, rates, fractions, times, and one colour per service.

/**
 * A duration: `0.42 ms`, `12 ms`, `1.24 s`.
 *
 * @param {number} ms
 * @returns {string}
 * @example
 * duration(1240) // '1.24 s'
 */
export function duration(ms) {
  if (!Number.isFinite(ms)) return '–';
  if (ms < 1) return `${ms.toFixed(2)} ms`;
  if (ms < 100) return `${Number(ms.toFixed(1))} ms`;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(2)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

/**
 * A rate per second: `0/s`, `0.4/s`, `12/s`.
 *
 * @param {number} perSecond
 * @returns {string}
 * @example
 * rate(0.42) // '0.42/s'
 */
export function rate(perSecond) {
  if (!perSecond) return '0/s';
  if (perSecond < 0.01) return '<0.01/s';
  if (perSecond < 10) return `${Number(perSecond.toFixed(2))}/s`;
  return `${Math.round(perSecond)}/s`;
}

/**
 * A fraction as a percentage: `0%`, `3.5%`, `100%`.
 *
 * @param {number} fraction from 0 to 1
 * @returns {string}
 * @example
 * percent(0.035) // '3.5%'
 */
export function percent(fraction) {
  if (!fraction) return '0%';
  const p = fraction * 100;
  return `${p < 10 ? Number(p.toFixed(1)) : Math.round(p)}%`;
}

/**
 * A time of day with milliseconds, local: `14:03:27.512`.
 *
 * @param {number} epochMs
 * @returns {string}
 * @example
 * clock(Date.now())
 */
export function clock(epochMs) {
  const d = new Date(epochMs);
  const two = (/** @type {number} */ n) => String(n).padStart(2, '0');
  return `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}.${String(d.getMilliseconds()).padStart(3, '0')}`;
}

/**
 * How long ago: `4 s ago`, `3 min ago`, `2 h ago`.
 *
 * @param {number} epochMs
 * @param {number} [now]
 * @returns {string}
 * @example
 * ago(Date.now() - 4000) // '4 s ago'
 */
export function ago(epochMs, now = Date.now()) {
  const s = Math.max(0, Math.round((now - epochMs) / 1000));
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  return `${Math.floor(s / 3600)} h ago`;
}

/** Distinct, readable on white and as bar fills. */
const PALETTE = ['#2563eb', '#16a34a', '#9333ea', '#0d9488', '#0891b2', '#ca8a04', '#db2777', '#4f46e5', '#65a30d', '#ea580c'];

/**
 * The colour of a service, the same on every view (the gateway's is slate).
 *
 * @param {string} service
 * @returns {string} a CSS colour
 * @example
 * serviceColour('users') // '#9333ea'
 */
export function serviceColour(service) {
  if (service === 'gateway') return '#475569';
  let hash = 0;
  for (const char of service) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return PALETTE[hash % PALETTE.length] ?? '#2563eb';
}

/**
 * A JSON value as indented text, cut after `max` characters.
 *
 * @param {unknown} value
 * @param {number} [max]
 * @returns {string}
 * @example
 * pretty({ a: 1 }) // '{\n  "a": 1\n}'
 */
export function pretty(value, max = 100_000) {
  let text;
  try {
    text = typeof value === 'string' ? value : (JSON.stringify(value, null, 2) ?? 'null');
  } catch {
    text = String(value);
  }
  return text.length > max ? `${text.slice(0, max)}\n… (${text.length - max} more characters)` : text;
}
