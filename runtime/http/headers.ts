// The mesh's own request headers, shared by the HTTP server (parsing) and client (writing).
import { randomUUID } from 'node:crypto';
import { callerOf } from '../context/caller.js';
import type { Caller } from '../context/index.js';

export const REQUEST_ID_HEADER = 'x-request-id';
/** Epoch milliseconds after which the caller stops waiting. */
export const DEADLINE_HEADER = 'x-mesh-deadline';
/** The caller's key for a non-idempotent request: a repeat gets the first answer (runtime/service/idempotent-invoke.ts). */
export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';
/** base64url of the JSON `{subject, service?, roles?}`. */
export const CALLER_HEADER = 'x-mesh-caller';

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
  return Buffer.from(JSON.stringify(caller)).toString('base64url');
}

/** The decoded caller, or null when absent or malformed (a malformed caller is treated as none). */
export function callerFrom(value: HeaderValue): Caller | null {
  const raw = single(value);
  if (!raw) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  return callerOf(parsed);
}
