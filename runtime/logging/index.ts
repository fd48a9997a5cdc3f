// pino loggers: one JSON line per event with the service name on every line, so logs of all
// services can be shipped to one place and still be told apart.
import { pino, type DestinationStream, type Level, type Logger } from 'pino';
import { createStdoutDestination } from './stdout.js';
import { activeTraceFields, mergeTraceFields } from '../observability/tracing/log-fields.js';

export type { Logger };

export interface LoggerOptions {
  service: string;
  /** Defaults to `LOG_LEVEL`, then `info` (also when undefined). */
  level?: Level | 'silent' | undefined;
  /** Defaults to stdout (also when undefined). */
  destination?: DestinationStream | undefined;
}

const LEVELS = new Set(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']);

export function createLogger(options: LoggerOptions): Logger {
  const level = options.level ?? process.env['LOG_LEVEL'] ?? 'info';
  if (!LEVELS.has(level)) {
    throw new Error(`unknown log level '${level}': use one of ${[...LEVELS].join(', ')}`);
  }
  const settings = {
    level,
    base: { service: options.service },
    // Level names rather than numbers: readable in any log viewer without pino's table.
    formatters: { level: (label: string) => ({ level: label }) },
    // trace_id and span_id of the active span (a handler's, a consumer's): one context read per line.
    mixin: activeTraceFields,
    // pino's default assigns the line's fields into the mixin's object: the shared empty one (no span) stays untouched.
    mixinMergeStrategy: mergeTraceFields,
  };
  return pino(settings, options.destination ?? stdout());
}

let shared: DestinationStream | undefined;
/** One stdout destination per process: once its reader is gone, every logger stops writing. */
const stdout = () => (shared ??= createStdoutDestination());

export { createStdoutDestination } from './stdout.js';

const NUMERIC_LEVELS: Record<number, string> = {
  10: 'trace',
  20: 'debug',
  30: 'info',
  40: 'warn',
  50: 'error',
  60: 'fatal',
};

// Fields that are part of the line's fixed layout (or pure noise in a terminal).
const LAYOUT_FIELDS = new Set(['time', 'level', 'msg', 'service', 'requestId', 'err', 'pid', 'hostname']);

/**
 * For `meshspec dev`: turns pino's JSON lines into one readable line each, prefixed with the
 * service (`[users] 12:03:04.512 INFO  request requestId=… status=200`), so several services can
 * share one terminal. Errors get their stack on the following lines.
 */
export function createPrefixedDestination(stream: { write(text: string): unknown }): DestinationStream {
  let pending = '';
  return {
    write(chunk: string) {
      pending += chunk;
      let newline = pending.indexOf('\n');
      while (newline !== -1) {
        const line = pending.slice(0, newline);
        pending = pending.slice(newline + 1);
        if (line) stream.write(`${formatLine(line)}\n`);
        newline = pending.indexOf('\n');
      }
    },
  };
}

/** A pino line: the fields of the fixed layout, then whatever the call logged. */
interface LogEntry {
  service?: unknown;
  level?: unknown;
  time?: unknown;
  msg?: unknown;
  requestId?: unknown;
  err?: unknown;
  [field: string]: unknown;
}

export function formatLine(line: string): string {
  let entry: LogEntry;
  try {
    entry = JSON.parse(line) as LogEntry;
  } catch {
    return line;
  }
  const prefix = typeof entry.service === 'string' ? `[${entry.service}] ` : '';
  const level = typeof entry.level === 'number' ? (NUMERIC_LEVELS[entry.level] ?? String(entry.level)) : String(entry.level ?? '');
  const parts = [formatTime(entry.time), level.toUpperCase().padEnd(5), String(entry.msg ?? '')];
  if (typeof entry.requestId === 'string') parts.push(`requestId=${entry.requestId}`);
  for (const [key, value] of Object.entries(entry)) {
    if (LAYOUT_FIELDS.has(key)) continue;
    parts.push(`${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`);
  }
  let text = prefix + parts.join(' ');
  const err = entry.err as { type?: string; message?: string; stack?: string } | undefined;
  if (err && typeof err === 'object') {
    const detail = err.stack ?? `${err.type ?? 'Error'}: ${err.message ?? ''}`;
    text += detail
      .split('\n')
      .map((l) => `\n${prefix}    ${l}`)
      .join('');
  }
  return text;
}

function formatTime(time: unknown): string {
  const date = typeof time === 'number' || typeof time === 'string' ? new Date(time) : new Date();
  if (Number.isNaN(date.getTime())) return String(time);
  // Local wall-clock time: this is for a developer's terminal.
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  return `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}.${pad(date.getMilliseconds(), 3)}`;
}
