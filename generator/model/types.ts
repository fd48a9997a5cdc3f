// The normalized model: the one structure every emitter reads.
// Built once from the validated spec (generator/model/build.ts). Everything here is resolved:
// references point at names that exist, durations and sizes are numbers, lists are sorted
// deterministically. Nothing downstream parses YAML or looks a reference up in the spec again.
import type { StringFormatName } from '../../common/formats.js';
import type { GrpcStatusName } from '../../common/grpc-status.js';
import type { HttpBinding } from '../language/http-defaults.js';
import type { BalanceStrategyName, CountableFailure, FallbackFailure } from '../language/policy-defaults.js';
import type { StorageEngine } from '../language/storage-defaults.js';

/** Where a declaration came from, for headers and diagnostics. Paths are relative to the spec folder, with `/`. */
export interface SourceRef {
  file: string;
  line: number;
  col: number;
}

export type PrimitiveName = 'string' | 'integer' | 'number' | 'boolean';

export type TypeRef =
  | { kind: 'primitive'; name: PrimitiveName }
  /** A named type, resolved in the scope of the type or endpoint that refers to it. */
  | { kind: 'ref'; name: string }
  | { kind: 'array'; items: TypeRef }
  | { kind: 'map'; values: TypeRef };

/** A `format` the language offers: the names the runtime's validators register (common/formats.ts). */
export type StringFormat = StringFormatName;

export interface FieldConstraints {
  format?: StringFormat;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
}

export interface FieldModel {
  name: string;
  /** Proto field number, unique within the type. */
  number: number;
  optional: boolean;
  description?: string;
  type: TypeRef;
  constraints: FieldConstraints;
  /** The spec's `example`: a value the field accepts (checked), for documentation. */
  example?: unknown;
}

export interface RecordTypeModel {
  kind: 'record';
  name: string;
  /** Service that declares it, or null for a mesh-level (shared) type. */
  owner: string | null;
  description?: string;
  /** Sorted by field number. */
  fields: FieldModel[];
  /** Field numbers that must never be reused (removed fields). Sorted. */
  reserved: number[];
  source: SourceRef;
}

export interface EnumTypeModel {
  kind: 'enum';
  name: string;
  owner: string | null;
  description?: string;
  /** In declared order: the order is the proto numbering (value i is number i + 1; 0 is UNSPECIFIED). */
  values: string[];
  /** True for an enum declared inline on a field (`status: { enum: [...] }`), named `<Type><Field>`. */
  inline: boolean;
  source: SourceRef;
}

export type TypeModel = RecordTypeModel | EnumTypeModel;

export interface ErrorModel {
  /** PascalCase code, e.g. `NotFound`, `UserNotFound`. Sent on the wire as `error.code`. */
  name: string;
  status: number;
  /** The gRPC status code it answers with: declared, or the default for its HTTP status (common/grpc-status.ts). */
  grpc: GrpcStatusName;
  description?: string;
  /** True for the built-in errors every service knows (NotFound, Conflict, ...). */
  builtin: boolean;
}

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface EndpointModel {
  name: string;
  description?: string;
  http: {
    method: HttpMethod;
    /** The path as written in the spec, with `{param}` placeholders. */
    path: string;
    /** Placeholders in path order. */
    pathParams: string[];
    /** Status on success: 201 for POST, 204 when there is no output, else 200, unless the spec says. */
    successStatus: number;
    /** Where the input's non-path fields come from: JSON body, or the query string (GET/DELETE). */
    inputSource: 'body' | 'query' | 'none';
  };
  /** gRPC method name (PascalCase of the endpoint name). */
  grpcMethod: string;
  /**
   * The handler's input type (a name in the service's scope): always a record. Either the spec's
   * `input` type, or a synthesized `<Endpoint>Input` record (owner = service) holding the path
   * params when the spec has no input.
   */
  input: string;
  /** True when `input` was synthesized from path params (and so is not a spec type). */
  inputSynthesized: boolean;
  /** Output type (a name in the service's scope) and shape; null means no body (204). */
  output: { type: string; list: boolean } | null;
  /** Declared errors, sorted by name, resolved to statuses. */
  errors: ErrorModel[];
  /** Events this endpoint may publish (documentation and OpenAPI `x-emits`). Sorted. */
  emits: string[];
  /** Calling it twice has the effect of calling it once: the spec's `idempotent`, else true for GET, PUT and DELETE. */
  idempotent: boolean;
  /**
   * Set when the endpoint starts a saga instead of running a hook (the spec's `saga` and `wait`): its
   * input is the saga's, its output `<Saga>Status`. `waitMs`: ms, `'deadline'` (`wait: true`), null
   * answers 202 at once; `statusPath`: the path of the saga's `sagaStatus` endpoint, null when none.
   */
  startsSaga?: { saga: string; waitMs: number | 'deadline' | null; statusPath: string | null };
  /** Set when the endpoint answers the status of this saga (the spec's `sagaStatus`); no hook either. */
  sagaStatus?: string;
  source: SourceRef;
}

/**
 * A resolved resilience policy: the runtime's `ResiliencePolicy` (runtime/resilience/policy.ts), every
 * duration in ms, every share a ratio in [0, 1], every default filled in.
 */
export interface ResiliencePolicyModel {
  timeoutMs: number;
  /** Absent: an attempt may use what is left of the call's timeout. */
  attemptTimeoutMs?: number;
  /** Absent: a single attempt (the spec's `attempts: 1`). */
  retry?: {
    attempts: number;
    initialMs: number;
    maxMs: number;
    jitter: 'full' | 'none';
    budget: { ratio: number; minPerSecond: number; windowMs: number };
  };
  circuitBreaker?: {
    consecutiveFailures?: number;
    failureRatio?: number;
    minimumCalls: number;
    windowMs: number;
    openForMs: number;
    halfOpenCalls: number;
    /** Absent: every failure a retry may help with. */
    countedFailures?: CountableFailure[];
  };
  bulkhead?: { maxConcurrent: number; maxQueue: number };
  /** Absent: a fallback answers DEFAULT_FALLBACK_ON (generator/language/policy-defaults.ts). */
  fallback?: { on: FallbackFailure[] };
}

/** A policy of the mesh, by name. */
export interface PolicyModel {
  name: string;
  policy: ResiliencePolicyModel;
}

export interface CallModel {
  /** The service called. */
  service: string;
  transport: 'http' | 'grpc';
  /** The mesh policy the call names, else `default` when the mesh declares it; null: the built-in default. */
  policyName: string | null;
  /** The resolved policy of every call to the service. */
  policy: ResiliencePolicyModel;
  /** Per-endpoint policies of the callee, sorted by endpoint. */
  endpointPolicies: { endpoint: string; policyName: string; policy: ResiliencePolicyModel }[];
  /** How calls are spread over the callee's instances (the runtime's strategy name). */
  balance: BalanceStrategyName;
  /** Instances from DNS, re-resolved every `refreshMs`; null: from the environment, then the spec's port. */
  dns: { name: string; refreshMs: number } | null;
  /** Fallback functions the spec names for endpoints of the callee, sorted by endpoint. */
  fallbacks: FallbackModel[];
}

/** `health.checks.<name>`: a readiness check, with its defaults applied. */
export interface HealthCheckModel {
  name: string;
  timeoutMs: number;
  critical: boolean;
  description?: string;
}

/** `calls.<svc>.endpoints.<endpoint>.fallback`: a member of the caller's `fallbacks` hook object. */
export interface FallbackModel {
  /** The callee's endpoint whose failures it answers. */
  endpoint: string;
  /** Name of the hook function (unique within the calling service). */
  handler: string;
}

export interface SubscriptionModel {
  event: string;
  /** Name of the hook function that handles it. */
  handler: string;
  /** The spec's per-subscription override of `runtime.bus.maxAttempts`; absent when it has none. */
  maxAttempts?: number;
}

export interface ResourcesModel {
  requests: { cpu: string; memory: string };
  limits: { cpu: string; memory: string };
}

export interface SecretRefModel {
  /** Environment variable name inside the container. */
  env: string;
  /** Kubernetes Secret name and key. */
  secret: string;
  key: string;
}

/**
 * A service's database: the engine and the most connections each instance keeps open.
 *
 * @example
 * const storage: StorageModel = { engine: 'postgres', poolSize: 10 };
 */
export interface StorageModel {
  engine: StorageEngine;
  /** The spec's `storage.pool`, else DEFAULT_POOL_SIZE (the runtime's default). */
  poolSize: number;
}

/**
 * A HorizontalPodAutoscaler's range and CPU target (the spec's `deploy.autoscaling`).
 *
 * @example
 * const autoscaling: AutoscalingModel = { min: 2, max: 10, cpuPercent: 70 };
 */
export interface AutoscalingModel {
  min: number;
  max: number;
  /** Average CPU utilization to hold, a share of the CPU request (1-100). */
  cpuPercent: number;
}

/**
 * The gateway's Ingress (the spec's `gateway.ingress`).
 *
 * @example
 * const ingress: IngressModel = { host: 'shop.example.com', className: 'nginx', tlsSecret: 'shop-tls' };
 */
export interface IngressModel {
  host: string;
  /** Absent: the cluster's default IngressClass. */
  className?: string;
  /** Absent: plain HTTP. */
  tlsSecret?: string;
}

export interface DeployModel {
  /** The full image reference: the spec's `image`, else `<registry>/<name>:<tag or version>[@<digest>]`. */
  image: string;
  /** With `autoscaling`, the autoscaler's `min` (the Deployment then leaves its count to the autoscaler). */
  replicas: number;
  /** Absent: a fixed `replicas`. */
  autoscaling?: AutoscalingModel;
  resources: ResourcesModel;
  /** How long a stopping pod serves with /ready at 503 before it stops accepting (`SHUTDOWN_DELAY` on Kubernetes), ms. */
  shutdownDelayMs: number;
  /** Plain environment variables (go into the ConfigMap). Sorted by name. */
  env: { name: string; value: string }[];
  /** Secrets, by reference only. Sorted by env name. */
  secrets: SecretRefModel[];
}

export interface ServiceModel {
  name: string;
  description?: string;
  ports: { http: number; grpc: number | null };
  /** The HTTP binding that serves it: the service's `http.binding`, else the mesh's `runtime.http.binding`, else `node`. */
  binding: HttpBinding;
  /** The hook file exports `routes` (the spec's `http.extraRoutes`), mounted beside the endpoints. */
  extraRoutes: boolean;
  /** The readiness checks the spec declares (`health.checks`), sorted by name: members of the hook file's `healthChecks`. */
  healthChecks: HealthCheckModel[];
  /** Types declared in this service's file (names, sorted). */
  types: string[];
  /** Every error any endpoint of this service declares, sorted by name. */
  errors: ErrorModel[];
  /** Sorted by name. */
  endpoints: EndpointModel[];
  /** Services this one calls, sorted by service name. */
  calls: CallModel[];
  /** Events this service may publish: its `publishes` plus every endpoint's `emits`. Sorted. */
  publishes: string[];
  /** Sorted by event name. */
  subscribes: SubscriptionModel[];
  /** The service's own database (the spec's `storage`), or null: a service without `storage` has none. */
  storage: StorageModel | null;
  /**
   * The sagas this service owns (the spec's `sagas`), orchestrated or choreographed, sorted by name. Absent (in models
   * built by hand) means none: read it with `sagasOf` (generator/model/lookup.ts).
   */
  sagas?: SagaModel[];
  deploy: DeployModel;
  /** The spec file this service was declared in (relative to the spec folder). */
  file: string;
  source: SourceRef;
}

/**
 * Services deployed together as one process (`deploy.groups`): one entry point
 * (`generated/<group>/main.ts`) and one Kubernetes workload, while each service keeps its own
 * Service object, so callers reach it by the same name whether it is grouped or not.
 */
export interface GroupModel {
  name: string;
  /** Sorted by name: the order the process starts them in; the last one's HTTP port answers the pod's probes. */
  services: string[];
  /** The group's own `image`, `replicas`, `resources`; `env` and `secrets` are the group's and every member's together. */
  deploy: DeployModel;
  source: SourceRef;
}

export interface EventModel {
  /** Dotted name, e.g. `user.created`. */
  name: string;
  description?: string;
  /** Record type of the payload: a mesh-level type, or one of `payloadScope`. */
  payload: string;
  /** Set for a saga's events (`<saga>.completed`, `.failed`): the saga's service, whose scope declares the synthesized payload. */
  payloadScope?: string;
  /** The version publishers publish (the envelope's `version`). */
  version: number;
  /** Older versions subscribers still take during a rollout, each with its payload (mesh-level), sorted by version. */
  accepts: { version: number; payload: string }[];
  /** Services that may publish it, sorted. */
  publishers: string[];
  /** Services that subscribe, sorted by service. */
  subscribers: { service: string; handler: string }[];
  source: SourceRef;
}

export interface GatewayRouteModel {
  /** Public path prefix, e.g. `/api/v1/users`. */
  prefix: string;
  service: string;
  /** What the prefix is replaced with before forwarding, e.g. `/users`. Equals prefix when no rewrite. */
  rewrite: string;
  /** Served without authentication (the spec's `public: true`); absent means false. */
  public?: boolean;
  /** The route's own limit, `false` for none, undefined for the gateway's. */
  rateLimit?: RateLimitModel | false;
  /**
   * The methods forwarded, in `Allow` order: the spec's `methods`, else those of the service's
   * endpoints under `rewrite`, with HEAD beside GET and always OPTIONS. Absent: every method (the
   * service's hook file adds routes the spec does not describe).
   */
  methods?: GatewayMethod[];
  /** The route's own body limit; absent: the gateway's. */
  bodyLimitBytes?: number;
  /** The route's own upstream timeout in ms; absent: the gateway's. */
  timeoutMs?: number;
}

/** A method a gateway route takes (`GatewayMethod` in runtime/gateway/route-methods.ts): an endpoint's, HEAD or OPTIONS. */
export type GatewayMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'OPTIONS';

/** A rate limit in the runtime's terms (`GatewayRateLimit` in runtime/gateway/types.ts): a sliding window or a token bucket. */
export type RateLimitModel = (
  | { algorithm: 'sliding-window'; limit: number; windowMs: number }
  | { algorithm: 'token-bucket'; capacity: number; refillPerSec: number }
) & {
  /** Where counts live (the spec's `store`, default memory): `redis` needs RATE_LIMIT_REDIS_URL. */
  store: 'memory' | 'redis';
  /** Per verified subject (the spec's `key: user`) or per client address (`ip`, the default). */
  key: 'subject' | 'ip';
  /** Only when the spec sets it: the runtime's default is true. */
  failOpen?: boolean;
};

/** The gateway's authentication in the runtime's terms (`GatewayAuth`): a JWT it verifies, or a delegate endpoint. */
export type GatewayAuthModel =
  | {
      jwt: {
        algorithms: string[];
        /** The variable with the HS* secret (`keys: env:NAME` with HMAC algorithms). */
        secretEnv?: string;
        /** The variable with the public key (`keys: env:NAME` with asymmetric algorithms). */
        publicKeyEnv?: string;
        jwksUrl?: string;
        issuer?: string;
        audience?: string;
        clockToleranceSec?: number;
        rolesClaim?: string;
      };
    }
  | { delegate: { service: string; path: string; cacheTtlMs?: number; timeoutMs?: number } };

/** CORS in the runtime's terms (`GatewayCors`): durations in seconds, keys only where the spec sets them. */
export type CorsModel = {
  origins: string[];
  credentials?: boolean;
  headers?: string[];
  exposeHeaders?: string[];
  maxAgeSec?: number;
};

/** The listener's and upstream pools' limits the spec sets (`GatewayLimits`, ms); the rest take the runtime's defaults. */
export type GatewayLimitsModel = {
  headersTimeoutMs?: number;
  requestTimeoutMs?: number;
  bodyIdleTimeoutMs?: number;
  keepAliveTimeoutMs?: number;
  maxConnections?: number;
  upstreamConnections?: number;
  upstreamQueue?: number;
};

/** Where Prometheus runs: the NetworkPolicies let these pods reach every workload's metrics port. */
export interface MonitoringModel {
  namespace: string;
  /** Empty: every pod of the namespace. */
  podSelector: Record<string, string>;
}

export interface GatewayModel {
  port: number;
  /** Where `/metrics` is served, apart from the public port; absent (models built by hand): the runtime's default, 9464. */
  metricsPort?: number;
  /** Sorted longest prefix first, then alphabetically: the first match wins and order in the spec does not matter. */
  routes: GatewayRouteModel[];
  /** Upstream timeout in ms. */
  timeoutMs: number;
  bodyLimitBytes: number;
  // The security settings below are absent when the spec sets none (and in models built by hand).
  /** Proxies in front of the gateway whose forwarding headers it believes; absent means 0. */
  trustedProxies?: number;
  /** The limits the spec sets; absent: the runtime's defaults. */
  limits?: GatewayLimitsModel;
  /** Absent: every route is open. */
  auth?: GatewayAuthModel;
  /** The limit of every route without its own; absent: none. */
  rateLimit?: RateLimitModel;
  /** Absent: no CORS headers. */
  cors?: CorsModel;
  /** Absent: reachable inside the cluster only (its ClusterIP Service). */
  ingress?: IngressModel;
  deploy: DeployModel;
  source: SourceRef;
}

export interface RuntimeSettingsModel {
  /** Largest JSON body a service accepts. */
  bodyLimitBytes: number;
  /** How long a service waits for in-flight requests on shutdown. */
  shutdownGraceMs: number;
  bus: BusModel;
}

/** The spec's `runtime.bus` with every default filled in: the runtime's `BusDefaults` (runtime/bus/settings.ts). */
export interface BusModel {
  /** The adapter when `EVENT_BUS` is unset. */
  kind: 'memory' | 'redis' | 'rabbitmq';
  /** Deliveries of one event to one subscribing service, the first included, before dead-lettering. */
  maxAttempts: number;
  /** Wait before the first retry, doubled for each further one. */
  retryDelayMs: number;
  /** Upper bound of the wait between attempts (at least `retryDelayMs`). */
  maxRetryDelayMs: number;
  /** Redis: idle time after which a dead consumer's pending entries are claimed (above `maxRetryDelayMs`). */
  claimIdleMs: number;
  /** Redis: approximate number of entries each event stream keeps. */
  maxLength: number;
  /** Redis: entries older than this are trimmed; null when the spec sets no age. */
  maxAgeMs: number | null;
}

export interface MeshModel {
  name: string;
  version: string;
  /** Version of meshspec that built the model (goes into file headers). */
  generatorVersion: string;
  /** Every spec file read, named as in generated headers (spec folder name + path inside it, e.g. `spec/mesh.yaml`), sorted. */
  files: string[];
  /** The mesh file, named like `files`. */
  meshFile: string;
  runtime: RuntimeSettingsModel;
  /** The mesh's resilience policies, sorted by name. */
  policies: PolicyModel[];
  /** Kubernetes namespace and image registry. */
  deploy: {
    namespace: string;
    registry: string;
    /** Where Prometheus runs; absent (`deploy.monitoring: false`): no NetworkPolicy rule lets it in. */
    monitoring?: MonitoringModel;
    /** A Redis for services without storage to keep idempotency records in (`IDEMPOTENCY_STORE_URL`); absent: none named. */
    idempotencyStore?: 'redis';
  };
  /**
   * All types (records and enums, spec-declared and synthesized), sorted by key (`typeKey`). A name is
   * unique within its scope: a service may declare `Item` beside another service's `Item`, and never
   * reuses a mesh-level name. Resolve a name with `resolveType` (generator/model/lookup.ts).
   */
  types: TypeModel[];
  events: EventModel[];
  services: ServiceModel[];
  /**
   * Services deployed as one process, sorted by name; a service is in one group at most. Absent
   * (in models built by hand) means none: read it with `groupsOf` (generator/model/lookup.ts).
   */
  groups?: GroupModel[];
  gateway: GatewayModel | null;
}

/**
 * A saga of a service (`services.<svc>.sagas.<name>`): orchestrated (the service calls each step) or
 * choreographed (each step a service's event hook). Either way its owner's database keeps its log,
 * and the owner publishes `<name>.completed` and `<name>.failed`. Narrow it on `kind`.
 *
 * @example
 * const saga: SagaModel = { kind: 'orchestrated', name: 'placeOrder', service: 'orders', input: 'PlaceOrder', output: null, steps: [], source };
 */
export type SagaModel = OrchestratedSagaModel | ChoreographedSagaModel;

/** What every saga has, whatever its kind. */
interface SagaModelBase {
  /** camelCase, unique in the mesh (its events are `<name>.completed` and `<name>.failed`). */
  name: string;
  description?: string;
  /** The service that owns it (whose spec file declares it): it keeps the saga's log. */
  service: string;
  source: SourceRef;
}

/**
 * An orchestrated saga: run by its service. Its input is a record type in the service's scope; each
 * step calls an endpoint of any service the service `calls` (or of itself), with an input built by a
 * checked mapping from the saga's input, its id and earlier steps' outputs.
 *
 * @example
 * const saga: OrchestratedSagaModel = { kind: 'orchestrated', name: 'placeOrder', service: 'orders', input: 'PlaceOrder', output: null, steps: [], source };
 */
export interface OrchestratedSagaModel extends SagaModelBase {
  kind: 'orchestrated';
  /** A record type in the service's scope. */
  input: string;
  /** What a completed saga answers: a value whose type is a named record, or null for no output. */
  output: { type: string; value: SagaValue } | null;
  /** In the order they run. */
  steps: SagaStepModel[];
}

/**
 * A choreographed saga: no one calls its steps; each participant's event hook reacts to an event and
 * publishes the next (README "Choreographed sagas").
 *
 * @example
 * const saga: ChoreographedSagaModel = { kind: 'choreographed', name: 'fulfilOrder', service: 'orders', choreography, source };
 */
export interface ChoreographedSagaModel extends SagaModelBase {
  kind: 'choreographed';
  choreography: ChoreographyModel;
}

/**
 * The events and steps of a choreographed saga.
 *
 * @example
 * const choreography: ChoreographyModel = { correlate: 'orderId', starts: 'order.created', completes: 'order.confirmed', steps: [] };
 */
export interface ChoreographyModel {
  /** The field of every event of the saga that holds its id (a required string). */
  correlate: string;
  /** The event that starts it, published by the owner. */
  starts: string;
  /** The event that ends it completed: the last step's `succeeds`. */
  completes: string;
  /** In the order they happen. */
  steps: ChoreographyStepModel[];
}

/**
 * One step of a choreographed saga: `service`'s event hook `hook`, subscribed to `on`, which publishes
 * `succeeds` (the step took effect) or `fails` (it failed with no effect: the saga fails).
 *
 * @example
 * const step: ChoreographyStepModel = { name: 'charge', service: 'payments', on: 'order.created', hook: 'chargeOrder', succeeds: 'payment.completed', fails: 'payment.failed', compensate: 'refundCharge', source };
 */
export interface ChoreographyStepModel {
  /** camelCase, unique within the saga. */
  name: string;
  service: string;
  /** The event that triggers it: the saga's `starts` or an earlier step's `succeeds`. */
  on: string;
  /** The event hook (a member of the service's `subscriptions`) `service` subscribes to `on` with. */
  hook: string;
  succeeds: string;
  fails: string | null;
  /** A member of the service's `compensations` that undoes the step when a later step fails; null: nothing to undo. */
  compensate: string | null;
  source: SourceRef;
}

/**
 * One step: the endpoint it calls with its input mapping, its compensation, its timeout.
 *
 * @example
 * const step: SagaStepModel = { name: 'reserveInventory', call: { service: 'inventory', endpoint: 'reserve' }, input, compensate: null, timeoutMs: null, source };
 */
export interface SagaStepModel {
  /** camelCase, unique within the saga. */
  name: string;
  /** The endpoint called (through the service's generated client for `service`; its own endpoints too). */
  call: { service: string; endpoint: string };
  /** Builds the endpoint's input (always an object mapping: the endpoint's input is a record). */
  input: SagaValue;
  /** Undoes the step; its input may read the saga's input, its id and earlier steps' outputs, never the step's own. */
  compensate: { service: string; endpoint: string; input: SagaValue } | null;
  /** One attempt's timeout, ms; null: the call's policy decides. */
  timeoutMs: number | null;
  source: SourceRef;
}

/**
 * A value in a saga mapping, resolved and type-checked:
 * - `path`: `input.<field>...`, `saga.id`, or `steps.<step>.<field>...` (an earlier step's output),
 *   with how the value found there becomes the target's shape;
 * - `literal`: a YAML number, boolean or null, or a single-quoted string (`"'EUR'"`);
 * - `object`: a record built field by field (fields in the target type's field order).
 *
 * @example
 * const value: SagaValue = { kind: 'object', fields: [{ name: 'orderId', value: { kind: 'path', root: 'saga', path: ['id'], convert: { kind: 'same' } } }] };
 */
export type SagaValue =
  | { kind: 'path'; root: 'input' | 'saga'; path: string[]; convert: SagaConversion }
  | { kind: 'path'; root: 'step'; step: string; path: string[]; convert: SagaConversion }
  | { kind: 'literal'; value: string | number | boolean | null }
  | { kind: 'object'; fields: { name: string; value: SagaValue }[] };

/**
 * How a source value becomes the target field's type: as it is (same type, a number into a number,
 * an enum into an enum with all its values), or rebuilt field by field when the two are different
 * but compatible records (another service's `Item` with the same fields): the target's fields are
 * copied (optional ones when present) and the rest dropped, inside lists too.
 *
 * @example
 * const convert: SagaConversion = { kind: 'list', items: { kind: 'record', fields: [{ name: 'productId', optional: false, convert: { kind: 'same' } }] } };
 */
export type SagaConversion =
  | { kind: 'same' }
  | { kind: 'record'; fields: { name: string; optional: boolean; convert: SagaConversion }[] }
  | { kind: 'list'; items: SagaConversion };
