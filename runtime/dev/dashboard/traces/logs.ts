// One pino JSON line of the stack as the dashboard shows it with its trace (TraceLog of api-types.ts).
// Lines come from every logger of the stack, and from user code's: anything may be in them, so the
// parse accepts what it can and bounds what it keeps, and never throws.
import type { TraceLog } from '../api-types.js';
import { boundRecord, cut } from './bound.js';

/** Longer lines are not read at all (a log line this big is not one to show beside a span). */
export const MAX_LINE = 1024 * 1024;

/** pino's numeric levels (a logger without our level formatter writes these). */
const NUMERIC_LEVELS: Readonly<Record<number, TraceLog['level']>> = { 10: 'trace', 20: 'debug', 30: 'info', 40: 'warn', 50: 'error', 60: 'fatal' };
const LEVEL_NAMES = new Set<string>(['trace', 'debug', 'info', 'warn', 'error', 'fatal']);

/** Fields of the line's layout (kept in their own places), and pino's noise. */
const LAYOUT = new Set(['level', 'time', 'service', 'msg', 'trace_id', 'span_id', 'pid', 'hostname']);

const TRACE_ID = /^[0-9a-f]{32}$/;
const SPAN_ID = /^[0-9a-f]{16}$/;

/** A log line that belongs to a trace. */
export interface ParsedLog {
  readonly traceId: string;
  readonly log: TraceLog;
}

/**
 * The trace and the TraceLog of one pino line; undefined when it is not a JSON object or carries no
 * valid `trace_id` (32 hex digits). Unknown levels read as `info`, a missing time as now.
 *
 * @param line - one JSON line, without its newline
 * @param now - the clock for a line without a readable time
 * @example
 * parseLogLine('{"level":"info","time":1700000000000,"service":"users","trace_id":"0af7651916cd43dd8448eb211c80319c","span_id":"b7ad6b7169203331","msg":"created","id":"u1"}');
 * // { traceId: '0af7…', log: { time: 1700000000000, level: 'info', service: 'users', spanId: 'b7ad6b7169203331', msg: 'created', fields: { id: 'u1' } } }
 */
export function parseLogLine(line: string, now: () => number = Date.now): ParsedLog | undefined {
  // Most lines of a stack carry no trace: skip them before parsing.
  if (typeof line !== 'string' || line.length > MAX_LINE || !line.includes('"trace_id"')) return undefined;
  let entry: unknown;
  try {
    entry = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) return undefined;
  const record = entry as Record<string, unknown>;
  const traceId = typeof record['trace_id'] === 'string' ? record['trace_id'].toLowerCase() : '';
  if (!TRACE_ID.test(traceId) || traceId === '0'.repeat(32)) return undefined;
  const spanId = typeof record['span_id'] === 'string' ? record['span_id'].toLowerCase() : '';
  return {
    traceId,
    log: {
      time: timeOf(record['time'], now),
      level: levelOf(record['level']),
      service: typeof record['service'] === 'string' ? cut(record['service'], 128) : '',
      spanId: SPAN_ID.test(spanId) ? spanId : null,
      msg: typeof record['msg'] === 'string' ? cut(record['msg']) : record['msg'] === undefined || record['msg'] === null ? '' : cut(String(record['msg'])),
      fields: boundRecord(record, 0, LAYOUT),
    },
  };
}

/** The level's name from pino's number or name; `info` for anything else. */
function levelOf(level: unknown): TraceLog['level'] {
  if (typeof level === 'number') return NUMERIC_LEVELS[level] ?? 'info';
  if (typeof level === 'string' && LEVEL_NAMES.has(level)) return level as TraceLog['level'];
  return 'info';
}

/** Epoch ms from pino's number (its default) or an ISO string (pino's isoTime); now otherwise. */
function timeOf(time: unknown, now: () => number): number {
  if (typeof time === 'number' && Number.isFinite(time)) return time;
  if (typeof time === 'string') {
    const parsed = Date.parse(time);
    if (!Number.isNaN(parsed)) return parsed;
  }
  return now();
}
