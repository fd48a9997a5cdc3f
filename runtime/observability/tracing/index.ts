// OpenTelemetry traces of the runtime: what the host, the bindings, the resilience pipeline, the
// bus wrappers and the gateway use (README.md says where each span starts).
export { activeTracer, TRACER_NAME } from './tracer.js';
export { setupTracing, tracingWanted, type TracingOptions, type TracingSetup } from './setup.js';
export {
  endGrpcSpan,
  endHttpServerSpan,
  endWithError,
  grpcPlan,
  httpServerPlan,
  plan,
  startChild,
  startGrpcServerSpan,
  startHttpServerSpan,
  type SpanPlan,
} from './server.js';
export { AttemptTracing, attemptTracing, injectIntoHeaders, injectIntoMetadata } from './client.js';
export { messagingSystemOf, tracePublishes, traceSubscriptions } from './bus.js';
export { traceInProcess } from './in-process.js';
export { endGatewaySpan, routeMatched, startGatewaySpan, traceparentOf } from './gateway.js';
export { activeTraceFields, traceFieldsOf, type TraceFields } from './log-fields.js';
export { responseSpan, withResponseSpan } from './response-span.js';
export { traceSagaAttempt, traceSagaDrive, type SagaSpanSubject } from './saga.js';
