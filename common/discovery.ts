// How a process learns where a service is (and where its database is): the generated manifests set
// these variables and the runtime reads them, so both sides spell them the same way.

/**
 * A per-service variable: `MESH_<SERVICE>_<SUFFIX>`, the one place service names are mangled.
 *
 * @param service - the service's name
 * @param suffix - what the variable holds, upper case (`HTTP`, `GRPC`, `DATABASE_URL`)
 * @example
 * serviceEnvName('orders', 'DATABASE_URL'); // 'MESH_ORDERS_DATABASE_URL'
 */
export function serviceEnvName(service: string, suffix: string): string {
  return `MESH_${service.toUpperCase()}_${suffix}`;
}

/**
 * `MESH_<SERVICE>_HTTP` (an origin) / `MESH_<SERVICE>_GRPC` (`host:port`).
 *
 * @param service - the service's name
 * @param kind - which listener
 * @example
 * discoveryEnvName('users', 'HTTP'); // 'MESH_USERS_HTTP'
 */
export function discoveryEnvName(service: string, kind: 'HTTP' | 'GRPC'): string {
  return serviceEnvName(service, kind);
}

/**
 * `MESH_<SERVICE>_DATABASE_URL`: the PostgreSQL of one service, so that the services of one process
 * each reach their own database.
 *
 * @param service - the service's name
 * @example
 * databaseEnvName('orders'); // 'MESH_ORDERS_DATABASE_URL'
 */
export function databaseEnvName(service: string): string {
  return serviceEnvName(service, 'DATABASE_URL');
}
