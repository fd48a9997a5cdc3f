// Where each upstream service is reached from the gateway: one origin, or a list of instances.
import { defaultInstanceSource, resolveHttpOrigin } from '../discovery/index.js';
import type { GatewayConfig } from './types.js';

/** The default resolver, as everywhere in the mesh: `MESH_<SERVICE>_HTTP`, else the spec port on 127.0.0.1. */
export function defaultResolveOrigin(config: GatewayConfig): (service: string) => string {
  return (service) => resolveHttpOrigin(service, portOf(config, service));
}

/**
 * The default instance resolver: the origins `MESH_<SERVICE>_HTTP` lists (one, or several separated
 * by commas), else the spec port on 127.0.0.1.
 *
 * @param config - the gateway's config (its `services` give the spec ports)
 * @throws Error naming the service when a route's service has no entry, or the variable when a value is malformed
 * @example
 * // MESH_USERS_HTTP=http://10.0.0.7:3001,http://10.0.0.8:3001
 * defaultResolveInstances(config)('users'); // ['http://10.0.0.7:3001', 'http://10.0.0.8:3001']
 */
export function defaultResolveInstances(config: GatewayConfig): (service: string) => readonly string[] {
  return (service) => {
    const source = defaultInstanceSource(service, 'http', portOf(config, service));
    return source.current().map((instance) => instance.address);
  };
}

function portOf(config: GatewayConfig, service: string): number {
  const entry = config.services[service];
  if (!entry) throw new Error(`gateway: service ${service} has a route but no entry in services`);
  return entry.httpPort;
}

/** `origin` as undici's Pool wants it (scheme, host, port; no path), or an error naming the service. */
export function normalizeOrigin(service: string, origin: string): string {
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    throw new Error(`gateway: origin of service ${service} is not a URL: '${origin}'`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(`gateway: origin of service ${service} must use http or https: '${origin}'`);
  }
  return url.origin;
}

/**
 * The instances' origins of `service`, each normalized, without duplicates; an item may itself be
 * a comma-separated list (what `resolveOrigin` or `MESH_<SERVICE>_HTTP` may give).
 *
 * @param service - named in errors
 * @param values - origins, or comma-separated lists of them
 * @throws Error naming the service for an empty list or a malformed origin
 * @example
 * normalizeOrigins('users', ['http://a:3001/, http://b:3001']); // ['http://a:3001', 'http://b:3001']
 */
export function normalizeOrigins(service: string, values: readonly string[]): string[] {
  const origins = values.flatMap((value) => value.split(',')).map((item) => item.trim()).filter((item) => item !== '');
  if (origins.length === 0) throw new Error(`gateway: service ${service} has no instance (an empty origin list)`);
  return [...new Set(origins.map((origin) => normalizeOrigin(service, origin)))];
}
