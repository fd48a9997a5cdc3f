// A caller identity as a service accepts it, whichever way it arrived (the x-mesh-caller header, or an
// in-process call): the known fields with the right types, copied, or none at all when malformed.
import type { Caller } from './index.js';

/**
 * The caller `value` describes, as a fresh object holding only the known fields; null when `value` is
 * not a caller (no subject, or a field of the wrong type).
 *
 * @param value What claims to be a caller (parsed JSON, or another service's Caller object).
 * @example
 * callerOf({ subject: 'service:orders', service: 'orders', extra: 1 }); // { subject: 'service:orders', service: 'orders' }
 * callerOf({ subject: 42 }); // null
 */
export function callerOf(value: unknown): Caller | null {
  if (typeof value !== 'object' || value === null) return null;
  const { subject, service, roles } = value as Record<string, unknown>;
  if (typeof subject !== 'string' || subject === '') return null;
  if (service !== undefined && typeof service !== 'string') return null;
  if (roles !== undefined && !(Array.isArray(roles) && roles.every((r) => typeof r === 'string'))) return null;
  return {
    subject,
    ...(service !== undefined ? { service } : {}),
    ...(roles !== undefined ? { roles: [...(roles as string[])] } : {}),
  };
}
