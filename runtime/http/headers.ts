// The mesh's own request headers, shared by the HTTP server (parsing) and client (writing).
import { randomUUID } from 'node:crypto';
import type { Caller } from '../context/index.js';
import type { IncomingMessage } from 'node:http';
import { IDENTITY_HEADER } from '../identity/format.js';
import { decodeUnsignedCaller, encodeUnsignedCaller, UNSIGNED_CALLER_HEADER, type CallerTrust } from '../identity/trust.js';

export const REQUEST_ID_HEADER = 'x-request-id';
/** Epoch milliseconds after which the caller stops waiting. */
export const DEADLINE_HEADER = 'x-mesh-deadline';
/** The caller's key for a non-idempotent request: a repeat gets the first answer (runtime/service/idempotent-invoke.ts). */
export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';
/** base64url of the JSON `{subject, service?, roles?}`: the unsigned caller, named once in identity/trust.ts. */
export const CALLER_HEADER = UNSIGNED_CALLER_HEADER;

// Anything else (too long, spaces, control characters) could pollute logs: replace it.
const SANE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

type HeaderValue = string | string[] | undefined;

function single(value: HeaderValue): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** The caller's request id when it looks sane, else a fresh UUID. */
export function requestIdFrom(value: HeaderValue): string {
  const id = single(value);
  return id !== undefined && SANE_REQUEST_ID.test(id) ? id : randomUUID();
}

/** A positive epoch-ms deadline, or null when absent or unreadable. */
export function deadlineFrom(value: HeaderValue): number | null {
  const raw = single(value);
  if (raw === undefined) return null;
  const deadline = Number(raw);
  return Number.isSafeInteger(deadline) && deadline > 0 ? deadline : null;
}

export function encodeCaller(caller: Caller): string {
  return encodeUnsignedCaller(caller);
}

/**
 * The caller a request asserts, as `trust` believes it.
 *
 * @param req - the request (its x-mesh-identity and x-mesh-caller headers)
 * @param trust - the service's CallerTrust
 * @throws Unauthorized when a signed identity is present and not valid
 * @example
 * const caller = callerOfRequest(req, trust);
 */
export function callerOfRequest(req: IncomingMessage, trust: CallerTrust): Caller | null {
  return trust.incoming(single(req.headers[IDENTITY_HEADER]), single(req.headers[CALLER_HEADER]));
}

/** The decoded caller, or null when absent or malformed (a malformed caller is treated as none). */
export function callerFrom(value: HeaderValue): Caller | null {
  return decodeUnsignedCaller(single(value));
}
