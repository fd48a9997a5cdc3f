// What an address looks like for each kind of server a service runs: an origin for HTTP
// (`http://host:port`), `host:port` for gRPC. Every source validates through here, so a bad value
// fails with the same message wherever it came from.
import { isIP } from 'node:net';

/** The server an address points at: the service's HTTP origin or its gRPC `host:port`. */
export type AddressKind = 'http' | 'grpc';

/**
 * Checks an HTTP origin and returns it without path or trailing slash.
 *
 * @param value What was configured, e.g. `http://users:3001/`.
 * @param source Where it came from, named in the error (a variable name, "spec", ...).
 * @returns The origin, e.g. `http://users:3001`.
 * @throws Error naming `source` when `value` is not an http(s) URL.
 * @example
 * normalizeOrigin('http://users:3001/', 'MESH_USERS_HTTP'); // 'http://users:3001'
 */
export function normalizeOrigin(value: string, source: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`${source}: '${clip(value)}' is not a URL (expected e.g. http://users:3001)`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(`${source}: '${clip(value)}' must use http or https`);
  }
  // Only the origin: endpoint paths are absolute.
  return url.origin;
}

/**
 * Checks a gRPC `host:port` (an IPv6 host in brackets) and returns it unchanged.
 *
 * @param value What was configured, e.g. `users:50051` or `[::1]:50051`.
 * @param source Where it came from, named in the error.
 * @throws Error naming `source` when `value` is not `host:port`.
 * @example
 * checkAddress('users:50051', 'MESH_USERS_GRPC'); // 'users:50051'
 */
export function checkAddress(value: string, source: string): string {
  if (!/^[^\s/:]+:\d{1,5}$/.test(value) && !/^\[[0-9a-fA-F:.]+\]:\d{1,5}$/.test(value)) {
    throw new Error(`${source}: '${clip(value)}' is not a host:port address`);
  }
  return value;
}

/**
 * Checks one configured address of `kind`.
 *
 * @param value The configured text.
 * @param kind `'http'` (an origin) or `'grpc'` (`host:port`).
 * @param source Where it came from, named in the error.
 * @example
 * checkAddressOf('http://a:3001', 'http', 'spec'); // 'http://a:3001'
 */
export function checkAddressOf(value: string, kind: AddressKind, source: string): string {
  return kind === 'http' ? normalizeOrigin(value, source) : checkAddress(value, source);
}

/**
 * The address of a resolved IP: what a DNS source turns each record into.
 *
 * @param ip An IPv4 or IPv6 address (IPv6 gets brackets).
 * @param port The port the service listens on.
 * @param kind `'http'` for an origin, `'grpc'` for `host:port`.
 * @param scheme The HTTP scheme. Default `'http'`.
 * @example
 * addressOfIp('::1', 3001, 'http'); // 'http://[::1]:3001'
 * addressOfIp('10.0.0.7', 50051, 'grpc'); // '10.0.0.7:50051'
 */
export function addressOfIp(ip: string, port: number, kind: AddressKind, scheme: 'http' | 'https' = 'http'): string {
  const host = isIP(ip) === 6 ? `[${ip}]` : ip;
  return kind === 'http' ? `${scheme}://${host}:${port}` : `${host}:${port}`;
}

// A pasted secret or a megabyte of junk must not end up whole in a log line.
function clip(value: string): string {
  return value.length > 120 ? `${value.slice(0, 117)}...` : value;
}
