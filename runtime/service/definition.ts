// The description of a service that the generator emits (generated/<service>/definition.ts)
// and the runtime binds to transports. Plain data: no functions, so it can be printed and diffed.
import type { GrpcStatusName } from '../../common/grpc-status.js';
import type { StrategyName } from '../discovery/balance/strategy.js';
import type { ResiliencePolicy } from '../resilience/policy.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface EndpointDescriptor {
  /** Endpoint (and hook method) name, e.g. `getUser`. */
  readonly name: string;
  readonly method: HttpMethod;
  /** Path as in the spec, with `{param}` placeholders, e.g. `/users/{id}`. */
  readonly path: string;
  readonly pathParams: readonly string[];
  /** Where non-path input fields come from. */
  readonly inputSource: 'body' | 'query' | 'none';
  readonly successStatus: number;
  /** Type name of the input record (a key of the mesh schema's $defs). */
  readonly input: string;
  /** Output type; null for no body (204). `list` means an array of `type`. */
  readonly output: { readonly type: string; readonly list: boolean } | null;
  /** Declared error code -> how it travels. */
  readonly errors: Readonly<Record<string, DeclaredErrorDescriptor>>;
  readonly grpc: GrpcMethodDescriptor;
  /**
   * Whether calling it twice has the effect of calling it once (the spec's `idempotent`); absent:
   * GET, PUT and DELETE are, POST and PATCH are not. Clients retry a non-idempotent endpoint only
   * with an idempotency key, which its server honours by replaying the first answer.
   */
  readonly idempotent?: boolean;
  /**
   * Set when the endpoint starts a saga instead of running a hook (the spec's `saga` and `wait`): its
   * input is the saga's input, its output the saga's status (`<Saga>Status`, runtime/saga SagaStatus).
   */
  readonly startsSaga?: SagaStartDescriptor;
  /**
   * Set when the endpoint answers the status of one saga of this service (the spec's `sagaStatus`):
   * the saga's name. Its one path parameter is the saga id; its output is the saga's `<Saga>Status`.
   */
  readonly sagaStatus?: string;
}

/**
 * How an endpoint starts a saga and answers.
 * - The saga is still in flight when the answer is due: `202 Accepted`, the status with `state`
 *   `running` (or `compensating`), and `Location: <statusPath with the id>` when the saga has a status endpoint.
 * - It completed: the endpoint's `successStatus` with the status (`output` set).
 * - It was compensated or is stuck: the error the failed step answered when the endpoint declares
 *   that code, otherwise `409 Conflict`; either way the error's `details` carry `sagaId`.
 *
 * @example
 * const start: SagaStartDescriptor = { saga: 'placeOrder', wait: 8000, statusPath: '/orders/placements/{id}' };
 */
export interface SagaStartDescriptor {
  /** The saga's name (one of the service's sagas). */
  readonly saga: string;
  /**
   * How long the request waits for the saga to finish: ms; `'deadline'` until just before the
   * caller's deadline; null answers 202 at once.
   */
  readonly wait: number | 'deadline' | null;
  /** This service's path of the saga's status endpoint (`/orders/placements/{id}`), for the 202's `Location`; null when it has none. */
  readonly statusPath: string | null;
}

/** An error an endpoint declares: its HTTP status and the gRPC status code it answers with. */
export interface DeclaredErrorDescriptor {
  readonly status: number;
  readonly grpc: GrpcStatusName;
}

/** How an endpoint travels over gRPC (ARCHITECTURE.md, "gRPC contract"). */
export interface GrpcMethodDescriptor {
  /** Method name on the service's proto service, e.g. `GetUser`. */
  readonly method: string;
  /**
   * The request field that carries the input record whole (`createOrder`), or null when the
   * request's own fields are the input (an endpoint whose input is its path params).
   */
  readonly request: string | null;
  /** The response field that carries the output (`order`, or `items` for a list); null without output. */
  readonly response: string | null;
}

export interface SubscriptionDescriptor {
  readonly event: string;
  /** Name of the hook function in the service's `subscriptions` object. */
  readonly handler: string;
  /** Overrides the bus's `maxAttempts` for this subscription (the spec's `maxAttempts`). */
  readonly maxAttempts?: number;
  /**
   * For an event in a rollout: each older version still accepted -> the member of the service's
   * `upgrades` that turns its payload into the current one.
   */
  readonly upgrades?: Readonly<Record<number, string>>;
}

export interface ProtoDescriptor {
  /** Absolute path of the folder the proto import paths are relative to. */
  readonly root: string;
  /** Proto file relative to root, e.g. `shop/users/v1/users.proto`. */
  readonly file: string;
  /** Fully qualified service name, e.g. `shop.users.v1.UsersService`. */
  readonly service: string;
  /**
   * Proto package -> owner of the types it declares (a service's name, or null for the mesh-level
   * types), so a message maps to its schema key: `shop.orders.v1.Order` is `orders.Order`.
   */
  readonly packages: Readonly<Record<string, string | null>>;
}

export interface ServiceDefinition {
  readonly mesh: string;
  readonly name: string;
  readonly version: string;
  readonly ports: { readonly http: number; readonly grpc: number | null };
  readonly endpoints: readonly EndpointDescriptor[];
  readonly subscriptions: readonly SubscriptionDescriptor[];
  /** Events this service may publish. */
  readonly publishes: readonly string[];
  readonly calls: readonly CallDescriptor[];
  /** Present when the service has a gRPC port. */
  readonly proto: ProtoDescriptor | null;
  /** The HTTP binding that serves it (the spec's `http.binding`); absent: `node`, the node:http binding. */
  readonly binding?: HttpBindingName;
  /** The steps of choreographed sagas this service's event hooks take (README "Choreographed sagas"); absent: none. */
  readonly choreographies?: readonly ChoreographyStepDescriptor[];
  /** The choreographed sagas this service owns (keeps their log, publishes `<saga>.completed`/`.failed`); absent: none. */
  readonly choreographedSagas?: readonly ChoreographedSagaDescriptor[];
  /** The readiness checks the spec declares (`health.checks`), run by `/ready` beside the runtime's; absent: none. */
  readonly healthChecks?: readonly HealthCheckDescriptor[];
}

/**
 * A readiness check the spec declares: the hook file's `healthChecks.<name>` runs it.
 *
 * @example
 * const check: HealthCheckDescriptor = { name: 'ledger', timeoutMs: 500, critical: true };
 */
export interface HealthCheckDescriptor {
  readonly name: string;
  /** Past this the check counts as failed (`timeout`). */
  readonly timeoutMs: number;
  /** Failing makes the service not ready (503); a non-critical failure only degrades it. */
  readonly critical: boolean;
}

/**
 * A choreographed saga as its owner sees it: what the owner's log needs to follow it from the
 * participants' reports (README "Choreographed sagas").
 *
 * @example
 * const saga: ChoreographedSagaDescriptor = {
 *   saga: 'fulfilOrder', correlate: 'orderId', starts: 'order.created', completes: 'order.confirmed',
 *   steps: [{ step: 'charge', service: 'payments', succeeds: 'payment.completed', fails: 'payment.failed', compensate: 'refundCharge' }],
 * };
 */
export interface ChoreographedSagaDescriptor {
  readonly saga: string;
  /** The payload field of every event of the saga that holds the saga id. */
  readonly correlate: string;
  /** The event that starts it (published by the owner). */
  readonly starts: string;
  /** The last step's `succeeds`. */
  readonly completes: string;
  /** In the order they happen. */
  readonly steps: readonly {
    readonly step: string;
    /** The service whose event hook takes the step. */
    readonly service: string;
    readonly succeeds: string;
    readonly fails: string | null;
    /** The participant's compensation; null: nothing to undo. */
    readonly compensate: string | null;
  }[];
}

/**
 * One step of a choreographed saga that a service takes: its event hook for `on` publishes
 * `succeeds` or `fails`; its compensation (a member of the `compensations` hook object) undoes it when
 * one of `compensateOn` (the later steps' `fails` events) arrives for a saga id whose step took effect.
 *
 * @example
 * const step: ChoreographyStepDescriptor = { saga: 'fulfilOrder', owner: 'orders', correlate: 'orderId', step: 'charge', on: 'order.created', hook: 'chargeOrder', succeeds: 'payment.completed', fails: 'payment.failed', compensate: 'refundCharge', compensateOn: ['stock.failed'] };
 */
export interface ChoreographyStepDescriptor {
  readonly saga: string;
  /** The service that owns the saga (keeps its log, publishes `<saga>.completed`/`.failed`). */
  readonly owner: string;
  /** The payload field of every event of the saga that holds the saga id. */
  readonly correlate: string;
  readonly step: string;
  /** The event that triggers the step. */
  readonly on: string;
  /** The member of the service's `subscriptions` the step runs. */
  readonly hook: string;
  readonly succeeds: string;
  readonly fails: string | null;
  /** The member of the service's `compensations` that undoes the step; null: nothing to undo. */
  readonly compensate: string | null;
  /** The events that trigger the compensation: the `fails` events of the saga's later steps. */
  readonly compensateOn: readonly string[];
}

/** `node`: the runtime's own binding on node:http (the default); `express`: the Express 5 binding. */
export type HttpBindingName = 'node' | 'express';

/** A dependency: the service called, how, and the resilience and balancing the spec gives the calls. */
export interface CallDescriptor {
  readonly service: string;
  readonly transport: 'http' | 'grpc';
  /** The resolved policy of every call to it (the spec's `calls.<svc>.policy`, else the mesh default); absent: DEFAULT_POLICY. */
  readonly policy?: ResiliencePolicy;
  /** Per-endpoint overrides, by the callee's endpoint name. */
  readonly endpointPolicies?: Readonly<Record<string, ResiliencePolicy>>;
  /** How calls are spread over its instances; absent: round-robin. */
  readonly balance?: StrategyName;
  /** Instances from DNS (a headless Service name) re-resolved every `refreshMs`; absent: the environment, then the spec's port. */
  readonly dns?: { readonly name: string; readonly refreshMs: number };
  /**
   * Fallback functions by the callee's endpoint name: the name of the member of the caller's
   * `fallbacks` hook object that answers when a call to that endpoint fails with a failure its
   * policy's `fallback.on` names (absent there: DEFAULT_FALLBACK_ON).
   */
  readonly fallbacks?: Readonly<Record<string, string>>;
}

/**
 * All event names with their payload type names and versions (generated/events.ts). `version` is the
 * one publishers publish; `accepts`, for an event in a rollout, the older versions subscribers still
 * take, each with its payload type.
 */
export type EventCatalog = Readonly<Record<string, { readonly payload: string; readonly version: number; readonly accepts?: Readonly<Record<number, string>> }>>;
