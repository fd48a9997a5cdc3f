// What a failed attempt means for the policies: whether a retry may help, and whether it counts
// against the instance's circuit breaker. One table for both, so retry and breaker never disagree,
// and never a 4xx in either: the instance answered, the request was wrong.
//
// Input is what the transports reject with (runtime/http/client.ts, runtime/grpc/client.ts): a
// MeshError, read by status (503 Unavailable: connection refused or reset, or the callee said so;
// 504 Timeout; 502 BadGateway; 429 TooManyRequests, which is also what a meshspec gRPC callee's
// RESOURCE_EXHAUSTED becomes); or a raw transport error that was not mapped yet (socket codes such as
// ECONNREFUSED, undici's header/body timeouts, a grpc-js ServiceError with a numeric status code).
//
// How a transport passes `Retry-After` on: `withRetryAfter(error, ms)` sets `retryAfterMs` on the
// error object itself (HTTP: the `Retry-After` header through `parseRetryAfter`; gRPC: the
// `grpc-retry-pushback-ms` trailer). It is not put in `details`, which is the callee's payload and
// travels on in response bodies. A callee may also put `retryAfterMs` (a number) in its error's
// details; and a raw gRPC error's `grpc-retry-pushback-ms` trailer is read directly.
import { MeshError } from '../errors/index.js';
import { AttemptTimedOut, BulkheadFull, CircuitOpen, DeadlineExceeded } from './errors.js';

/**
 * The kinds of failure the policies tell apart; a fallback policy names some of them.
 *
 * @example
 * FAILURE_KINDS.includes('circuitOpen'); // true
 */
export const FAILURE_KINDS = [
  'unavailable',
  'timeout',
  'badGateway',
  'rateLimited',
  'deadline',
  'circuitOpen',
  'bulkheadFull',
  'rejected',
  'failed',
  'unknown',
] as const;

/**
 * - `unavailable`: connection refused or reset, host unreachable, a 503 (gRPC UNAVAILABLE);
 * - `timeout`: one attempt ran out of time (its own timeout, a 504, gRPC DEADLINE_EXCEEDED) while the call had time left;
 * - `badGateway`: a 502;
 * - `rateLimited`: a 429 (gRPC RESOURCE_EXHAUSTED);
 * - `deadline`: the whole call's deadline passed (never retried, never held against an instance);
 * - `circuitOpen`, `bulkheadFull`: this client's own fast rejections;
 * - `rejected`: any other 4xx, the request's own fault;
 * - `failed`: any other 5xx (500, 501): a bug answers the same the second time;
 * - `unknown`: not an error a transport produces (a bug on this side, or the caller's own cancellation).
 */
export type FailureKind = (typeof FAILURE_KINDS)[number];

/** What the policies make of one failure. */
export interface Classification {
  readonly kind: FailureKind;
  /** A retry may succeed. */
  readonly retryable: boolean;
  /** Held against the instance's circuit breaker. */
  readonly breakerFailure: boolean;
  /** The callee asked to wait this long before a retry (Retry-After). */
  readonly retryAfterMs: number | undefined;
}

/**
 * The kinds a retry may help with; also the only kinds a circuit breaker may count.
 *
 * @example
 * BREAKER_COUNTABLE.includes('rejected'); // false: never a 4xx
 */
export const BREAKER_COUNTABLE: readonly FailureKind[] = Object.freeze(['unavailable', 'timeout', 'badGateway', 'rateLimited']);

const TRANSIENT: ReadonlySet<FailureKind> = new Set(BREAKER_COUNTABLE);

// Socket-level failures undici and node:net report by code (runtime/http/client.ts maps the same).
const UNREACHABLE_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ETIMEDOUT',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
]);
const TIMEOUT_CODES: ReadonlySet<string> = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);

// gRPC status codes (fixed by the gRPC spec), for a raw grpc-js ServiceError.
const GRPC_DEADLINE_EXCEEDED = 4;
const GRPC_RESOURCE_EXHAUSTED = 8;
const GRPC_UNAVAILABLE = 14;

const RETRY_AFTER = Symbol.for('meshspec.resilience.retryAfterMs');

/**
 * The kind of a failure, whether it is retryable and whether it counts against a breaker.
 *
 * @param error What an attempt rejected with.
 * @example
 * classify(new Unavailable('connection refused')); // { kind: 'unavailable', retryable: true, breakerFailure: true, ... }
 * classify(new NotFound());                        // { kind: 'rejected', retryable: false, breakerFailure: false, ... }
 */
export function classify(error: unknown): Classification {
  const kind = kindOf(error);
  const transient = TRANSIENT.has(kind);
  return { kind, retryable: transient, breakerFailure: transient, retryAfterMs: transient ? retryAfterOf(error) : undefined };
}

/**
 * The kind alone (see {@link FailureKind}).
 *
 * @param error What an attempt rejected with.
 * @example
 * kindOf(new DeadlineExceeded('deadline passed')); // 'deadline'
 */
export function kindOf(error: unknown): FailureKind {
  // Own rejections first: they extend Unavailable and Timeout but mean something else.
  if (error instanceof DeadlineExceeded) return 'deadline';
  if (error instanceof CircuitOpen) return 'circuitOpen';
  if (error instanceof BulkheadFull) return 'bulkheadFull';
  if (error instanceof AttemptTimedOut) return 'timeout';
  if (error instanceof MeshError) return kindOfStatus(error.status);
  const code = (error as { code?: unknown } | null | undefined)?.code;
  if (typeof code === 'string') {
    if (UNREACHABLE_CODES.has(code)) return 'unavailable';
    if (TIMEOUT_CODES.has(code)) return 'timeout';
  }
  const causeCode = (error as { cause?: { code?: unknown } } | null | undefined)?.cause?.code;
  if (typeof causeCode === 'string' && UNREACHABLE_CODES.has(causeCode)) return 'unavailable';
  if (typeof code === 'number' && isGrpcServiceError(error)) {
    if (code === GRPC_UNAVAILABLE) return 'unavailable';
    if (code === GRPC_RESOURCE_EXHAUSTED) return 'rateLimited';
    if (code === GRPC_DEADLINE_EXCEEDED) return 'timeout';
    return 'failed';
  }
  return 'unknown';
}

function kindOfStatus(status: number): FailureKind {
  if (status === 503) return 'unavailable';
  if (status === 504) return 'timeout';
  if (status === 502) return 'badGateway';
  if (status === 429) return 'rateLimited';
  if (status >= 400 && status < 500) return 'rejected';
  return 'failed';
}

function isGrpcServiceError(error: unknown): error is { code: number; metadata?: { get(key: string): unknown[] } } {
  return error instanceof Error && 'details' in error;
}

/**
 * Marks `error` with the wait its callee asked for (`Retry-After`), for {@link classify} to honour.
 * The mark is a non-enumerable property, kept out of logs and response bodies.
 *
 * @param error The error the transport is about to reject with.
 * @param ms The wait, ms (non-negative, finite); anything else leaves the error unmarked.
 * @returns `error`, for `throw withRetryAfter(new MeshError(...), ms)`.
 * @example
 * throw withRetryAfter(new TooManyRequests('slow down'), parseRetryAfter(response.headers['retry-after'], Date.now()));
 */
export function withRetryAfter<E extends object>(error: E, ms: number | undefined): E {
  if (ms !== undefined && Number.isFinite(ms) && ms >= 0) {
    Object.defineProperty(error, RETRY_AFTER, { value: ms, enumerable: false, configurable: true });
  }
  return error;
}

/**
 * The wait the callee asked for, ms: the transport's mark ({@link withRetryAfter}), else a numeric
 * `retryAfterMs` in a MeshError's details, else a raw gRPC error's `grpc-retry-pushback-ms` trailer.
 *
 * @param error A failure.
 * @example
 * retryAfterOf(new TooManyRequests('slow down', { retryAfterMs: 2000 })); // 2000
 */
export function retryAfterOf(error: unknown): number | undefined {
  if (error === null || typeof error !== 'object') return undefined;
  const marked = (error as Record<symbol, unknown>)[RETRY_AFTER];
  if (typeof marked === 'number') return marked;
  if (error instanceof MeshError) {
    const fromDetails = (error.details as { retryAfterMs?: unknown } | null | undefined)?.retryAfterMs;
    return typeof fromDetails === 'number' && Number.isFinite(fromDetails) && fromDetails >= 0 ? fromDetails : undefined;
  }
  if (isGrpcServiceError(error) && typeof error.metadata?.get === 'function') {
    const raw = error.metadata.get('grpc-retry-pushback-ms')[0];
    const pushback = raw === undefined ? NaN : Number(String(raw));
    return Number.isInteger(pushback) && pushback >= 0 ? pushback : undefined;
  }
  return undefined;
}

/**
 * An HTTP `Retry-After` header as a wait in ms: delta-seconds (`120`) or an HTTP-date (in the past: 0).
 *
 * @param value The header's value; undefined or unreadable gives undefined.
 * @param now The current time, epoch ms (the clock's).
 * @example
 * parseRetryAfter('2', Date.now()); // 2000
 */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  // An HTTP-date names its day and month; Date.parse alone would read `-3` as a year.
  const date = /[a-z]/i.test(text) ? Date.parse(text) : Number.NaN;
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
