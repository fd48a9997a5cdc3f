// The dashboard's data API: the JSON every route answers, as TypeScript types. The page reads
// these, the server (server.ts) answers them, and api-schemas.ts states each one as a JSON Schema
// (served at GET /api/schemas and checked against real answers by the tests). Times are epoch
// milliseconds; rates are per second over the last sampling window (about 5 s); error rates are
// fractions from 0 to 1. README.md beside this file documents every route.

/** `GET /api/overview`: what the stack is and where it listens. */
export interface Overview {
  readonly mesh: string;
  /** When the dashboard started, epoch ms. */
  readonly startedAt: number;
  readonly dashboardUrl: string;
  /** Null when the mesh has no gateway. */
  readonly gateway: { readonly url: string; readonly metricsUrl: string | null } | null;
  readonly services: readonly { readonly name: string; readonly http: string; readonly grpc: string | null }[];
  /** Whether the API explorer sends the development token (the gateway verifies JWTs and `meshspec dev` made one). */
  readonly devToken: boolean;
}

/** `GET /api/catalog`: the services, endpoints, calls, events, routes and sagas of the spec, as the running stack has them. */
export interface Catalog {
  readonly mesh: string;
  readonly services: readonly CatalogService[];
  readonly events: readonly CatalogEvent[];
  readonly gateway: CatalogGateway | null;
  readonly sagas: readonly CatalogSaga[];
  /** The mesh's JSON Schemas by type name (`users.CreateUser`); a `$ref` inside one reads `#/$defs/<type name>`. */
  readonly schemas: Readonly<Record<string, object>>;
}

export interface CatalogService {
  readonly name: string;
  readonly version: string;
  readonly http: string;
  readonly grpc: string | null;
  readonly storage: boolean;
  readonly endpoints: readonly CatalogEndpoint[];
  readonly calls: readonly CatalogCall[];
  readonly publishes: readonly string[];
  readonly subscribes: readonly { readonly event: string; readonly handler: string; readonly maxAttempts: number | null }[];
}

export interface CatalogEndpoint {
  /** `<service>.<endpoint>`: what the explorer's call names. */
  readonly id: string;
  readonly name: string;
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** The service's own path, `/users/{id}`. */
  readonly path: string;
  /** The path through the gateway (`/api/v1/users/{id}`); null when no gateway route reaches it. */
  readonly gatewayPath: string | null;
  /** Whether the gateway route is public (no token needed); null without a route. */
  readonly public: boolean | null;
  readonly pathParams: readonly string[];
  /** Where the input travels over HTTP: the JSON body, the query string, or nowhere but the path. */
  readonly inputSource: 'body' | 'query' | 'none';
  /** Type name of the input (a key of Catalog.schemas). */
  readonly input: string;
  readonly output: { readonly type: string; readonly list: boolean } | null;
  readonly successStatus: number;
  readonly errors: readonly { readonly code: string; readonly status: number }[];
  readonly idempotent: boolean;
  /** The saga it starts, if any. */
  readonly startsSaga: string | null;
}

export interface CatalogCall {
  readonly service: string;
  readonly transport: 'http' | 'grpc';
  /** Whether `meshspec dev` runs the call in process (co-located) rather than over the network. */
  readonly inProcess: boolean;
  /** The policy in one line: `timeout 5s, 2 attempts, breaker 50%/10s, bulkhead 64`. */
  readonly policy: string;
}

export interface CatalogEvent {
  readonly name: string;
  readonly version: number;
  readonly payload: string;
  readonly publishers: readonly string[];
  /** A subscribing service and its consumer group (the service's name unless the spec names another). */
  readonly subscribers: readonly { readonly service: string; readonly group: string; readonly handler: string }[];
}

export interface CatalogGateway {
  readonly url: string;
  readonly auth: 'jwt' | 'delegate' | null;
  readonly routes: readonly { readonly prefix: string; readonly service: string; readonly rewrite: string; readonly methods: readonly string[]; readonly public: boolean }[];
}

export interface CatalogSaga {
  readonly name: string;
  readonly owner: string;
  readonly kind: 'orchestrated' | 'choreographed';
  readonly steps: readonly string[];
}

/** Health of a node: its `/ready` answer (`starting` before the first, `down` when it does not answer). */
export type NodeHealth = 'ready' | 'degraded' | 'not ready' | 'starting' | 'down';

/** `GET /api/topology` (and the stream's `topology` event): the graph with live health and rates. */
export interface Topology {
  /** When these figures were sampled, epoch ms. */
  readonly at: number;
  readonly nodes: readonly TopologyNode[];
  readonly edges: readonly TopologyEdge[];
}

export interface TopologyNode {
  /** `gateway`, `service:<name>` or `event:<name>`. */
  readonly id: string;
  readonly kind: 'gateway' | 'service' | 'event';
  readonly label: string;
  /** Services and the gateway: their readiness; events: null. */
  readonly health: NodeHealth | null;
}

export interface TopologyEdge {
  /** `<from>-><to>`, unique. */
  readonly id: string;
  readonly from: string;
  readonly to: string;
  /** route: gateway to service; call: service to service; publish: service to event; subscribe: event to service. */
  readonly kind: 'route' | 'call' | 'publish' | 'subscribe';
  /** Calls and routes: `http`, `grpc` or `in-process`; events: null. */
  readonly transport: 'http' | 'grpc' | 'in-process' | null;
  /** Calls: the policy in one line (CatalogCall.policy); others null. */
  readonly policy: string | null;
  /** Requests (routes, calls) or events (publish: published, subscribe: handled) per second. */
  readonly rate: number;
  /** Fraction failed: 5xx answers of a route, calls that did not answer ok, handler failures of a subscription. */
  readonly errorRate: number;
}

/** `GET /api/traces?limit=N` (default 50, at most 500): the latest traces, newest first. */
export interface TraceList {
  readonly traces: readonly TraceSummary[];
}

export interface TraceSummary {
  readonly traceId: string;
  readonly startedAt: number;
  readonly durationMs: number;
  /** The root span's service (`gateway` for a request through it). */
  readonly service: string;
  /** The root span's name (`POST /api/v1/users`, `orders.payment.completed process`). */
  readonly name: string;
  /** HTTP method and route of the root span; null when it is not an HTTP server span. */
  readonly method: string | null;
  readonly route: string | null;
  /** HTTP status of the root span; null when it has none. */
  readonly status: number | null;
  /** Whether any span of the trace ended with an error status. */
  readonly error: boolean;
  readonly spanCount: number;
  readonly services: readonly string[];
}

/** `GET /api/traces/{traceId}`: one trace, spans in start order, with the log lines written inside it. */
export interface TraceDetail {
  readonly traceId: string;
  readonly startedAt: number;
  readonly durationMs: number;
  readonly spans: readonly TraceSpan[];
  readonly logs: readonly TraceLog[];
}

export interface TraceSpan {
  readonly spanId: string;
  /** Null for the root, and for a span whose parent is outside this store (another process). */
  readonly parentSpanId: string | null;
  readonly service: string;
  readonly name: string;
  readonly kind: 'server' | 'client' | 'producer' | 'consumer' | 'internal';
  readonly startTime: number;
  readonly durationMs: number;
  readonly status: 'ok' | 'error' | 'unset';
  readonly statusMessage: string | null;
  readonly attributes: Readonly<Record<string, string | number | boolean | readonly (string | number | boolean)[]>>;
  readonly events: readonly { readonly name: string; readonly time: number; readonly attributes: Readonly<Record<string, unknown>> }[];
}

export interface TraceLog {
  readonly time: number;
  readonly level: 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal';
  readonly service: string;
  readonly spanId: string | null;
  readonly msg: string;
  /** The line's other fields (bounded: long values cut). */
  readonly fields: Readonly<Record<string, unknown>>;
}

/** `GET /api/events`: per event, its rates and, per subscribing group, its lag and dead letters. */
export interface EventsView {
  readonly at: number;
  readonly events: readonly EventStats[];
}

export interface EventStats {
  readonly name: string;
  readonly version: number;
  readonly publishers: readonly string[];
  /** Published per second. */
  readonly publishRate: number;
  readonly published: number;
  readonly groups: readonly GroupStats[];
}

export interface GroupStats {
  readonly service: string;
  readonly group: string;
  /** Handled successfully per second. */
  readonly handleRate: number;
  /** Handler failures per second (each failed attempt). */
  readonly failureRate: number;
  /** Consumer lag: events published to the group and not yet handled or dead-lettered (waiting, running or waiting for a retry). */
  readonly lag: number;
  /** Of the lag, events waiting for a retry after a failed attempt. */
  readonly retrying: number;
  readonly handled: number;
  readonly deadLetters: number;
}

/** `GET /api/dead-letters?service=&event=`: dead letters, oldest first (at most 500). */
export interface DeadLetterList {
  readonly deadLetters: readonly DashboardDeadLetter[];
}

export interface DashboardDeadLetter {
  /** The id to replay it by. */
  readonly id: string;
  /** The subscribing service (its consumer group) that gave up. */
  readonly service: string;
  readonly event: string;
  readonly envelopeId: string | null;
  readonly source: string | null;
  readonly error: string;
  readonly attempts: number;
  readonly deadAt: string | null;
  readonly envelope: object | null;
}

/** `POST /api/dead-letters/replay` with `{ "service": "orders", "ids": ["..."] }` or `"ids": "all"`. */
export interface ReplayRequest {
  readonly service: string;
  readonly ids: readonly string[] | 'all';
}

/** What a replay did: the same result and message as `meshspec events dlq replay`. */
export interface ReplayAnswer {
  readonly replayed: number;
  readonly notFound: readonly string[];
  readonly message: string;
}

/** `GET /api/sagas?state=&limit=`: sagas of every owning service, newest first. */
export interface SagaList {
  readonly sagas: readonly SagaSummaryView[];
  /** Owners whose list could not be read (their service is down, say), with why. */
  readonly unavailable: readonly { readonly owner: string; readonly error: string }[];
}

export interface SagaSummaryView {
  readonly owner: string;
  readonly id: string;
  readonly saga: string;
  readonly state: 'running' | 'compensating' | 'completed' | 'compensated' | 'stuck';
  readonly failure: { readonly step: string; readonly code: string; readonly message: string } | null;
  readonly createdAt: number;
  readonly updatedAt: number;
  readonly finishedAt: number | null;
}

/** `GET /api/sagas/{owner}/{id}`: one saga with its steps' outcomes in the order they started. */
export interface SagaDetail extends SagaSummaryView {
  readonly input: unknown;
  readonly output: unknown;
  readonly steps: readonly {
    readonly step: string;
    readonly phase: 'forward' | 'compensate';
    readonly outcome: 'started' | 'succeeded' | 'failed';
    readonly attempts: number;
    readonly startedAt: number;
    readonly finishedAt: number | null;
    readonly error: { readonly code: string; readonly message: string } | null;
  }[];
}

/**
 * `POST /api/explorer/call`: calls an endpoint through the gateway (or the service itself when no
 * route reaches it), with the development token when the gateway verifies JWTs.
 */
export interface ExplorerRequest {
  /** `<service>.<endpoint>` (CatalogEndpoint.id). */
  readonly endpoint: string;
  /** Values of the path's parameters, by name. */
  readonly params?: Readonly<Record<string, string>>;
  /** The input: the JSON body (inputSource body) or the query's fields (inputSource query). */
  readonly input?: unknown;
  /** Extra request headers (an `authorization` here replaces the development token). */
  readonly headers?: Readonly<Record<string, string>>;
}

export interface ExplorerAnswer {
  readonly request: { readonly method: string; readonly url: string; readonly via: 'gateway' | 'service'; readonly headers: Readonly<Record<string, string>> };
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  /** The parsed JSON body, the text when it is not JSON, null when empty. */
  readonly body: unknown;
  readonly durationMs: number;
  /** The trace the call produced (GET /api/traces/{traceId} once its spans ended). */
  readonly traceId: string;
}

/** Every error answer of the API (4xx, and 502 when the stack did not answer the explorer). */
export interface ApiError {
  readonly error: { readonly code: string; readonly message: string };
}

/**
 * `GET /api/stream`: server-sent events. `topology` (a Topology) every 2 s; `traces` ({ latest: traceId })
 * when a trace's root span ended; `events` (an EventsView) every 2 s; `dead-letters` ({ total }) when the
 * number of dead letters changed; `sagas` ({ at }) when a saga started or changed state; `catalog` ({ at })
 * when the catalog changed (a `meshspec dev --watch` reload: read GET /api/catalog again).
 */
export type StreamEventName = 'topology' | 'traces' | 'events' | 'dead-letters' | 'sagas' | 'catalog';
