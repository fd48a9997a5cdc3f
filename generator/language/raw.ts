// The shape of spec documents after JSON Schema validation (see schema/meshspec.schema.json).
// Only code that runs after a document passed the schema may rely on these types.
import type { StringFormatName } from '../../common/formats.js';
import type { GrpcStatusName } from '../../common/grpc-status.js';
import type { HttpBinding } from './http-defaults.js';
import type { RouteMethod } from './gateway-routes.js';
import type { StorageEngine } from './storage-defaults.js';
import type { BalanceName, CountableFailure, FallbackFailure } from './policy-defaults.js';

export interface RawField {
  type?: string;
  field: number;
  optional?: boolean;
  description?: string;
  enum?: string[];
  items?: string;
  values?: string;
  format?: StringFormatName;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  /** Any JSON value; checked against the field once the model is built (generator/model/examples.ts). */
  example?: unknown;
}

export interface RawTypeDecl {
  description?: string;
  fields?: Record<string, RawField>;
  reserved?: number[];
  enum?: string[];
}

export interface RawDeploy {
  image?: string;
  /** Replaces the mesh's version in the default image reference. */
  tag?: string;
  /** `sha256:<hex>`, appended to the default image reference. */
  digest?: string;
  replicas?: number;
  /** `cpu` is a percentage (`70%`); the checks keep it in 1-100% and `min` <= `max`. */
  autoscaling?: { min?: number; max: number; cpu: string };
  resources?: { cpu?: string; memory?: string };
  shutdownDelay?: string;
  env?: Record<string, string | number | boolean>;
  secrets?: Record<string, string>;
}

/** `deploy.groups.<group>`: services deployed as one process, with the deploy keys of that process. */
export interface RawGroup extends RawDeploy {
  services: string[];
}

export interface RawBus {
  kind?: 'memory' | 'redis' | 'rabbitmq';
  maxAttempts?: number;
  retryDelay?: string;
  maxRetryDelay?: string;
  claimIdle?: string;
  retention?: { maxLength?: number; maxAge?: string };
}

/** A `subscribes` entry: the handler's name, or the object form with a per-subscription override. */
export type RawSubscription = string | { handler: string; maxAttempts?: number };

/** A service's `storage`: the engine's name, or the object form with the pool size. */
export type RawStorage = StorageEngine | { engine: StorageEngine; pool?: number };

export interface RawMesh {
  mesh: string;
  version: string;
  description?: string;
  runtime?: { bodyLimit?: string; shutdownGrace?: string; bus?: RawBus; http?: { binding?: HttpBinding } };
  deploy?: { namespace?: string; registry?: string; idempotencyStore?: 'redis'; monitoring?: RawMonitoring | false; groups?: Record<string, RawGroup> };
  policies?: Record<string, RawPolicy>;
  types?: Record<string, RawTypeDecl>;
  events?: Record<string, RawEvent>;
  gateway?: RawGateway;
}

/** `deploy.monitoring`: where Prometheus runs, for the NetworkPolicies to let it scrape. */
export interface RawMonitoring {
  namespace?: string;
  podSelector?: Record<string, string>;
}

/** An event of mesh.yaml: its payload, its version and the older versions still accepted (`accepts`, keyed by version). */
export interface RawEvent {
  payload: string;
  version?: number;
  accepts?: Record<string, { payload: string }>;
  description?: string;
}

/** `gateway`: the reverse proxy, with its authentication, rate limits, CORS and limits as the spec writes them. */
export interface RawGateway {
  port: number;
  metricsPort?: number;
  timeout?: string;
  bodyLimit?: string;
  trustedProxies?: number;
  limits?: RawGatewayLimits;
  auth?: RawGatewayAuth;
  rateLimit?: RawRateLimit;
  cors?: RawCors;
  routes: RawGatewayRoute[];
  /** An Ingress to the gateway from outside the cluster. */
  ingress?: { host: string; class?: string; tlsSecret?: string };
  deploy?: RawDeploy;
}

export interface RawGatewayRoute {
  prefix: string;
  service: string;
  rewrite?: string;
  public?: boolean;
  /** `true` passes the schema and is refused by the checks: only `false` or a limit mean something. */
  rateLimit?: RawRateLimit | boolean;
  /** The methods forwarded (HEAD comes with GET, OPTIONS is the gateway's); default those of the endpoints under the route. */
  methods?: RouteMethod[];
  /** Largest request body forwarded (`64kb`); default the gateway's `bodyLimit`. */
  bodyLimit?: string;
  /** How long the route waits for its service (`3s`); default the gateway's `timeout`. */
  timeout?: string;
}

export interface RawGatewayLimits {
  headersTimeout?: string;
  requestTimeout?: string;
  bodyIdleTimeout?: string;
  keepAliveTimeout?: string;
  maxConnections?: number;
  upstreamConnections?: number;
  upstreamQueue?: number;
}

/** `gateway.auth`: at least one of the two (the checks refuse both). */
export interface RawGatewayAuth {
  jwt?: RawJwt;
  delegate?: { call: string; cache?: string; timeout?: string };
}

export interface RawJwt {
  algorithms: string[];
  /** `env:NAME`. */
  keys?: string;
  jwks?: string;
  issuer?: string;
  audience?: string;
  clockSkew?: string;
  rolesClaim?: string;
}

/** A rate limit: `max` per `window`, or `burst` refilled at `refill` (`5/s`); the checks demand exactly one form. */
export interface RawRateLimit {
  max?: number;
  window?: string;
  burst?: number;
  refill?: string;
  key?: 'ip' | 'user';
  store?: 'memory' | 'redis';
  failOpen?: boolean;
}

export interface RawCors {
  origins: string[];
  credentials?: boolean;
  maxAge?: string;
  headers?: string[];
  expose?: string[];
}

export interface RawEndpoint {
  description?: string;
  http: string;
  status?: number;
  input?: string;
  output?: string;
  errors?: string[];
  emits?: string[];
  idempotent?: boolean;
  /** Starts this saga of the service (no hook): see README "Sagas in the spec". */
  saga?: string;
  /** With `saga`: a duration to wait for the saga's end, `true` until the caller's deadline. */
  wait?: string | true;
  /** Answers the status of this saga of the service (no hook). */
  sagaStatus?: string;
}

/** A resilience policy as the spec writes it (`policies.<name>`): durations and shares with units. */
export interface RawPolicy {
  timeout?: string;
  attemptTimeout?: string;
  retry?: { attempts?: number; backoff?: 'exponential'; initial?: string; max?: string; jitter?: 'full' | 'none'; budget?: string };
  circuitBreaker?: {
    consecutiveFailures?: number;
    failureRatio?: string;
    window?: string;
    minimumCalls?: number;
    openFor?: string;
    halfOpenCalls?: number;
    countedFailures?: CountableFailure[];
  };
  bulkhead?: { maxConcurrent: number; maxQueue?: number };
  fallback?: { on: FallbackFailure[] };
}

/** `calls.<svc>.endpoints.<endpoint>`: a policy in place of the call's, a fallback function, or both (at least one). */
export interface RawEndpointCall {
  policy?: string;
  fallback?: string;
}

/** `health.checks.<name>`: the check's timeout (`500ms`; 10ms-30s, default 1s) and whether it is critical (default true). */
export interface RawHealthCheck {
  timeout?: string;
  critical?: boolean;
  description?: string;
}

/** A `calls` entry: how this service calls another, and with which policies. */
export interface RawCall {
  transport?: 'http' | 'grpc';
  policy?: string;
  endpoints?: Record<string, RawEndpointCall>;
  balance?: BalanceName;
  dns?: { name: string; refresh?: string };
}

export interface RawService {
  service: string;
  description?: string;
  ports: { http: number; grpc?: number };
  /** How the service's HTTP server is built: its binding and whether the hook file adds routes. */
  http?: { binding?: HttpBinding; extraRoutes?: boolean };
  /** Readiness checks the hook file's `healthChecks` implements, beside the runtime's own. */
  health?: { checks?: Record<string, RawHealthCheck> };
  calls?: Record<string, RawCall>;
  types?: Record<string, RawTypeDecl>;
  errors?: Record<string, { status: number; grpc?: GrpcStatusName; description?: string }>;
  endpoints?: Record<string, RawEndpoint>;
  publishes?: string[];
  subscribes?: Record<string, RawSubscription>;
  storage?: RawStorage;
  sagas?: Record<string, RawSaga>;
  deploy?: RawDeploy;
}

/** A value of a saga mapping as YAML reads it: parsed by `parseSagaValue` (saga-values.ts). */
export type RawSagaValue = string | number | boolean | null | { [field: string]: RawSagaValue };

/**
 * `sagas.<name>`: a saga of the service, orchestrated (`input`, `steps`) or choreographed
 * (`correlate`, `starts`, `completes`, `choreography`). The schema requires one form's keys; the
 * saga checks report both forms given (`saga-steps-and-choreography`) and another form's keys.
 */
export type RawSaga = RawOrchestratedSaga | RawChoreographedSaga;

/** `sagas.<name>` with `steps`: the service calls each step's endpoint in order. */
export interface RawOrchestratedSaga {
  description?: string;
  input: string;
  output?: string;
  steps: RawSagaStep[];
  choreography?: undefined;
  correlate?: string;
  starts?: string;
  completes?: string;
}

/** `sagas.<name>` with `choreography`: each step a service's event hook, reacting to an event and publishing the next. */
export interface RawChoreographedSaga {
  description?: string;
  correlate: string;
  starts: string;
  completes: string;
  choreography: RawChoreographyStep[];
  /** Never legal with `choreography` (the checks say so): an orchestrated saga's keys. */
  input?: string;
  output?: string;
  steps?: RawSagaStep[];
}

/** One step of a choreographed saga: `service`'s event hook for `on`, publishing `succeeds` or `fails`. */
export interface RawChoreographyStep {
  step: string;
  service: string;
  on: string;
  succeeds: string;
  fails?: string;
  compensate?: string;
}

/**
 * True for a choreographed saga (it has `choreography`).
 *
 * @param saga a saga as the schema accepted it
 * @example isChoreographed({ correlate: 'orderId', starts: 'order.created', completes: 'order.confirmed', choreography: [] }) // true
 */
export function isChoreographed(saga: RawSaga): saga is RawChoreographedSaga {
  return saga.choreography !== undefined;
}

/** One step of a saga; `compensate` as `service.endpoint` or `{ call, input? }`. */
export interface RawSagaStep {
  name: string;
  call: string;
  input?: Record<string, RawSagaValue>;
  compensate?: string | { call: string; input?: Record<string, RawSagaValue> };
  timeout?: string;
}

/**
 * The hook function named by a `subscribes` entry, in either form.
 *
 * @param subscription the entry's value
 * @example handlerOf({ handler: 'confirmOrder', maxAttempts: 10 }) // 'confirmOrder'
 */
export function handlerOf(subscription: RawSubscription): string {
  return typeof subscription === 'string' ? subscription : subscription.handler;
}
