// Server spans of calls from co-located services (runtime/host/colocated.ts): they reach the
// service's Invoke without its HTTP or gRPC server, in the caller's async context, so the caller's
// attempt span is the parent as it is.
import { context, type Tracer } from '@opentelemetry/api';
import { isMeshError } from '../../errors/index.js';
import type { Invoke } from '../../service/invoke.js';
import { endHttpServerSpan, endWithError, inProcessPlan, startChild, type SpanPlan } from './server.js';

/**
 * `invoke` with each call inside a SERVER span of the service.
 *
 * @param invoke - the service's Invoke, as it registers with the co-located registry
 * @param tracer - the service's tracer
 * @param service - the service's name
 * @example
 * settings.colocated?.register(definition, traceInProcess(invoke, tracer, 'users'), logger);
 */
export function traceInProcess(invoke: Invoke, tracer: Tracer, service: string): Invoke {
  const plans = new Map<string, SpanPlan>();
  return (endpoint, input, meta) => {
    let spanPlan = plans.get(endpoint.name);
    if (spanPlan === undefined) plans.set(endpoint.name, (spanPlan = inProcessPlan(service, endpoint.name)));
    const { span, ctx } = startChild(tracer, spanPlan);
    return context.with(ctx, () => invoke(endpoint, input, meta)).then(
      (output) => {
        endHttpServerSpan(span, endpoint.successStatus);
        return output;
      },
      (err: unknown) => {
        // The status the HTTP binding would have answered (an error from 500 up, as there).
        if (isMeshError(err)) endHttpServerSpan(span, err.status);
        else endWithError(span, err);
        throw err;
      },
    );
  };
}
