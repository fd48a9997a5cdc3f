// What keeps other pages and other machines out of the dashboard. It listens on loopback, but a page
// the developer opens in the same browser can still aim requests at it: a Host header that is not a
// loopback name means DNS rebinding (403); a POST must be JSON (a form cannot send that without a
// preflight) and, when the browser names its Origin, come from the dashboard's own page (403).
import type { IncomingMessage } from 'node:http';
import { ApiProblem } from './problem.js';

/** The host names a browser on this machine uses for the dashboard. */
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Whether a Host header names this machine's loopback (any port): `localhost`, `127.0.0.1`, `[::1]`.
 *
 * @param host - the Host header (undefined when missing)
 * @example
 * hostAllowed('127.0.0.1:9400'); // true
 * hostAllowed('evil.example:9400'); // false
 */
export function hostAllowed(host: string | undefined): boolean {
  if (host === undefined) return false;
  const match = /^(\[[0-9a-fA-F:.]+\]|[^:[\]]+)(?::(\d{1,5}))?$/.exec(host.trim());
  return match !== null && LOOPBACK_HOSTS.has(match[1]!.toLowerCase());
}

/**
 * Refuses a request whose Host is not a loopback name (403 `forbidden_host`).
 *
 * @param req - the request
 * @throws ApiProblem 403
 * @example
 * checkHost(req);
 */
export function checkHost(req: IncomingMessage): void {
  if (!hostAllowed(req.headers.host)) {
    throw new ApiProblem(403, 'forbidden_host', 'the dashboard answers only requests addressed to localhost, 127.0.0.1 or [::1]');
  }
}

/**
 * The origins of the dashboard's own page: the loopback names with the port it listens on.
 *
 * @param port - the dashboard's port
 * @example
 * ownOrigins(9400); // Set { 'http://localhost:9400', 'http://127.0.0.1:9400', 'http://[::1]:9400' }
 */
export function ownOrigins(port: number): ReadonlySet<string> {
  return new Set([...LOOPBACK_HOSTS].map((host) => `http://${host}:${port}`));
}

/**
 * Refuses a POST that is not `application/json` (415 `unsupported_media_type`) or that a browser
 * sent from another origin (403 `forbidden_origin`).
 *
 * @param req - the request
 * @param origins - the dashboard's own origins (ownOrigins)
 * @throws ApiProblem 403 or 415
 * @example
 * checkPost(req, ownOrigins(9400));
 */
export function checkPost(req: IncomingMessage, origins: ReadonlySet<string>): void {
  const origin = req.headers.origin;
  if (origin !== undefined && !origins.has(origin.toLowerCase())) {
    throw new ApiProblem(403, 'forbidden_origin', 'a POST to the dashboard must come from its own page (the Origin header names another site)');
  }
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/json') {
    throw new ApiProblem(415, 'unsupported_media_type', 'a POST to the dashboard must have content-type: application/json');
  }
}
