// The dashboard's own reads of the stack (saga lists every 2 s, /ready) are not the developer's
// requests: sent with a traceparent whose sampled flag is off, the services' server spans follow
// their parent's decision (the dev stack samples parent-based) and record nothing, so the traces
// view shows only what the developer and the stack did.
import { randomBytes } from 'node:crypto';

/**
 * Headers that keep a request out of the traces: a fresh `traceparent` with the sampled flag 0.
 *
 * @example
 * await fetch(`${url}/sagas`, { headers: untracedHeaders() });
 * // traceparent: 00-<32 hex>-<16 hex>-00
 */
export function untracedHeaders(): Record<string, string> {
  return { traceparent: `00-${randomBytes(16).toString('hex')}-${randomBytes(8).toString('hex')}-00` };
}
