// Names shared by hook stubs and the generated code they are typed against, from generator/naming
// like the emitters' own, so they cannot drift apart: `users` -> `UsersHandlers`.
import { posix } from 'node:path';
import { hookFile, outputFiles, serviceNames } from '../naming/index.js';

export function handlersType(service: string): string {
  return serviceNames(service).handlers;
}

export function subscriptionsType(service: string): string {
  return serviceNames(service).subscriptions;
}

/**
 * The generated interface of a service's upgrade hooks (older event versions still accepted).
 *
 * @param service - the subscriber's name
 * @example
 * upgradesType('mailer'); // 'MailerUpgrades'
 */
export function upgradesType(service: string): string {
  return serviceNames(service).upgrades;
}

/**
 * The generated interface of a service's compensation hooks (choreographed saga steps).
 *
 * @param service - the participant's name
 * @example
 * compensationsType('payments'); // 'PaymentsCompensations'
 */
export function compensationsType(service: string): string {
  return serviceNames(service).compensations;
}

/**
 * The generated interface of a service's call fallbacks.
 *
 * @param service - the calling service's name
 * @example
 * fallbacksType('orders'); // 'OrdersFallbacks'
 */
export function fallbacksType(service: string): string {
  return serviceNames(service).fallbacks;
}

/**
 * The generated interface of a service's readiness checks (the spec's `health.checks`).
 *
 * @param service - the service's name
 * @example
 * healthChecksType('payments'); // 'PaymentsHealthChecks'
 */
export function healthChecksType(service: string): string {
  return serviceNames(service).healthChecks;
}

/**
 * The generated type of a service's extra routes, the hook file's `routes`.
 *
 * @param service - the service's name
 * @example
 * routesType('payments'); // 'PaymentsRoutes'
 */
export function routesType(service: string): string {
  return serviceNames(service).routes;
}

/** Import path of a service's generated handler types, as seen from the hooks folder. */
export function handlersModule(generatedImport: string, service: string): string {
  return `${generatedImport.replace(/\/+$/, '')}/${outputFiles.serviceModule(service, 'handlers').replace(/\.ts$/, '.js')}`;
}

/** Project-relative paths with `/`, without `./` or a trailing slash: `./hooks/` -> `hooks`, `.` -> ``. */
export function normalizePath(path: string): string {
  const joined = posix.normalize(path.replace(/\\/g, '/')).replace(/\/+$/, '');
  return joined === '.' ? '' : joined;
}

export function hookPath(hooksDir: string, service: string): string {
  return hookFile(normalizePath(hooksDir), service);
}

/** The operation name a stub reports in its NotImplemented error, e.g. `users.getUser`. */
export function operation(service: string, member: string): string {
  return `${service}.${member}`;
}
