// The checks /ready runs: the runtime's own (the database answers its ping, the bus is connected)
// and the ones the spec declares (`health.checks`), each the function of that name in the hook
// file's `healthChecks` object, looked up once at startup: a missing one stops the start before any
// port is bound, like a missing event hook.
import { RUNTIME_CHECK_NAMES } from '../../common/probes.js';
import { StartupError } from '../host/startup-error.js';
import type { HealthCheckDescriptor, ServiceDefinition } from '../service/definition.js';
import type { HealthCheckFunction, ReadinessCheck } from './types.js';

/** How long the runtime's own checks may take: a ping slower than this is as good as none. */
export const RUNTIME_CHECK_TIMEOUT_MS = 2000;

/**
 * The runtime's checks of a service: `database` when it has one (its cached ping), `bus` always.
 *
 * @param sources - `database`: answers whether the database answers (absent without storage); `busConnected`: read on each run
 * @example
 * runtimeChecks({ database: () => readiness.check(), busConnected: () => bus.connected !== false });
 */
export function runtimeChecks(sources: { database?: () => Promise<boolean>; busConnected: () => boolean }): ReadinessCheck[] {
  const [databaseName, busName] = RUNTIME_CHECK_NAMES;
  const { database } = sources;
  return [
    ...(database
      ? [
          {
            name: databaseName,
            timeoutMs: RUNTIME_CHECK_TIMEOUT_MS,
            critical: true,
            run: async () => {
              if (!(await database())) throw new Error('the database does not answer its ping');
            },
          },
        ]
      : []),
    {
      name: busName,
      timeoutMs: RUNTIME_CHECK_TIMEOUT_MS,
      critical: true,
      run: async () => {
        if (!sources.busConnected()) throw new Error('the event bus is not connected');
      },
    },
  ];
}

/**
 * The checks the definition declares, each with its function from the hook file's `healthChecks`.
 *
 * @param definition - the service's definition (its `healthChecks`)
 * @param hooks - the hook file's `healthChecks` object; default none (then any declared check is missing)
 * @throws StartupError naming every missing function and where to add it
 * @example
 * userChecks(ordersDefinition, { ledger: async () => undefined }); // [{ name: 'ledger', timeoutMs: 500, critical: true, run }]
 */
export function userChecks(definition: ServiceDefinition, hooks: object | undefined): ReadinessCheck[] {
  const declared: readonly HealthCheckDescriptor[] = definition.healthChecks ?? [];
  const missing = declared.filter((check) => typeof (hooks as Record<string, unknown> | undefined)?.[check.name] !== 'function');
  if (missing.length > 0) {
    const names = missing.map((check) => `'${check.name}'`).join(', ');
    throw new StartupError(
      `${definition.name} cannot start its readiness checks: no function ${names} ` +
        `(add ${missing.length === 1 ? 'it' : 'them'} to the \`healthChecks\` object exported by hooks/${definition.name}.ts)`,
      { service: definition.name },
    );
  }
  return declared.map((check) => {
    const fn = (hooks as Record<string, HealthCheckFunction>)[check.name] as HealthCheckFunction;
    // Called as a method of the hook object, as the handlers are: `this` works in it.
    return { name: check.name, timeoutMs: check.timeoutMs, critical: check.critical, run: (ctx) => fn.call(hooks, ctx) };
  });
}
