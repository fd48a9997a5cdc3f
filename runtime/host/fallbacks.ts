// The fallback functions of a service's calls: the names `definition.calls[].fallbacks` gives, looked
// up in the hook file's `fallbacks` object once at startup. A name that is not a function there is a
// startup error before any port is bound (like a missing event hook), never a surprise on the first
// failed call. Also the wrapper that applies them around a transport the service did not make.
import type { Logger } from 'pino';
import { kindOf } from '../resilience/classify.js';
import { DEFAULT_FALLBACK_ON } from '../resilience/fallback.js';
import type { ResilienceStats } from '../resilience/stats.js';
import type { CallDescriptor, ServiceDefinition } from '../service/definition.js';
import type { FallbackHook } from '../service/fallback.js';
import type { ClientTransport } from '../transport/types.js';
import { resilienceLogger } from './dependency-log.js';
import { StartupError } from './startup-error.js';

/** Fallback functions by callee service, then by the callee's endpoint name. */
export type ResolvedFallbacks = Readonly<Record<string, Readonly<Record<string, FallbackHook>>>>;

/**
 * Looks up every fallback the definition's calls name in the hook file's `fallbacks` object.
 *
 * @param definition The calling service's definition (its `calls[].fallbacks`).
 * @param fallbacks The hook file's `fallbacks` object; default none (then any named fallback is missing).
 * @throws StartupError naming every missing function and where to add it.
 * @example
 * const resolved = resolveFallbacks(ordersDefinition, { guestUser: async (input) => ({ id: input.id, name: 'guest' }) });
 * resolved.users?.getUser; // the guestUser function
 */
export function resolveFallbacks(definition: ServiceDefinition, fallbacks: object | undefined): ResolvedFallbacks {
  const resolved: Record<string, Record<string, FallbackHook>> = {};
  const problems: string[] = [];
  for (const call of definition.calls) {
    for (const [endpoint, handler] of Object.entries(call.fallbacks ?? {})) {
      const hook = (fallbacks as Record<string, unknown> | undefined)?.[handler];
      if (typeof hook !== 'function') {
        problems.push(`no function '${handler}' for ${call.service}.${endpoint}`);
        continue;
      }
      (resolved[call.service] ??= {})[endpoint] = hook as FallbackHook;
    }
  }
  if (problems.length > 0) {
    throw new StartupError(
      `${definition.name} cannot start its calls' fallbacks: ${problems.join('; ')} ` +
        `(add ${problems.length === 1 ? 'it' : 'them'} to the \`fallbacks\` object exported by hooks/${definition.name}.ts)`,
      { service: definition.name },
    );
  }
  return resolved;
}

/**
 * Applies fallbacks around a transport the service did not make (a `transportFor` passed in, whose
 * pipeline this service cannot reach): a failed call to an endpoint with a fallback is answered by it
 * when the failure is one the call's policy (`endpointPolicies`, then `policy`) names in `fallback.on`,
 * or one of DEFAULT_FALLBACK_ON. Each use is logged at warn and counted in `stats`. The passed-in
 * transport is expected to carry no fallbacks of its own (the service's are given to nobody else).
 *
 * @param transport The transport to the callee.
 * @param options service (the callee), hooks (its fallbacks by endpoint), call (the caller's descriptor, default none), logger, stats.
 * @example
 * const users = withCallFallbacks(transportFor('users', 'http'), { service: 'users', hooks: resolved.users, call, logger, stats });
 */
export function withCallFallbacks(
  transport: ClientTransport,
  options: {
    service: string;
    hooks: Readonly<Record<string, FallbackHook>>;
    call: CallDescriptor | undefined;
    logger: Logger;
    stats: ResilienceStats;
  },
): ClientTransport {
  const { service, hooks, call, logger, stats } = options;
  // Made on first use: generated clients ask for their transport on every request, fallbacks are rare.
  let observe: ReturnType<typeof resilienceLogger> | undefined;
  return {
    async call(endpoint, input, callOptions) {
      const hook = hooks[endpoint.name];
      if (!hook) return transport.call(endpoint, input, callOptions);
      try {
        return await transport.call(endpoint, input, callOptions);
      } catch (error) {
        const kind = kindOf(error);
        const on = (call?.endpointPolicies?.[endpoint.name] ?? call?.policy)?.fallback?.on ?? DEFAULT_FALLBACK_ON;
        if (!on.includes(kind)) throw error;
        const event = { type: 'fallback', dependency: service, endpoint: endpoint.name, reason: kind } as const;
        stats.record(event);
        (observe ??= resilienceLogger(logger.child({ dependency: service })))(event);
        return hook(input as never, { dependency: service, endpoint: endpoint.name, kind, error });
      }
    },
    close: () => transport.close(),
  };
}
