// The server span of an HTTP request, kept on its response: the access line is written when the
// response closes, outside the handler's context, and names the span it belongs to.
import type { ServerResponse } from 'node:http';
import type { Span } from '@opentelemetry/api';

const kSpan = Symbol('meshspec.span');
type Carrier = ServerResponse & { [kSpan]?: Span };

/**
 * Keeps `span` on `res` for the access line.
 *
 * @param res - the response
 * @param span - the request's server span
 * @example
 * withResponseSpan(res, span);
 */
export function withResponseSpan(res: ServerResponse, span: Span): void {
  (res as Carrier)[kSpan] = span;
}

/**
 * The server span kept on `res`, undefined when none (tracing off, a probe, an unmatched path).
 *
 * @param res - the response
 * @example
 * const span = responseSpan(res);
 */
export function responseSpan(res: ServerResponse): Span | undefined {
  return (res as Carrier)[kSpan];
}
