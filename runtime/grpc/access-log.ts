// One log line per gRPC call once it is answered: the same fields as an HTTP request's line
// (runtime/http/access-log.ts), with the method's path, `POST` (what a gRPC call is on the wire), the
// gRPC status code and its name.
import { performance } from 'node:perf_hooks';
import { status as GrpcStatus } from '@grpc/grpc-js';
import type { Logger } from '../context/index.js';
import type { Span } from '@opentelemetry/api';
import { traceFieldsOf } from '../observability/tracing/log-fields.js';

/** The fields of a call's log line. */
interface GrpcAccessLine {
  requestId: string | undefined;
  method: 'POST';
  path: string;
  status: number;
  grpcStatus: string;
  durationMs: number;
  aborted?: true;
  trace_id?: string;
  span_id?: string;
}

/**
 * Logs a gRPC call at info once answered (nothing, not even a clock read, when info is off).
 *
 * @param logger - the service's logger
 * @param path - the method's path, `/<package>.<Service>/<Method>`
 * @returns a function to call with the status code, the request id, whether the caller left first and the call's span
 * @example
 * const done = grpcAccessLog(logger, '/shop.users.v1.UsersService/GetUser');
 * // ... answered:
 * done?.(0, requestId, false, span);
 */
export function grpcAccessLog(logger: Logger, path: string): ((code: number, requestId: string | undefined, aborted: boolean, span: Span | undefined) => void) | undefined {
  if (!logger.isLevelEnabled('info')) return undefined;
  const started = performance.now();
  return (code, requestId, aborted, span) => {
    const line: GrpcAccessLine = {
      requestId,
      method: 'POST',
      path,
      status: code,
      grpcStatus: GrpcStatus[code] ?? 'UNKNOWN',
      durationMs: Math.round((performance.now() - started) * 10) / 10,
    };
    if (aborted) line.aborted = true;
    if (span !== undefined) Object.assign(line, traceFieldsOf(span));
    logger.info(line, 'request');
  };
}
