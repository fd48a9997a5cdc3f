// ClientTransport over HTTP (undici Pool, keep-alive): turns an endpoint call into a request the
// callee's HTTP binding understands, and every way it can fail into a MeshError.
import type { Logger } from 'pino';
import { Pool } from 'undici';
import { BadGateway, MeshError, Timeout, Unavailable, ValidationFailed } from '../errors/index.js';
import { parseRetryAfter, withRetryAfter } from '../resilience/classify.js';
import type { AttemptScope } from '../resilience/pipeline.js';
import type { EndpointDescriptor } from '../service/definition.js';
import { pathParamIssues } from '../service/path-params.js';
import type { CallOptions, ClientTransport } from '../transport/types.js';
import { describeIssues } from '../validation/issues.js';
import { UNSIGNED_TRUST, type CallerTrust } from '../identity/trust.js';
import { DEADLINE_HEADER, IDEMPOTENCY_KEY_HEADER, REQUEST_ID_HEADER } from './headers.js';
import { injectIntoHeaders } from '../observability/tracing/client.js';

export interface HttpTransportOptions {
  /** e.g. `http://127.0.0.1:3001` (see discovery). */
  origin: string;
  /** The callee's name, for error messages. */
  service: string;
  logger?: Logger;
  /** Most sockets kept open to the callee. Default 64. */
  connections?: number;
  /** How the calling service asserts its identity (signed with identity keys). Default: the unsigned header. */
  trust?: CallerTrust;
}

/** What is computed once per endpoint rather than per call. */
interface Route {
  readonly method: string;
  /** Path split around params: literal, param, literal, ... (always odd length). */
  readonly pieces: readonly string[];
  readonly params: ReadonlySet<string>;
  readonly query: boolean;
  readonly body: boolean;
  readonly expectsOutput: boolean;
  readonly label: string;
}

// Socket-level failures: the callee is down, restarting or unreachable.
const UNREACHABLE: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  EPIPE: 'connection closed',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host lookup failed',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ETIMEDOUT: 'connect timed out',
  UND_ERR_CONNECT_TIMEOUT: 'connect timed out',
  UND_ERR_SOCKET: 'connection closed',
  UND_ERR_CLOSED: 'client closed',
  UND_ERR_DESTROYED: 'client closed',
};
const TIMED_OUT = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);

const DEADLINE_PASSED = Symbol('deadline passed');

/** The HTTP ClientTransport, and a call that follows a resilience attempt's scope instead of a signal. */
export interface HttpTransport extends ClientTransport {
  /**
   * Like `call`, aborted when `scope` aborts (with its reason) rather than by `options.signal`, and
   * without a timer of its own: the scope ends at the attempt's deadline, which `options.deadline`
   * sends on. Saves making and listening to an AbortSignal per call.
   */
  callInScope(endpoint: EndpointDescriptor, input: unknown, options: CallOptions, scope: AttemptScope): Promise<unknown>;
}

/**
 * undici takes any emitter with `once` / `removeListener` and `aborted` / `reason` as a request's
 * signal; this one is an attempt's scope, whose listeners cost next to nothing.
 */
class ScopeSignal {
  readonly #scope: AttemptScope;
  #off: (() => void) | undefined;

  constructor(scope: AttemptScope) {
    this.#scope = scope;
  }

  get aborted(): boolean {
    return this.#scope.aborted;
  }

  get reason(): unknown {
    return this.#scope.reason;
  }

  on(_event: 'abort', listener: () => void): this {
    this.#off?.();
    this.#off = this.#scope.onAbort(() => listener());
    return this;
  }

  once(event: 'abort', listener: () => void): this {
    return this.on(event, listener);
  }

  removeListener(): this {
    this.#off?.();
    this.#off = undefined;
    return this;
  }
}

/** What toMeshError reads of whichever signal the request had. */
type AbortState = { readonly aborted: boolean; readonly reason: unknown };

/**
 * A transport to one origin (one instance of the callee).
 *
 * @param options origin, service; logger (default none), connections (default 64).
 * @example
 * const users = createHttpTransport({ origin: 'http://127.0.0.1:3001', service: 'users' });
 * await users.call(getUser, { id: 1 }, { deadline: Date.now() + 2_000 });
 */
export function createHttpTransport(options: HttpTransportOptions): HttpTransport {
  const { origin, service, logger, trust = UNSIGNED_TRUST } = options;
  const pool = new Pool(origin, { connections: options.connections ?? 64 });
  const routes = new WeakMap<EndpointDescriptor, Route>();
  const routeOf = (endpoint: EndpointDescriptor) => {
    let route = routes.get(endpoint);
    if (!route) routes.set(endpoint, (route = compileRoute(service, endpoint)));
    return route;
  };
  let closing: Promise<void> | undefined;

  const send = async (endpoint: EndpointDescriptor, input: unknown, call: CallOptions, scope: ScopeSignal | undefined): Promise<unknown> => {
    const route = routeOf(endpoint);
    const fields = (input ?? {}) as Record<string, unknown>;
    let path = buildPath(route, fields);
    if (route.query) path += queryString(fields, route.params);

    const headers: Record<string, string> = { accept: 'application/json' };
    if (call.requestId) headers[REQUEST_ID_HEADER] = call.requestId;
    if (call.caller) for (const [name, value] of trust.outgoing(call.caller)) headers[name] = value;
    if (call.idempotencyKey) headers[IDEMPOTENCY_KEY_HEADER] = call.idempotencyKey;
    // The active span (this attempt's) as traceparent/tracestate; nothing when tracing is off.
    injectIntoHeaders(headers);
    let body: string | undefined;
    if (route.body) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(route.params.size > 0 ? withoutParams(fields, route.params) : fields);
    }

    const deadline = effectiveDeadline(call);
    // Our own controller only when a deadline can cut the call; otherwise the caller's signal (if
    // any) goes to undici as is. Making a signal and listening to it costs a few µs per call.
    let signal: AbortSignal | ScopeSignal | undefined = scope ?? call.signal;
    let timer: NodeJS.Timeout | undefined;
    let forward: (() => void) | undefined;
    if (deadline !== null) {
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw new Timeout(`deadline passed before calling ${route.label}`);
      headers[DEADLINE_HEADER] = String(deadline);
    }
    // Under a scope, the scope ends the call at its deadline: no timer here.
    if (deadline !== null && !scope) {
      const remaining = deadline - Date.now();
      const controller = new AbortController();
      signal = controller.signal;
      timer = setTimeout(() => controller.abort(DEADLINE_PASSED), remaining);
      if (call.signal) {
        const from = call.signal;
        forward = () => controller.abort(from.reason);
        if (from.aborted) forward();
        else from.addEventListener('abort', forward, { once: true });
      }
    }

    try {
      // undici spells "none" null: no body for GET and DELETE, no signal without a deadline or caller's signal.
      // A ScopeSignal is the emitter shape undici accepts besides an AbortSignal.
      const response = await pool.request({ path, method: route.method, headers, body: body ?? null, signal: (signal as AbortSignal | undefined) ?? null });
      return await readResponse(route, service, response.statusCode, response.body, response.headers);
    } catch (err) {
      const error = toMeshError(err, signal, route, origin, service);
      logger?.debug({ err: error, target: route.label, requestId: call.requestId }, 'call failed');
      throw error;
    } finally {
      clearTimeout(timer);
      if (forward) call.signal?.removeEventListener('abort', forward);
    }
  };

  return {
    call: (endpoint, input, call) => send(endpoint, input, call, undefined),
    callInScope: (endpoint, input, call, scope) => send(endpoint, input, call, new ScopeSignal(scope)),
    close() {
      closing ??= pool.close();
      return closing;
    },
  };
}

function compileRoute(service: string, endpoint: EndpointDescriptor): Route {
  return {
    method: endpoint.method,
    // `/users/{id}/orders` -> ['/users/', 'id', '/orders']
    pieces: endpoint.path.split(/\{([^}]+)\}/),
    params: new Set(endpoint.pathParams),
    query: endpoint.inputSource === 'query',
    body: endpoint.inputSource === 'body',
    expectsOutput: endpoint.output !== null,
    label: `${service}.${endpoint.name}`,
  };
}

function buildPath(route: Route, fields: Record<string, unknown>): string {
  if (route.pieces.length === 1) return route.pieces[0] as string;
  let path = '';
  for (let i = 0; i < route.pieces.length; i++) {
    const piece = route.pieces[i] as string;
    if (i % 2 === 0) {
      path += piece;
      continue;
    }
    const value = fields[piece];
    if (value === undefined || value === null) {
      throw new ValidationFailed(`invalid input for ${route.label}: missing path parameter '${piece}'`, [
        { path: '', message: `must have required property '${piece}'` },
      ]);
    }
    // '' has no segment to travel in and URL parsers resolve `.` and `..` away: refuse them here,
    // with the issue the service itself reports for them.
    const issues = pathParamIssues([piece], fields);
    if (issues.length > 0) throw new ValidationFailed(`invalid input for ${route.label}: ${describeIssues(issues)}`, issues);
    path += encodeURIComponent(String(value));
  }
  return path;
}

/** `?a=1&tag=x&tag=y`: arrays repeat their key, absent values are left out. */
function queryString(fields: Record<string, unknown>, params: ReadonlySet<string>): string {
  const parts: string[] = [];
  for (const key of Object.keys(fields)) {
    if (params.has(key)) continue;
    const value = fields[key];
    const values = Array.isArray(value) ? value : [value];
    for (const item of values) {
      if (item === undefined || item === null) continue;
      const text = typeof item === 'object' ? JSON.stringify(item) : String(item);
      parts.push(`${encodeURIComponent(key)}=${encodeURIComponent(text)}`);
    }
  }
  return parts.length > 0 ? `?${parts.join('&')}` : '';
}

function withoutParams(fields: Record<string, unknown>, params: ReadonlySet<string>): Record<string, unknown> {
  const rest: Record<string, unknown> = {};
  for (const key of Object.keys(fields)) if (!params.has(key)) rest[key] = fields[key];
  return rest;
}

function effectiveDeadline(call: CallOptions): number | null {
  const fromTimeout = call.timeoutMs !== undefined ? Date.now() + call.timeoutMs : null;
  const deadline = call.deadline ?? null;
  if (deadline === null) return fromTimeout;
  return fromTimeout === null ? deadline : Math.min(deadline, fromTimeout);
}

interface Body {
  text(): Promise<string>;
  dump(): Promise<void>;
}

async function readResponse(route: Route, service: string, status: number, body: Body, headers: Record<string, string | string[] | undefined>): Promise<unknown> {
  if (status >= 200 && status < 300) {
    if (status === 204 || !route.expectsOutput) {
      await body.dump();
      return undefined;
    }
    const text = await body.text();
    if (text === '') return undefined;
    try {
      return JSON.parse(text);
    } catch {
      throw new BadGateway(`${route.label} answered ${status} with a body that is not JSON`);
    }
  }
  const text = await body.text();
  const parsed = errorFromBody(text);
  const error = parsed
    ? new MeshError(parsed.code, parsed.message, status, parsed.details)
    : new MeshError(codeForStatus(status), `${service} answered ${status} without a mesh error body (${route.label})`, status);
  // The callee's own word on when to come back, for the retry policy (never sent on in a body).
  if (status === 429 || status === 503) {
    const header = headers['retry-after'];
    throw withRetryAfter(error, parseRetryAfter(Array.isArray(header) ? header[0] : header, Date.now()));
  }
  throw error;
}

function errorFromBody(text: string): { code: string; message: string; details?: unknown } | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return null;
  }
  const error = (parsed as { error?: unknown } | null)?.error as { code?: unknown; message?: unknown; details?: unknown } | undefined;
  if (!error || typeof error.code !== 'string' || typeof error.message !== 'string') return null;
  return { code: error.code, message: error.message, details: error.details };
}

// For error statuses that come without a mesh body (a proxy, a crashed process, an ingress page).
function codeForStatus(status: number): string {
  if (status === 500) return 'Internal';
  if (status === 503) return 'Unavailable';
  if (status === 429) return 'TooManyRequests';
  if (status === 504) return 'Timeout';
  return 'BadGateway';
}

function toMeshError(err: unknown, signal: AbortState | undefined, route: Route, origin: string, service: string): unknown {
  if (err instanceof MeshError) return err;
  if (signal?.aborted) {
    if (signal.reason === DEADLINE_PASSED) return new Timeout(`${route.label} did not answer before the deadline`);
    // The caller gave up (its own caller left, or its deadline passed): keep its reason when it is one of ours.
    if (signal.reason instanceof MeshError) return signal.reason;
    return new Unavailable(`call to ${route.label} was cancelled by the caller`);
  }
  const code = errorCode(err);
  // The message names the service only: it may travel back to an end client in a 503 body. Where
  // the call went and what undici said stay in the cause, for logs.
  if (code && TIMED_OUT.has(code)) return new Timeout(`${route.label} did not answer in time`, { cause: callFailure(route, origin, code, err) });
  const reason = code ? UNREACHABLE[code] : undefined;
  if (reason) return new Unavailable(`${service} is unavailable: ${reason}`, undefined, { cause: callFailure(route, origin, code as string, err) });
  // Anything else is a bug on this side (bad header value, ...): let invoke log it with its stack.
  return err;
}

/** What an operator needs to know about a failed call: never serialized into a response. */
function callFailure(route: Route, origin: string, code: string, err: unknown): Error {
  return new Error(`${route.label} at ${origin}: ${code}`, { cause: err });
}

function errorCode(err: unknown): string | undefined {
  const e = err as { code?: unknown; cause?: { code?: unknown } } | null;
  if (typeof e?.code === 'string' && e.code !== 'UND_ERR_SOCKET') return e.code;
  // undici wraps socket errors; the system code on the cause is the more telling one.
  if (typeof e?.cause?.code === 'string') return e.cause.code;
  return typeof e?.code === 'string' ? e.code : undefined;
}
