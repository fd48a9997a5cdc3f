// The services running in this process, by name: what lets a caller reach a co-located callee
// through its Invoke instead of the network (runtime/transport/in-process.ts). runServices and
// startStack share one registry among the services they start; startService registers a service
// once it is ready and takes it out when it has drained. Dependencies look a callee up per call, so a
// callee that starts after its caller is reached in process from then on.
import type { Logger } from 'pino';
import type { ServiceDefinition } from '../service/definition.js';
import type { Invoke } from '../service/invoke.js';
import { createInProcessTransport, type InProcessTransport } from '../transport/in-process.js';
import { StartupError } from './startup-error.js';

type Env = Readonly<Record<string, string | undefined>>;

/**
 * A registered service, as callers see it.
 *
 * @example
 * const users: ColocatedService | undefined = colocated.get('users');
 * await users?.transport.call(getUser, { id: 1 }, { deadline: Date.now() + 2_000 });
 */
export interface ColocatedService {
  readonly definition: ServiceDefinition;
  /** The transport every co-located caller of this service shares. */
  readonly transport: InProcessTransport;
}

/**
 * What startService keeps of its registration.
 *
 * @example
 * const registration: ColocatedRegistration = colocated.register(definition, invoke, logger);
 * await registration.drain(10_000); // on shutdown
 */
export interface ColocatedRegistration {
  /**
   * Refuses new in-process calls (they fail with Unavailable, as a refused connection does), waits
   * for those in progress up to `graceMs`, then takes the service out of the registry.
   */
  drain(graceMs: number): Promise<void>;
}

/**
 * The services of one process.
 *
 * @example
 * const colocated = createColocatedRegistry();
 * await runServices([usersHost(), ordersHost()], defaults); // makes and shares one itself
 */
export interface ColocatedRegistry {
  /** The service called `name`, if this process runs one (a draining one answers Unavailable until it is gone). */
  get(name: string): ColocatedService | undefined;
  /**
   * Registers a ready service; a later registration of the same name replaces it.
   *
   * @param definition The service's definition.
   * @param invoke Its invoke, the one its bindings call.
   * @param logger Its logger (an output that is not JSON is logged there, as its HTTP binding would).
   */
  register(definition: ServiceDefinition, invoke: Invoke, logger?: Logger): ColocatedRegistration;
}

/**
 * An empty registry.
 *
 * @example
 * const colocated = createColocatedRegistry();
 * await startService(usersHost(), { ...settings, colocated });
 * await startService(ordersHost(), { ...settings, colocated }); // orders calls users in process
 */
export function createColocatedRegistry(): ColocatedRegistry {
  const services = new Map<string, ColocatedService>();
  return {
    get: (name) => services.get(name),
    register(definition, invoke, logger) {
      let accepting = true;
      const transport = createInProcessTransport(
        {
          service: definition.name,
          invoke,
          get accepting() {
            return accepting;
          },
        },
        logger,
      );
      const entry: ColocatedService = { definition, transport };
      services.set(definition.name, entry);
      return {
        async drain(graceMs) {
          accepting = false;
          let timer: NodeJS.Timeout | undefined;
          const grace = new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)));
          await Promise.race([transport.idle(), grace]);
          clearTimeout(timer);
          if (services.get(definition.name) === entry) services.delete(definition.name);
        },
      };
    },
  };
}

/**
 * Whether services of one process call each other in process: `MESH_COLOCATE` `on` (the default when
 * unset or empty) or `off` (every call goes over the network, e.g. to compare both).
 *
 * @param env Where `MESH_COLOCATE` is read. Default `process.env`.
 * @throws StartupError for any other value.
 * @example
 * const colocated = colocationFromEnv() ? createColocatedRegistry() : undefined;
 */
export function colocationFromEnv(env: Env = process.env): boolean {
  const value = env['MESH_COLOCATE'];
  if (value === undefined || value === '' || value === 'on') return true;
  if (value === 'off') return false;
  throw new StartupError(`MESH_COLOCATE must be 'on' or 'off', got '${value.slice(0, 40)}'`);
}
