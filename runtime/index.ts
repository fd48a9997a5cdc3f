// `meshspec/runtime`: everything generated code and hooks import from the runtime.

export * from './errors/index.js';
export type { Caller, HandlerContext, Logger, Publish } from './context/index.js';
export type {
  DeclaredErrorDescriptor,
  EndpointDescriptor,
  EventCatalog,
  HttpMethod,
  ProtoDescriptor,
  ServiceDefinition,
  SubscriptionDescriptor,
} from './service/definition.js';
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

export { createValidators, describeIssues, type ValidatorOptions } from './validation/index.js';
export type { SchemaRegistry, ValidationIssue, ValidationResult, Validators } from './validation/types.js';

export {
  checkSubscriptions,
  createMemoryBus,
  createPublisher,
  PublishError,
  subscribeAll,
  UnprocessableEvent,
  type BusSubscription,
  type DeadLetter,
  type EnvelopeHandler,
  type EventBus,
  type EventEnvelope,
  type MemoryBus,
  type MemoryBusOptions,
  type PublisherOptions,
  type ServiceSubscriptions,
  type SubscribeAllOptions,
} from './bus/index.js';

export {
  createTransportFactory,
  runMain,
  runServices,
  settingsFromEnv,
  startService,
  StartupError,
  type HostSettings,
  type ProcessSettings,
  type RunningProcess,
  type RunningService,
  type RuntimeDefaults,
  type ServiceHostOptions,
  type StartupErrorDetails,
  type TransportFactory,
  type TransportFactoryOptions,
  type TransportFor,
} from './host/index.js';

export { createHttpApp, type HttpAppOptions } from './http/server.js';
export { createHttpTransport, type HttpTransportOptions } from './http/client.js';
export { CALLER_HEADER, DEADLINE_HEADER, REQUEST_ID_HEADER } from './http/headers.js';

export { createLogger, createPrefixedDestination, type LoggerOptions } from './logging/index.js';
export { resolveGrpcAddress, resolveHttpOrigin, type DiscoveryOverrides } from './discovery/index.js';
export { runStack, startStack, type DevStack, type RunningStack, type StackOptions } from './dev/index.js';

export { createGateway, runGateway, type Gateway, type GatewayConfig, type GatewayOptions, type GatewayRoute } from './gateway/index.js';
export { createGrpcServer, createGrpcTransport, type GrpcServer, type GrpcServerOptions, type GrpcTransportOptions } from './grpc/index.js';
