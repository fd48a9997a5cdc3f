// One log line per request once it is over, the same fields from both bindings.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { Logger } from 'pino';
import { PROBE_PATHS } from './probes.js';
import { responseSpan } from '../observability/tracing/response-span.js';
import { traceFieldsOf } from '../observability/tracing/log-fields.js';

/** The fields of a request's log line. */
interface AccessLine {
  requestId: string;
  method: string | undefined;
  path: string;
  status: number;
  durationMs: number;
  aborted?: true;
  trace_id?: string;
  span_id?: string;
}

/**
 * Logs the request when its response closes: request id, method, path (no query), status,
 * duration, `aborted` when the client left first, and `trace_id`/`span_id` of its server span when traced. Probes at debug, the rest at info.
 *
 * @param logger - the service's logger
 * @param req - the request
 * @param res - its response
 * @param requestId - the request's id
 * @param path - the request's path as sent, without the query
 * @example
 * logWhenDone(logger, req, res, requestId, '/users/1');
 */
export function logWhenDone(logger: Logger, req: IncomingMessage, res: ServerResponse, requestId: string, path: string): void {
  const probe = PROBE_PATHS.has(path);
  // A line nobody would see costs nothing: no clock read, no listener.
  if (!logger.isLevelEnabled(probe ? 'debug' : 'info')) return;
  const started = performance.now();
  // `on`, not `once`: a response closes once, and once's wrapper is an allocation per request.
  res.on('close', () => {
    const durationMs = Math.round((performance.now() - started) * 10) / 10;
    const line: AccessLine = { requestId, method: req.method, path, status: res.statusCode, durationMs };
    if (!res.writableFinished) line.aborted = true;
    // Written after the handler's context is gone: the request's span is read from the response.
    const span = responseSpan(res);
    if (span !== undefined) Object.assign(line, traceFieldsOf(span));
    if (probe) logger.debug(line, 'request');
    else logger.info(line, 'request');
  });
}

/**
 * The path of a request target, without its query (what Express's `originalUrl` gives before `?`).
 *
 * @param url - `req.url`
 * @example
 * pathOf('/users?limit=1'); // '/users'
 */
export function pathOf(url: string): string {
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
}
