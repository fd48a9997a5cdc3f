// Service name -> address. In a cluster the deployment sets `MESH_<SERVICE>_HTTP` / `_GRPC`
// (e.g. `http://users.shop.svc.cluster.local:3001`); on a laptop every service listens on its
// spec port on 127.0.0.1. An in-code override map wins over both: `meshspec dev` and tests know
// the real ports of services that listened on port 0.
import { discoveryEnvName } from '../../common/discovery.js';

export interface DiscoveryOverrides {
  /** Service name -> origin, e.g. `{ users: 'http://127.0.0.1:41873' }`. */
  http?: Record<string, string>;
  /** Service name -> `host:port`. */
  grpc?: Record<string, string>;
}

type Env = Readonly<Record<string, string | undefined>>;

/** Origin (`http://host:port`, no trailing slash) of `service`'s HTTP server. */
export function resolveHttpOrigin(
  service: string,
  defaultPort: number,
  overrides?: DiscoveryOverrides,
  env: Env = process.env,
): string {
  const explicit = overrides?.http?.[service];
  if (explicit) return normalizeOrigin(explicit, `discovery override for ${service}`);
  const name = discoveryEnvName(service, 'HTTP');
  const fromEnv = env[name];
  if (fromEnv) return normalizeOrigin(fromEnv, name);
  return `http://127.0.0.1:${defaultPort}`;
}

/** `host:port` of `service`'s gRPC server. */
export function resolveGrpcAddress(
  service: string,
  defaultPort: number,
  overrides?: DiscoveryOverrides,
  env: Env = process.env,
): string {
  const explicit = overrides?.grpc?.[service];
  if (explicit) return checkAddress(explicit, `discovery override for ${service}`);
  const name = discoveryEnvName(service, 'GRPC');
  const fromEnv = env[name];
  if (fromEnv) return checkAddress(fromEnv, name);
  return `127.0.0.1:${defaultPort}`;
}

function normalizeOrigin(value: string, source: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`${source}: '${value}' is not a URL (expected e.g. http://users:3001)`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(`${source}: '${value}' must use http or https`);
  }
  // Only the origin: endpoint paths are absolute.
  return url.origin;
}

function checkAddress(value: string, source: string): string {
  if (!/^[^\s/:]+:\d{1,5}$/.test(value) && !/^\[[0-9a-fA-F:.]+\]:\d{1,5}$/.test(value)) {
    throw new Error(`${source}: '${value}' is not a host:port address`);
  }
  return value;
}
