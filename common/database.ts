// Where a service with storage finds its PostgreSQL: the generated manifests set this variable from
// the service's Secret, and the runtime reads it, so both sides spell it the same way. Each service
// has its own, so services grouped into one process each reach their own database.

/**
 * The variable holding a service's database URL: `MESH_<SERVICE>_DATABASE_URL`.
 *
 * @param service the service's name (lowercase letters and digits, as the spec allows)
 * @example databaseUrlEnvName('orders') // 'MESH_ORDERS_DATABASE_URL'
 */
export function databaseUrlEnvName(service: string): string {
  return `MESH_${service.toUpperCase()}_DATABASE_URL`;
}
