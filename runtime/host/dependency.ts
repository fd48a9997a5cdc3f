// One dependency of a service (a callee over one transport kind) behind the ClientTransport the
// generated client sees: its resilience pipelines, its instance pool and one transport per instance
// address. Every call runs once through `pipeline.run`; each attempt goes to the instance the pool
// picks among those whose breaker admits a call, and its outcome is reported back to the pool.
//
// A callee this process runs (the `colocated` registry has it at call time) is one more instance, in
// process: the same pipeline (deadline, bulkhead, breaker, retry, fallback) runs around an attempt
// that calls its Invoke through runtime/transport/in-process.ts; the pool, its source and the network
// transports are only made once a call goes over the network.
//
// Retries happen here and nowhere else: the transports below never retry (undici is given no retry
// interceptor, grpc-js no retry policy), the callee's own outgoing calls run under the deadline this
// attempt sends, and the gateway in front of the services never retries (runtime/gateway/exchange.ts).
import { performance } from 'node:perf_hooks';
import type { Logger } from 'pino';
import {
  createDnsSource,
  createInstancePool,
  defaultInstanceSource,
  NoInstanceAvailable,
  type CallOutcome,
  type DiscoveryOverrides,
  type InstancePool,
  type InstanceSource,
  type InstanceStats,
  type PickedInstance,
} from '../discovery/index.js';
import { createGrpcTransport } from '../grpc/client.js';
import { createHttpTransport, type HttpTransport } from '../http/client.js';
import { RetryBudget } from '../resilience/budget.js';
import { kindOf } from '../resilience/classify.js';
import { systemClock } from '../resilience/clock.js';
import { activeTracer } from '../observability/tracing/tracer.js';
import { attemptTracing, type AttemptTracing } from '../observability/tracing/client.js';
import { createPipeline, type Attempt, type InstancePicker, type ResiliencePipeline, type RunOptions } from '../resilience/pipeline.js';
import { DEFAULT_POLICY, type ResiliencePolicy } from '../resilience/policy.js';
import type { ResilienceStats } from '../resilience/stats.js';
import type { CallDescriptor, EndpointDescriptor, ServiceDefinition } from '../service/definition.js';
import type { FallbackHook } from '../service/fallback.js';
import { isIdempotent } from '../service/idempotent-invoke.js';
import type { InProcessTransport } from '../transport/in-process.js';
import type { CallOptions, ClientTransport } from '../transport/types.js';
import type { SchemaRegistry } from '../validation/types.js';
import type { ColocatedRegistry } from './colocated.js';
import { discoveryLogger, resilienceLogger } from './dependency-log.js';
import type { CallerTrust } from '../identity/trust.js';

type Env = Readonly<Record<string, string | undefined>>;

/**
 * What a dependency is built from.
 *
 * @example
 * const options: DependencyOptions = { callee: usersDefinition, call: { service: 'users', transport: 'http' }, schemas, logger, stats };
 */
export interface DependencyOptions {
  /** The callee's definition (its ports, endpoints and proto). */
  callee: ServiceDefinition;
  /** The caller's descriptor of the call: policy, per-endpoint policies, balance, dns; and the transport kind. */
  call: CallDescriptor;
  schemas: SchemaRegistry;
  /** The caller's logger; breaker transitions, ejections, retries, rejections and fallbacks go here. */
  logger: Logger;
  /** Where the counters and gauges of every dependency of the caller are kept. */
  stats: ResilienceStats;
  /** In-code addresses (one or a comma-separated list) winning over DNS, the environment and the spec port. Default none. */
  discovery?: DiscoveryOverrides | undefined;
  /** The environment `MESH_<SERVICE>_HTTP` / `_GRPC` are read from. Default `process.env`. */
  env?: Env;
  /**
   * Where the instances come from when the caller keeps its own list (a registry it watches); the
   * dependency closes it with the pool. Default: the override, then DNS, then the environment and the spec port.
   */
  source?: InstanceSource | undefined;
  /**
   * The caller's fallback functions by the callee's endpoint name (resolved from `call.fallbacks`
   * against the hook file's `fallbacks` object): each answers that endpoint's failures its policy's
   * `fallback.on` names (without one: DEFAULT_FALLBACK_ON). Default none.
   */
  fallbacks?: Readonly<Record<string, FallbackHook>> | undefined;
  /**
   * The services of this process: while it has the callee, calls go to it in process (through the
   * same pipeline) instead of the network. Default none: always the network.
   */
  colocated?: ColocatedRegistry | undefined;
  /** How this service asserts its identity on network calls (signed with identity keys). Default: the unsigned header. */
  trust?: CallerTrust | undefined;
  /** The calling service: its client spans carry its name. Default: the process's tracer. */
  caller?: string | undefined;
}

/** A running dependency. */
export interface Dependency {
  readonly service: string;
  readonly kind: 'http' | 'grpc';
  /** What the generated client calls: every call goes through the pipeline, then the pool (or the co-located callee). */
  readonly transport: ClientTransport;
  /** The pool's figures per instance (outstanding calls, latency, ejections, outcomes). */
  instances(): InstanceStats[];
  /** Closes the pool (and its source) and every instance's transport. */
  close(): Promise<void>;
}

/** What is worked out once per endpoint rather than per call. */
interface EndpointPlan {
  readonly pipeline: ResiliencePipeline;
  readonly label: string;
  readonly idempotent: boolean;
  /** The endpoint's fallback function, if the caller gave one. */
  readonly fallback: FallbackHook | undefined;
  /** The client span of each attempt over the network, and of each in-process one; undefined with tracing off. */
  readonly traced: AttemptTracing | undefined;
  readonly tracedInProcess: AttemptTracing | undefined;
}

const ALWAYS = () => true;
/**
 * The breaker key (and instance name in events) of a co-located callee.
 *
 * @example
 * pipeline.isAvailable(IN_PROCESS_INSTANCE); // false while the in-process callee's breaker is open
 */
export const IN_PROCESS_INSTANCE = 'in-process';

/** The network side of a dependency: made on its first network call. */
interface Network {
  readonly pool: InstancePool;
  transportOf(address: string): ClientTransport | HttpTransport;
  close(): Promise<void>;
}

/**
 * Builds the dependency: one pipeline for the dependency's policy (DEFAULT_POLICY when the descriptor
 * has none) and one per endpoint with a policy of its own, which shares the dependency's per-instance
 * breakers when its breaker settings are the same and the client's retry budget when its budget
 * settings are the same; one pool over the instances (DNS when the descriptor names it, else the
 * override, `MESH_<SERVICE>_HTTP` / `_GRPC` list or spec port); one transport per instance address,
 * closed when the instance leaves the source. An endpoint with a fallback function gets its answer
 * for the failures its policy names, once everything else (retries, breaker, bulkhead) has failed.
 *
 * @param options callee, call, schemas, logger, stats; discovery (default none), env (default `process.env`), source (default from discovery, DNS, env, spec port), fallbacks (default none).
 * @throws Error naming the variable or override for a malformed address, or when the callee has no gRPC port to call.
 * @example
 * const users = createDependency({ callee: usersDefinition, call: { service: 'users', transport: 'http', balance: 'p2c' }, schemas, logger, stats });
 * const client = createUsersClient(users.transport);
 */
export function createDependency(options: DependencyOptions): Dependency {
  const { callee, call, schemas, stats } = options;
  const service = callee.name;
  const kind = call.transport;
  if (kind === 'grpc' && (callee.ports.grpc === null || !callee.proto)) throw new Error(`'${service}' has no gRPC port to call`);
  const logger = options.logger.child({ dependency: service });
  const observer = resilienceLogger(logger);
  const discoveryObserver = discoveryLogger(logger);

  const basePolicy = call.policy ?? DEFAULT_POLICY;
  const budgetOf = (policy: ResiliencePolicy) => (policy.retry ? new RetryBudget(policy.retry.budget, systemClock) : undefined);
  const budget = budgetOf(basePolicy);
  const pipelineOf = (policy: ResiliencePolicy, shared?: ResiliencePipeline) => {
    const sameBreaker = shared !== undefined && sameSettings(policy.circuitBreaker, basePolicy.circuitBreaker);
    const sameBudget = shared !== undefined && sameSettings(policy.retry?.budget, basePolicy.retry?.budget);
    const ownBudget = sameBudget ? budget : budgetOf(policy);
    return createPipeline(policy, {
      dependency: service,
      observer,
      stats: shared ? countersOnly(stats) : stats,
      ...(sameBreaker && shared.breakers ? { breakers: shared.breakers } : {}),
      ...(ownBudget ? { budget: ownBudget } : {}),
    });
  };
  const base = pipelineOf(basePolicy);
  const byEndpoint = new Map<string, ResiliencePipeline>(
    Object.entries(call.endpointPolicies ?? {}).map(([name, policy]) => [name, pipelineOf(policy, base)]),
  );

  // The pool asks the breakers of the pipeline running the pick (set just around the synchronous pick).
  let admit: (address: string) => boolean = ALWAYS;
  let network: Network | undefined;
  const networkOf = (): Network => {
    if (network) return network;
    const source = sourceOf(options, discoveryObserver);
    const pool: InstancePool = createInstancePool({
      service,
      source,
      strategy: call.balance ?? 'round-robin',
      isAvailable: (instance) => admit(instance.address),
      observer: discoveryObserver,
    });
    const transports = new Map<string, ClientTransport | HttpTransport>();
    const unsubscribe = source.subscribe((instances) => {
      const kept = new Set(instances.map((i) => i.address));
      for (const [address, transport] of transports) {
        if (kept.has(address)) continue;
        transports.delete(address);
        // Graceful: calls in flight on it finish first.
        transport.close().catch((err: unknown) => logger.warn({ err, instance: address }, 'closing the transport of a departed instance failed'));
      }
    });
    network = {
      pool,
      transportOf(address) {
        let transport = transports.get(address);
        if (!transport) {
          transport =
            kind === 'http'
              ? createHttpTransport({ origin: address, service, logger, ...(options.trust ? { trust: options.trust } : {}) })
              : createGrpcTransport({ address, definition: callee, schemas, ...(options.trust ? { trust: options.trust } : {}) });
          transports.set(address, transport);
        }
        return transport;
      },
      async close() {
        unsubscribe();
        const all = [...transports.values()];
        transports.clear();
        await Promise.all([pool.close(), ...all.map((t) => t.close())]);
      },
    };
    return network;
  };
  // An address that is wrong is a startup error: resolve the source now unless the callee is here.
  if (!options.colocated?.get(service)) networkOf();

  // Tracing on (a provider registered before the start): each attempt is a client span.
  const tracer = activeTracer(options.caller);
  const plans = new WeakMap<EndpointDescriptor, EndpointPlan>();
  const planOf = (endpoint: EndpointDescriptor): EndpointPlan => {
    let plan = plans.get(endpoint);
    if (!plan) {
      plan = {
        pipeline: byEndpoint.get(endpoint.name) ?? base,
        label: `${service}.${endpoint.name}`,
        idempotent: isIdempotent(endpoint),
        fallback: options.fallbacks?.[endpoint.name],
        traced: attemptTracing(tracer, callee, endpoint, kind),
        tracedInProcess: attemptTracing(tracer, callee, endpoint, 'in_process'),
      };
      plans.set(endpoint, plan);
    }
    return plan;
  };

  let closing: Promise<void> | undefined;
  const transport: ClientTransport = {
    call(endpoint, input, call) {
      const plan = planOf(endpoint);
      const local = options.colocated?.get(service);
      if (local) return plan.pipeline.run(localAttempt(local.transport, endpoint, input, call), runOptions(plan, endpoint, input, call, pickLocal));
      const { pool, transportOf } = networkOf();
      // The instance the last pick chose, taken by the attempt that follows it at once.
      let picked: PickedInstance | undefined;
      const pick: InstancePicker = (isAvailable, _n, tried) => {
        picked?.release('dropped');
        picked = undefined;
        admit = isAvailable;
        try {
          picked = pool.pick(tried.length > 0 ? { avoid: new Set(tried) } : undefined);
          return picked.address;
        } catch (err) {
          // Every instance refused by its breaker: the pipeline fails fast with CircuitOpen. Ejected or
          // down ones, or none known: the pool's own Unavailable says which.
          if (err instanceof NoInstanceAvailable && err.counts.refused > 0 && err.counts.ejected + err.counts.down === 0) return undefined;
          throw err;
        } finally {
          admit = ALWAYS;
        }
      };
      const attempt: Attempt<unknown> = (signal, _n, context) => {
        const instance = picked!;
        picked = undefined;
        const started = performance.now();
        const target = transportOf(instance.address);
        const options: CallOptions = { deadline: context.deadline };
        if (call.requestId !== undefined) options.requestId = call.requestId;
        if (call.caller !== undefined) options.caller = call.caller;
        if (call.idempotencyKey !== undefined) options.idempotencyKey = call.idempotencyKey;
        // HTTP follows the attempt's scope (no AbortSignal per call); gRPC takes the attempt's signal.
        const sent = 'callInScope' in target ? target.callInScope(endpoint, input, options, context.scope) : target.call(endpoint, input, { ...options, signal });
        return sent.then(
          (output) => {
            instance.release('success', performance.now() - started);
            return output;
          },
          (err: unknown) => {
            instance.release(outcomeOf(err), performance.now() - started);
            throw err;
          },
        );
      };
      return plan.pipeline.run(attempt, runOptions(plan, endpoint, input, call, pick));
    },
    close() {
      closing ??= network?.close() ?? Promise.resolve();
      return closing;
    },
  };

  /** The pipeline's options for one call: the same whichever instance answers. */
  const runOptions = (plan: EndpointPlan, endpoint: EndpointDescriptor, input: unknown, call: CallOptions, pick: InstancePicker): RunOptions<unknown> => {
    let deadline = call.deadline ?? null;
    if (call.timeoutMs !== undefined) {
      const own = Date.now() + call.timeoutMs;
      deadline = deadline === null ? own : Math.min(deadline, own);
    }
    // The HTTP and in-process attempts follow their scope; gRPC takes the attempt's signal.
    const run: RunOptions<unknown> = { label: plan.label, endpoint: endpoint.name, idempotent: plan.idempotent, pick, deadline, scopeOnly: kind === 'http' || pick === pickLocal };
    if (call.signal) run.signal = call.signal;
    if (call.idempotencyKey !== undefined) run.idempotencyKey = call.idempotencyKey;
    const traced = pick === pickLocal ? plan.tracedInProcess : plan.traced;
    if (traced) run.wrapAttempt = traced;
    const hook = plan.fallback;
    if (hook) run.fallback = (error, failureKind) => hook(input as never, { dependency: service, endpoint: endpoint.name, kind: failureKind, error });
    return run;
  };

  return { service, kind, transport, instances: () => network?.pool.stats() ?? [], close: () => transport.close() };
}

/** The one in-process instance, while its breaker admits a call. */
const pickLocal: InstancePicker = (isAvailable) => (isAvailable(IN_PROCESS_INSTANCE) ? IN_PROCESS_INSTANCE : undefined);

/**
 * An attempt on the co-located callee: its deadline is the attempt's (which the callee's invoke
 * enforces on the hook), and the attempt's scope (which follows the caller's signal) aborts the hook's.
 */
function localAttempt(target: InProcessTransport, endpoint: EndpointDescriptor, input: unknown, call: CallOptions): Attempt<unknown> {
  return (_signal, _n, context) => {
    const options: CallOptions = { deadline: context.deadline };
    if (call.requestId !== undefined) options.requestId = call.requestId;
    if (call.caller !== undefined) options.caller = call.caller;
    if (call.idempotencyKey !== undefined) options.idempotencyKey = call.idempotencyKey;
    return target.callInScope(endpoint, input, options, context.scope);
  };
}

/** How a finished attempt counts for the pool's outlier ejection and latency figures. */
function outcomeOf(error: unknown): CallOutcome {
  switch (kindOf(error)) {
    // Refused, reset, an attempt timeout, a 5xx: held against the instance.
    case 'unavailable':
    case 'timeout':
    case 'badGateway':
    case 'failed':
      return 'failure';
    // The instance answered: the request was wrong, or the instance set its own limit.
    case 'rejected':
    case 'rateLimited':
      return 'success';
    // The caller's own deadline or cancel, or this side's fast rejections: nothing about the instance.
    default:
      return 'dropped';
  }
}

function sourceOf(options: DependencyOptions, observer: ReturnType<typeof discoveryLogger>): InstanceSource {
  const { callee, call, discovery, env } = options;
  if (options.source) return options.source;
  const kind = call.transport;
  const port = kind === 'http' ? callee.ports.http : (callee.ports.grpc as number);
  // An in-code override (dev mode, tests) wins; then the spec's DNS name; then the environment and the spec port.
  if (!discovery?.[kind]?.[callee.name] && call.dns) {
    return createDnsSource({ host: call.dns.name, port, kind, intervalMs: call.dns.refreshMs, observer });
  }
  return defaultInstanceSource(callee.name, kind, port, discovery, env ?? process.env);
}

/**
 * `stats` for an endpoint's own pipeline: its counters go to the dependency's, but the gauges it
 * would register are left out, so they do not replace those of the dependency's pipeline (its bulkhead).
 */
function countersOnly(stats: ResilienceStats): ResilienceStats {
  const view = {
    counters: (dependency: string) => stats.counters(dependency),
    record: (event: Parameters<ResilienceStats['record']>[0]) => stats.record(event),
    gauges: () => undefined,
    snapshot: () => stats.snapshot(),
  };
  return view as unknown as ResilienceStats;
}

/** Same settings, compared as JSON (both absent counts as the same). */
function sameSettings(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
