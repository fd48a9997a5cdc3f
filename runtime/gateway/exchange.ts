// One proxied request: the undici dispatch handler that streams the upstream response into the
// client's ServerResponse, maps upstream failures to JSON errors and writes the access log line.
// A plain object whose methods live on the prototype: no closures are made per request.
//
// It implements undici's native handler protocol (onConnect/onHeaders/onData/...): undici's
// clients speak it internally, so it gets the raw header list and needs no wrapper or header
// parsing per response (the newer onResponse* protocol is adapted onto it per request).
import type { Span, Tracer } from '@opentelemetry/api';
import { endGatewaySpan, startGatewaySpan } from '../observability/tracing/gateway.js';
import { traceFieldsOf } from '../observability/tracing/log-fields.js';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { Logger } from 'pino';
import type { Dispatcher } from 'undici';
import { BadGateway, PayloadTooLarge, RequestTimeout, Timeout, Unavailable, type MeshError, type MeshErrorBody } from '../errors/index.js';
import { lingerLimitsFor, lingerOnClose } from '../http/unread-body.js';
import { responseHeaders, SECURITY_HEADERS, type RequestHead } from './headers.js';
import type { PickedInstance } from '../discovery/index.js';
import type { ServiceUpstream, UpstreamAttempt } from './instances.js';
import { notTaken } from './retry.js';
import type { ConnectionAware, TrackedConnection, Upstream } from './upstream.js';
import { pathOf, rewriteLocation, type CompiledRoute } from './router.js';
import type { GatewayMetrics, RouteMeter } from '../observability/metrics/gateway.js';

/** What every exchange shares with the gateway that made it. */
export interface ExchangeContext {
  readonly logger: Logger;
  readonly timeoutMs: number;
  readonly bodyLimitBytes: number;
  /** How long a request body may send nothing before the request is cut with 408, ms. */
  readonly bodyIdleTimeoutMs: number;
  /** Proxies in front of the gateway whose X-Forwarded-* are believed (0: none). */
  readonly trustedProxies: number;
  /** True once the gateway is shutting down: responses then close their connection. */
  closing: boolean;
  /** Counts requests per route; none: nothing counted. */
  readonly metrics?: GatewayMetrics | undefined;
  /** The gateway's tracer; undefined: tracing off (the trace context is still continued, see trace-context.ts). */
  readonly tracer?: Tracer | undefined;
}

/** Thrown into the upstream request when a body without Content-Length passes the limit. */
export class BodyTooLarge extends Error {
  readonly code = 'GATEWAY_BODY_TOO_LARGE';
}

/** Passed to undici's abort when the client went away. */
class ClientClosed extends Error {
  readonly code = 'GATEWAY_CLIENT_CLOSED';
}

/** Status logged for a client that left before its response was complete (as nginx does). */
const CLIENT_CLOSED_STATUS = 499;

const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EADDRNOTAVAIL',
  'UND_ERR_CONNECT_TIMEOUT',
]);
const TIMEOUT_CODES = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);

const kExchange = Symbol('meshspec.gateway.exchange');
type CarrierResponse = ServerResponse & { [kExchange]?: Exchange };

// Shared listeners: `this` is the response, which carries its exchange.
function onResponseClose(this: CarrierResponse): void {
  this[kExchange]?.onClientClose();
}
function onResponseDrain(this: CarrierResponse): void {
  this[kExchange]?.resumeUpstream?.();
}
type CarrierRequest = IncomingMessage & { [kExchange]?: Exchange };
// `this` is the request, which carries its exchange while its body is watched.
function onBodyIdle(this: CarrierRequest): void {
  this[kExchange]?.onBodyIdle();
}
function onBodyRead(this: IncomingMessage): void {
  // The body is in: waiting for the upstream's answer is the route timeout's business, not this one's.
  this.setTimeout(0);
}
// Deferred out of undici's socket-close handling, which is what called onError.
function sendAgain(exchange: Exchange): void {
  exchange.sendAgain();
}

/** True when an upstream's raw response headers say `Connection: close`. */
function saysClose(raw: readonly Buffer[]): boolean {
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!;
    if (name.length === 10 && name.toString('latin1').toLowerCase() === 'connection') {
      if (raw[i + 1]!.toString('latin1').toLowerCase().includes('close')) return true;
    }
  }
  return false;
}

export class Exchange implements UpstreamAttempt, ConnectionAware, RequestHead {
  requestId = '';
  contentLength = -1;
  chunked = false;
  forwardedFor = '';
  forwardedProto = '';
  forwardedHost = '';
  host = '';
  origin = '';
  preflightMethod = '';
  traceparent = '';
  tracestate = '';
  /** The gateway's span of this request (tracing on), ended with the access line. */
  span: Span | null = null;
  /** The upstream service, `` until a route matched. */
  service = '';
  /** Where the request is counted: its route's meter once one matched (proxy.ts), the unmatched one before. */
  meter: RouteMeter | null;
  /** The matched route when it rewrites paths: a `Location` its service answers is rewritten back (rewriteLocation). */
  rewrites: CompiledRoute | null = null;
  /** The body limit and the upstream timeout of the matched route (the gateway's until one matched). */
  bodyLimitBytes: number;
  timeoutMs: number;
  resumeUpstream: (() => void) | null = null;
  /** Headers the gateway adds to the answer: RateLimit-*, Retry-After, WWW-Authenticate. */
  private extraHeaders: string[] | null = null;
  private abortUpstream: ((err?: Error) => void) | null = null;
  /** Status sent to the client (0 until headers are written). */
  private status = 0;
  /** Code of the failure that ended the exchange, `` when none (logged). */
  failure = '';
  private upstreamError = '';
  private logged = false;
  /** True once an answer of the gateway's own reads and drops the unread body before closing. */
  private lingering = false;
  private readonly start = performance.now();
  /** The upstream instance this request is counted against, until it ends. */
  private slot: Upstream | null = null;
  /** The balancer's handle of that instance (services with several), released with the outcome. */
  private picked: PickedInstance | null = null;
  /** Where and what was sent, kept to send it again (retry.ts). */
  private target: ServiceUpstream | null = null;
  private dispatchOptions: Dispatcher.DispatchOptions | null = null;
  /** The body can be sent again: none, or read whole (a streamed one is consumed). */
  private replayable = false;
  /** A second attempt was sent (logged). */
  private retried = false;
  /** The instance of the failed first attempt. */
  private failedUpstream: Upstream | null = null;
  /** Set by the undici client the attempt went to (upstream.ts). */
  connection: TrackedConnection | null = null;
  /** The socket the attempt was written on (null: not written), whether it was reused, and its bytes read then. */
  private socket: Socket | null = null;
  private reusedConnection = false;
  private readAtWrite = 0;

  constructor(
    private readonly ctx: ExchangeContext,
    readonly req: IncomingMessage,
    readonly res: ServerResponse,
  ) {
    this.bodyLimitBytes = ctx.bodyLimitBytes;
    this.timeoutMs = ctx.timeoutMs;
    this.meter = ctx.metrics?.unmatched ?? null;
    (res as CarrierResponse)[kExchange] = this;
    res.on('close', onResponseClose);
  }

  /** Starts the gateway's span (tracing on): the parent of the request sent upstream. */
  startSpan(continued: string, tracestate: string): Span | undefined {
    const tracer = this.ctx.tracer;
    if (tracer === undefined) return undefined;
    this.span = startGatewaySpan(tracer, this.req.method ?? 'GET', continued, tracestate);
    return this.span;
  }

  /** Answers from the gateway itself with a JSON error (or ends a started response on failure). */
  fail(error: MeshError): void {
    const { status, code, message } = error;
    this.failure = code;
    const res = this.res;
    if (res.headersSent) {
      // The client already has a status line: cutting the connection is the only signal left.
      res.destroy();
      return;
    }
    const body: MeshErrorBody = { error: { code, message, requestId: this.requestId } };
    const json = JSON.stringify(body);
    const headers = [
      'content-type', 'application/json; charset=utf-8',
      'content-length', String(Buffer.byteLength(json)),
      'x-request-id', this.requestId,
      // An error is about this request only: never kept by a cache.
      'cache-control', 'no-store',
      ...SECURITY_HEADERS,
    ];
    if (this.extraHeaders) headers.push(...this.extraHeaders);
    this.closeAfterAnswer(headers);
    this.status = status;
    res.writeHead(status, headers);
    res.end(json);
  }

  /** Answers from the gateway itself with `status` and no body (a CORS preflight, a route's OPTIONS). */
  answerEmpty(status: number): void {
    const headers = ['content-length', '0', 'x-request-id', this.requestId, ...SECURITY_HEADERS];
    if (this.extraHeaders) headers.push(...this.extraHeaders);
    this.closeAfterAnswer(headers);
    this.status = status;
    this.res.writeHead(status, headers);
    this.res.end();
  }

  /**
   * `Connection: close` on the gateway's own answer when the request has a body not yet read (it
   * would stall the keep-alive connection) or the gateway is closing; a request without a body keeps
   * its connection (a 404, a CORS preflight). An unread body is then read and dropped,
   * within the services' bounds (http/unread-body.ts), before the socket closes: closed at once, it
   * would be reset under a client still uploading, which then often never reads this answer.
   */
  private closeAfterAnswer(headers: string[]): void {
    // A request without a body is complete once node:http has parsed its headers, maybe not yet now.
    if (this.req.complete || (this.contentLength <= 0 && !this.chunked)) {
      if (this.ctx.closing) headers.push('connection', 'close');
      return;
    }
    headers.push('connection', 'close');
    if (this.lingering) return;
    this.lingering = true;
    lingerOnClose(this.req, lingerLimitsFor(this.bodyLimitBytes));
    // The rest of the body flows and is dropped, whoever was reading it (the upstream request has ended).
    this.req.resume();
  }

  failTooLarge(): void {
    this.fail(new PayloadTooLarge(`request body is larger than ${this.bodyLimitBytes} bytes`));
  }

  /** Adds `[name, value, ...]` to whatever answer this request gets, proxied or the gateway's own. */
  addHeaders(headers: readonly string[]): void {
    (this.extraHeaders ??= []).push(...headers);
  }

  /** True once the client's response closed (answered, or the client left). */
  isClosed(): boolean {
    return this.logged;
  }

  /**
   * Sends the request to `target`, or answers 503 when its instance is full.
   *
   * @param target - the route's service
   * @param options - what undici sends (kept for a retry)
   * @param replayable - the body can be sent again (none, or a Buffer)
   */
  send(target: ServiceUpstream, options: Dispatcher.DispatchOptions, replayable: boolean): void {
    this.target = target;
    this.dispatchOptions = options;
    this.replayable = replayable;
    if (!target.dispatch(this, options, null)) this.fail(new Unavailable(`service ${this.service} is busy`));
  }

  /** The retry: the same request once more, on another instance when there is one. */
  sendAgain(): void {
    if (this.logged || this.res.headersSent) return;
    if (!this.target!.dispatch(this, this.dispatchOptions!, this.failedUpstream)) this.fail(new Unavailable(`service ${this.service} is busy`));
  }

  /** Counts this attempt against `upstream`'s admission until it ends (onComplete or onError). */
  startAttempt(upstream: Upstream, picked: PickedInstance | null): void {
    this.slot = upstream;
    this.picked = picked;
    this.connection = null;
    this.socket = null;
    this.reusedConnection = false;
  }

  private releaseSlot(outcome: 'success' | 'failure' | 'dropped'): void {
    this.slot?.release();
    this.slot = null;
    if (this.picked !== null) {
      this.picked.release(outcome, performance.now() - this.start);
      this.picked = null;
    }
  }

  /** Whether a failed attempt may be sent again (retry.ts has the rule). */
  private mayRetry(err: Error): boolean {
    if (this.retried || !this.replayable || this.status !== 0 || this.ctx.closing) return false;
    // A second connect to the only, unreachable instance would double the wait for the same 503.
    if (this.picked === null && (err as { code?: unknown }).code === 'UND_ERR_CONNECT_TIMEOUT') return false;
    const socket = this.socket;
    return notTaken(err, {
      written: socket !== null,
      reusedConnection: this.reusedConnection,
      answerBytes: socket === null ? 0 : socket.bytesRead - this.readAtWrite,
    });
  }

  /** Cuts the request with 408 when its body sends nothing for bodyIdleTimeoutMs; off once it is read. */
  watchBodyIdle(): void {
    const req = this.req as CarrierRequest;
    req[kExchange] = this;
    req.setTimeout(this.ctx.bodyIdleTimeoutMs, onBodyIdle);
    req.once('end', onBodyRead);
  }

  /** The body stalled: answer 408 if nothing was sent yet, stop the upstream, drop the connection. */
  onBodyIdle(): void {
    this.fail(new RequestTimeout(`the request body sent nothing for ${this.ctx.bodyIdleTimeoutMs} ms`));
    this.abortUpstream?.(new ClientClosed('request body stalled'));
  }

  onConnect(abort: (err?: Error) => void): void {
    this.abortUpstream = abort;
    // undici writes the request on the connection's socket right after this returns (upstream.ts).
    const connection = this.connection;
    const socket = connection?.socket ?? null;
    if (connection !== null && socket !== null) {
      this.socket = socket;
      this.reusedConnection = connection.written++ > 0;
      this.readAtWrite = socket.bytesRead;
    }
    if (this.logged) abort(new ClientClosed('client closed the connection'));
  }

  onHeaders(statusCode: number, rawHeaders: Buffer[], resume: () => void): boolean {
    if (statusCode < 200) return true; // 1xx: Node's server sends its own 100-continue
    this.resumeUpstream = resume;
    this.status = statusCode;
    // A draining instance closes each connection it answers on: a hint to check its readiness now.
    if (this.picked !== null && saysClose(rawHeaders)) this.target!.hint();
    const headers = responseHeaders(rawHeaders, this.requestId, this.ctx.closing);
    if (this.rewrites !== null) rewriteLocationHeader(headers, this.rewrites);
    if (this.extraHeaders) headers.push(...this.extraHeaders);
    this.res.writeHead(statusCode, headers);
    return true;
  }

  onData(chunk: Buffer): boolean {
    if (this.res.write(chunk)) return true;
    // Backpressure: undici pauses the upstream socket until the client drains.
    this.res.once('drain', onResponseDrain);
    return false;
  }

  onComplete(): void {
    this.abortUpstream = null;
    this.releaseSlot('success');
    this.res.end();
  }

  onError(err: Error): void {
    this.abortUpstream = null;
    // The response's socket, not the request's: undici destroys a streamed request body when its
    // upstream connection fails, which detaches `req.socket` while the client still waits.
    const socket = this.res.socket ?? this.req.socket;
    const gone = this.logged || !socket || socket.destroyed;
    const ours = gone || err instanceof BodyTooLarge || err instanceof ClientClosed;
    const retry = !ours && this.mayRetry(err);
    const failedUpstream = this.slot;
    // The gateway's own aborts say nothing about the instance; timeouts and failures to connect do.
    this.releaseSlot(ours ? 'dropped' : 'failure');
    if (gone) return; // the client is gone: nothing to answer
    const code = (err as { code?: string }).code ?? '';
    this.upstreamError = code || err.message;
    if (!ours) this.meter?.upstreamFailed(code);
    if (retry) {
      this.retried = true;
      this.failedUpstream = failedUpstream;
      process.nextTick(sendAgain, this);
      return;
    }
    const service = this.service;
    if (err instanceof BodyTooLarge) {
      this.failTooLarge();
    } else if (UNAVAILABLE_CODES.has(code)) {
      this.fail(new Unavailable(`service ${service} is unavailable`));
    } else if (TIMEOUT_CODES.has(code)) {
      this.fail(new Timeout(`service ${service} did not answer within ${this.timeoutMs} ms`));
    } else {
      this.fail(new BadGateway(`service ${service} failed to answer`));
    }
  }

  /** The response is done: finished, or the connection closed under it. */
  onClientClose(): void {
    if (this.logged) return;
    this.logged = true;
    const res = this.res;
    if (!res.writableFinished) {
      // Left before the end (or cut by `fail` after the headers went out): stop the upstream too.
      if (this.failure === '') {
        this.failure = 'ClientClosed';
        this.status = CLIENT_CLOSED_STATUS;
      }
      this.abortUpstream?.(new ClientClosed('client closed the connection'));
    } else if (!this.req.complete) {
      // Answered before the request body was read: the connection cannot be reused. The gateway's own
      // answer lingers (closeAfterAnswer); an upstream's early answer closes at once.
      if (!this.lingering) this.req.socket?.destroy();
    } else if (this.ctx.closing) {
      // Shutting down: do not leave the connection idle (the server waits for every connection).
      this.req.socket?.end();
    }
    this.log();
  }

  private log(): void {
    this.meter?.observe(this.status, this.start);
    const entry = {
      method: this.req.method,
      path: pathOf(this.req.url ?? '/'),
      status: this.status,
      // Not `service`: that key names the process emitting the line (the gateway) on every log line.
      upstream: this.service || undefined,
      durationMs: Math.round((performance.now() - this.start) * 1000) / 1000,
      requestId: this.requestId,
      // The trace this request belongs to, and the gateway's hop in it (the parent-id sent upstream).
      traceId: this.traceparent.slice(3, 35),
      spanId: this.traceparent.slice(36, 52),
      error: this.failure || undefined,
      upstreamError: this.upstreamError || undefined,
      // The first attempt failed before the service could take it (upstreamError says how).
      retried: this.retried || undefined,
    };
    const span = this.span;
    if (span !== null) {
      Object.assign(entry, traceFieldsOf(span));
      endGatewaySpan(span, this.status, this.failure);
    }
    if (this.status >= 500) this.ctx.logger.warn(entry, 'request');
    else this.ctx.logger.info(entry, 'request');
  }
}

/** Rewrites the `Location` in `headers` (`[name, value, ...]`) back through `route`, in place. */
function rewriteLocationHeader(headers: string[], route: CompiledRoute): void {
  for (let i = 0; i < headers.length; i += 2) {
    if (headers[i]!.length === 8 && headers[i]!.toLowerCase() === 'location') headers[i + 1] = rewriteLocation(route, headers[i + 1]!);
  }
}
