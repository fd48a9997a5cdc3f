// The default TransportFor of a service: one dependency per callee and transport kind (its resilience
// pipelines, instance pool and per-instance transports, see dependency.ts), made on first use
// (addresses resolved then) and closed with the service. Its counters and pool figures are read
// through `dependencies()`.
import type { Logger } from 'pino';
import type { DiscoveryOverrides } from '../discovery/index.js';
import { ResilienceStats } from '../resilience/stats.js';
import type { CallDescriptor, ServiceDefinition } from '../service/definition.js';
import type { SchemaRegistry } from '../validation/types.js';
import { createDependency, type Dependency } from './dependency.js';
import type { CallerTrust } from '../identity/trust.js';
import type { ColocatedRegistry } from './colocated.js';
import type { ResolvedFallbacks } from './fallbacks.js';
import type { DependenciesReport, TransportFor } from './types.js';

type Env = Readonly<Record<string, string | undefined>>;

/**
 * What the transport factory of one service is built from.
 *
 * @example
 * const options: TransportFactoryOptions = { callees: { users: usersDefinition }, calls: ordersDefinition.calls, schemas, logger };
 */
export interface TransportFactoryOptions {
  /** Definitions of the services that may be called, by name. */
  callees: Readonly<Record<string, ServiceDefinition>>;
  /** The caller's call descriptors (policies, balance, DNS); a callee without one gets DEFAULT_POLICY and round-robin. Default none. */
  calls?: readonly CallDescriptor[];
  schemas: SchemaRegistry;
  logger: Logger;
  discovery?: DiscoveryOverrides | undefined;
  /** Where `MESH_<SERVICE>_HTTP` / `_GRPC` are read. Default `process.env`. */
  env?: Env;
  /** The caller's fallback functions by callee, then endpoint (see resolveFallbacks). Default none. */
  fallbacks?: ResolvedFallbacks;
  /** The services of this process, called in process while they run (see createDependency). Default none. */
  colocated?: ColocatedRegistry | undefined;
  /** How this service asserts its identity on network calls (signed with identity keys). Default: the unsigned header. */
  trust?: CallerTrust | undefined;
  /** The calling service: its client spans carry its name. Default: the process's tracer. */
  caller?: string | undefined;
}

/** The transports of one service to the services it calls. */
export interface TransportFactory {
  readonly transportFor: TransportFor;
  /** Resilience counters and gauges, and each dependency's instances, as of now. */
  dependencies(): DependenciesReport;
  /** Closes every dependency made so far. */
  close(): Promise<void>;
}

/**
 * The factory behind a service's default `transportFor`.
 *
 * @param options callees, calls (default none), schemas, logger, discovery (default none), env (default `process.env`), fallbacks (default none), colocated (default none).
 * @example
 * const factory = createTransportFactory({ callees: { users: usersDefinition }, calls: ordersDefinition.calls, schemas, logger });
 * const users = createUsersClient(factory.transportFor('users', 'http'));
 */
export function createTransportFactory(options: TransportFactoryOptions): TransportFactory {
  const { callees, schemas, logger, discovery } = options;
  const stats = new ResilienceStats();
  const made = new Map<string, Dependency>();

  const create = (service: string, kind: 'http' | 'grpc'): Dependency => {
    const callee = callees[service];
    if (!callee) throw new Error(`no definition of '${service}' to call: is it listed in this service's calls?`);
    const declared = options.calls?.find((c) => c.service === service);
    // The descriptor's policy applies whichever transport the generated client asks for.
    const call: CallDescriptor = { ...(declared ?? { service }), service, transport: kind };
    return createDependency({
      callee,
      call,
      schemas,
      logger,
      stats,
      discovery,
      fallbacks: options.fallbacks?.[service],
      colocated: options.colocated,
      trust: options.trust,
      caller: options.caller,
      ...(options.env ? { env: options.env } : {}),
    });
  };

  return {
    transportFor(service, kind) {
      const key = `${kind} ${service}`;
      let dependency = made.get(key);
      if (!dependency) made.set(key, (dependency = create(service, kind)));
      return dependency.transport;
    },
    dependencies() {
      const instances: Record<string, DependenciesReport['instances'][string]> = {};
      for (const dependency of made.values()) {
        instances[dependency.service] = [...(instances[dependency.service] ?? []), ...dependency.instances()];
      }
      return { resilience: stats.snapshot(), instances };
    },
    async close() {
      const all = [...made.values()];
      made.clear();
      await Promise.all(all.map((d) => d.close()));
    },
  };
}
