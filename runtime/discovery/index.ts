// Service name -> address(es). In a cluster the deployment sets `MESH_<SERVICE>_HTTP` / `_GRPC`
// (e.g. `http://users.shop.svc.cluster.local:3001`, or a comma-separated list of instances); on a
// laptop every service listens on its spec port on 127.0.0.1. An in-code override map wins over
// both: `meshspec dev` and tests know the real ports of services that listened on port 0.
//
// The single-address functions below serve today's one-transport-per-callee clients; the sources,
// strategies and the instance pool serve clients that balance over several instances.
import { discoveryEnvName } from '../../common/discovery.js';
import { checkAddress, normalizeOrigin, type AddressKind } from './address.js';
import type { InstanceSource } from './source.js';
import { createEnvSource, parseAddressList } from './sources/env.js';
import { createStaticSource } from './sources/static.js';

export { addressOfIp, checkAddress, checkAddressOf, normalizeOrigin, type AddressKind } from './address.js';
export * from './balance/index.js';
export { NoInstanceAvailable, type UnavailableCounts } from './errors.js';
export { report, type DiscoveryEvent, type DiscoveryObserver } from './events.js';
export {
  createInstancePool,
  type CallOutcome,
  type InstancePool,
  type InstancePoolOptions,
  type InstanceStats,
  type PickedInstance,
  type PickOptions,
} from './pool.js';
export { sameInstances, toInstances, type InstanceSource, type InstancesListener, type ServiceInstance } from './source.js';
export { createDnsSource, systemResolver, type DnsSource, type DnsSourceOptions, type HostResolver } from './sources/dns.js';
export { createEnvSource, parseAddressList } from './sources/env.js';
export { createStaticSource, type StaticSourceOptions } from './sources/static.js';

/**
 * Addresses known in code, winning over the environment and the spec ports.
 *
 * @example
 * const overrides: DiscoveryOverrides = { http: { users: 'http://127.0.0.1:41873' } };
 */
export interface DiscoveryOverrides {
  /** Service name -> origin, e.g. `{ users: 'http://127.0.0.1:41873' }`. */
  http?: Record<string, string>;
  /** Service name -> `host:port`. */
  grpc?: Record<string, string>;
}

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Origin (`http://host:port`, no trailing slash) of `service`'s HTTP server: the override, else
 * `MESH_<SERVICE>_HTTP`, else the spec port on 127.0.0.1.
 *
 * @param service The callee's name.
 * @param defaultPort Its spec HTTP port.
 * @param overrides In-code addresses. Default: none.
 * @param env The environment. Default `process.env`.
 * @throws Error naming the variable for a malformed value, or for a list (balance over it with {@link createEnvSource}).
 * @example
 * resolveHttpOrigin('users', 3001); // 'http://127.0.0.1:3001' when MESH_USERS_HTTP is unset
 */
export function resolveHttpOrigin(service: string, defaultPort: number, overrides?: DiscoveryOverrides, env: Env = process.env): string {
  const explicit = overrides?.http?.[service];
  if (explicit) return normalizeOrigin(explicit, `discovery override for ${service}`);
  const name = discoveryEnvName(service, 'HTTP');
  const fromEnv = env[name];
  if (fromEnv) return normalizeOrigin(single(fromEnv, name), name);
  return `http://127.0.0.1:${defaultPort}`;
}

/**
 * `host:port` of `service`'s gRPC server: the override, else `MESH_<SERVICE>_GRPC`, else the spec port on 127.0.0.1.
 *
 * @param service The callee's name.
 * @param defaultPort Its spec gRPC port.
 * @param overrides In-code addresses. Default: none.
 * @param env The environment. Default `process.env`.
 * @throws Error naming the variable for a malformed value, or for a list.
 * @example
 * resolveGrpcAddress('users', 50051); // '127.0.0.1:50051' when MESH_USERS_GRPC is unset
 */
export function resolveGrpcAddress(service: string, defaultPort: number, overrides?: DiscoveryOverrides, env: Env = process.env): string {
  const explicit = overrides?.grpc?.[service];
  if (explicit) return checkAddress(explicit, `discovery override for ${service}`);
  const name = discoveryEnvName(service, 'GRPC');
  const fromEnv = env[name];
  if (fromEnv) return checkAddress(single(fromEnv, name), name);
  return `127.0.0.1:${defaultPort}`;
}

/**
 * The instances of `service` with the same precedence as {@link resolveHttpOrigin}: the override (one
 * address or a comma-separated list), else the `MESH_<SERVICE>_HTTP` / `_GRPC` list, else the spec port on 127.0.0.1.
 *
 * @param service The callee's name.
 * @param kind `'http'` or `'grpc'`.
 * @param defaultPort Its spec port of that kind.
 * @param overrides In-code addresses. Default: none.
 * @param env The environment. Default `process.env`.
 * @throws Error naming the variable (and the item) for a malformed value.
 * @example
 * const source = defaultInstanceSource('users', 'http', 3001, undefined, { MESH_USERS_HTTP: 'http://a:3001,http://b:3001' });
 * source.current().length; // 2
 */
export function defaultInstanceSource(
  service: string,
  kind: AddressKind,
  defaultPort: number,
  overrides?: DiscoveryOverrides,
  env: Env = process.env,
): InstanceSource {
  const explicit = overrides?.[kind]?.[service];
  if (explicit) {
    // An override may list instances too (tests and `meshspec dev` running several of a service).
    const description = `discovery override for ${service}`;
    return createStaticSource(parseAddressList(explicit, kind, description), { kind, description });
  }
  const fromEnv = createEnvSource(service, kind, env);
  if (fromEnv) return fromEnv;
  const address = kind === 'http' ? `http://127.0.0.1:${defaultPort}` : `127.0.0.1:${defaultPort}`;
  return createStaticSource([address], { kind, description: `spec port of ${service}` });
}

// A list belongs to a balancing client; a single-address caller says so instead of misreading it.
function single(value: string, variable: string): string {
  const count = value.split(',').filter((item) => item.trim() !== '').length;
  if (count > 1) throw new Error(`${variable}: lists ${count} addresses, but this caller takes one (a balancing client reads the list)`);
  return value.trim().replace(/,$/, '');
}
