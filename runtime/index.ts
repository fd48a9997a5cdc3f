// `meshspec/runtime`: the core every generated file and hook may import — errors, the handler
// context, service definitions and the invoke pipeline. It loads no server, client, broker or
// logger library: those live behind their own subpaths, so a file that needs an error class pays
// for nothing else.
//   meshspec/runtime/host        start a service process (HTTP + gRPC + bus)   runServices, startService
//   meshspec/runtime/http        the HTTP bindings and transport               createHttpApp, createHttpTransport
//   meshspec/runtime/grpc        the gRPC binding and transport                createGrpcServer, createGrpcTransport
//   meshspec/runtime/gateway     the gateway                                   createGateway, runGateway
//   meshspec/runtime/bus         event buses and subscriptions                 createMemoryBus, subscribeAll
//   meshspec/runtime/dev         the whole stack in one process                runStack, startStack
//   meshspec/runtime/validation  ajv validators over the generated schemas     createValidators
//   meshspec/runtime/logging     pino loggers                                  createLogger
//   meshspec/runtime/discovery   where a service finds another                 resolveHttpOrigin
//   meshspec/runtime/observability/metrics  Prometheus metrics (/metrics)  createServiceMetrics, createGatewayMetrics

export * from './errors/index.js';
export type { Caller, EventContext, EventInfo, EventOnceOptions, HandlerContext, Logger, Publish, StorageContext } from './context/index.js';
export type {
  DeclaredErrorDescriptor,
  EndpointDescriptor,
  EventCatalog,
  HttpBindingName,
  HttpMethod,
  ProtoDescriptor,
  ServiceDefinition,
  SubscriptionDescriptor,
  ChoreographyStepDescriptor,
  ChoreographedSagaDescriptor,
} from './service/definition.js';
export type { CallFailure, FallbackHook } from './service/fallback.js';
export type { HealthCheckContext } from './health/types.js';
export type { FailureKind } from './resilience/classify.js';
export type { InvocationMeta, Invoke } from './service/invoke.js';
export { createInvoke, type InvokeOptions } from './service/invoke-impl.js';
export {
  createContextFactory,
  type AnyHandlerContext,
  type ContextFactory,
  type ContextFields,
  type ServicePublisher,
} from './service/context.js';
export type { CallOptions, ClientTransport } from './transport/types.js';
export type { ExtraRoute, ExtraRouteMethod, ExtraRoutes } from './http/extra-routes.js';
export { describeIssues } from './validation/issues.js';
export type { SchemaRegistry, ValidationIssue, ValidationResult, Validators } from './validation/types.js';
