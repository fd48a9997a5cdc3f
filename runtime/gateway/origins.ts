// Where each upstream service is reached from the gateway.
import { resolveHttpOrigin } from '../discovery/index.js';
import type { GatewayConfig } from './types.js';

/** The default resolver, as everywhere in the mesh: `MESH_<SERVICE>_HTTP`, else the spec port on 127.0.0.1. */
export function defaultResolveOrigin(config: GatewayConfig): (service: string) => string {
  return (service) => {
    const entry = config.services[service];
    if (!entry) throw new Error(`gateway: service ${service} has a route but no entry in services`);
    return resolveHttpOrigin(service, entry.httpPort);
  };
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
