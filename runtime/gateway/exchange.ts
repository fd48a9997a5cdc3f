// One proxied request: the undici dispatch handler that streams the upstream response into the
// client's ServerResponse, maps upstream failures to JSON errors and writes the access log line.
// A plain object whose methods live on the prototype: no closures are made per request.
//
// It implements undici's native handler protocol (onConnect/onHeaders/onData/...): undici's
// clients speak it internally, so it gets the raw header list and needs no wrapper or header
// parsing per response (the newer onResponse* protocol is adapted onto it per request).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { Logger } from 'pino';
import type { Dispatcher } from 'undici';
import { BadGateway, PayloadTooLarge, Timeout, Unavailable, type MeshError, type MeshErrorBody } from '../errors/index.js';
import { responseHeaders, type RequestHead } from './headers.js';
import { pathOf } from './router.js';

/** What every exchange shares with the gateway that made it. */
export interface ExchangeContext {
  readonly logger: Logger;
  readonly timeoutMs: number;
  readonly bodyLimitBytes: number;
  /** True once the gateway is shutting down: responses then close their connection. */
  closing: boolean;
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

export class Exchange implements Dispatcher.DispatchHandler, RequestHead {
  requestId = '';
  contentLength = -1;
  chunked = false;
  forwardedFor = '';
  forwardedProto = '';
  forwardedHost = '';
  host = '';
  /** The upstream service, `` until a route matched. */
  service = '';
  resumeUpstream: (() => void) | null = null;
  private abortUpstream: ((err?: Error) => void) | null = null;
  /** Status sent to the client (0 until headers are written). */
  private status = 0;
  /** Code of the failure that ended the exchange, `` when none. */
  private failure = '';
  private upstreamError = '';
  private logged = false;
  private readonly start = performance.now();

  constructor(
    private readonly ctx: ExchangeContext,
    readonly req: IncomingMessage,
    readonly res: ServerResponse,
  ) {
    (res as CarrierResponse)[kExchange] = this;
    res.on('close', onResponseClose);
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
    ];
    // An unread request body would otherwise stall the keep-alive connection.
    if (!this.req.complete || this.ctx.closing) headers.push('connection', 'close');
    this.status = status;
    res.writeHead(status, headers);
    res.end(json);
  }

  failTooLarge(): void {
    this.fail(new PayloadTooLarge(`request body is larger than ${this.ctx.bodyLimitBytes} bytes`));
  }

  onConnect(abort: (err?: Error) => void): void {
    this.abortUpstream = abort;
    if (this.logged) abort(new ClientClosed('client closed the connection'));
  }

  onHeaders(statusCode: number, rawHeaders: Buffer[], resume: () => void): boolean {
    if (statusCode < 200) return true; // 1xx: Node's server sends its own 100-continue
    this.resumeUpstream = resume;
    this.status = statusCode;
    this.res.writeHead(statusCode, responseHeaders(rawHeaders, this.requestId, this.ctx.closing));
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
    this.res.end();
  }

  onError(err: Error): void {
    this.abortUpstream = null;
    if (this.logged || this.req.socket.destroyed) return; // the client is gone: nothing to answer
    const code = (err as { code?: string }).code ?? '';
    this.upstreamError = code || err.message;
    const service = this.service;
    if (err instanceof BodyTooLarge) {
      this.failTooLarge();
    } else if (UNAVAILABLE_CODES.has(code)) {
      this.fail(new Unavailable(`service ${service} is unavailable`));
    } else if (TIMEOUT_CODES.has(code)) {
      this.fail(new Timeout(`service ${service} did not answer within ${this.ctx.timeoutMs} ms`));
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
      // Answered before the request body was read: the connection cannot be reused.
      this.req.socket.destroy();
    } else if (this.ctx.closing) {
      // Shutting down: do not leave the connection idle (the server waits for every connection).
      this.req.socket.end();
    }
    this.log();
  }

  private log(): void {
    const entry = {
      method: this.req.method,
      path: pathOf(this.req.url ?? '/'),
      status: this.status,
      // Not `service`: that key names the process emitting the line (the gateway) on every log line.
      upstream: this.service || undefined,
      durationMs: Math.round((performance.now() - this.start) * 1000) / 1000,
      requestId: this.requestId,
      error: this.failure || undefined,
      upstreamError: this.upstreamError || undefined,
    };
    if (this.status >= 500) this.ctx.logger.warn(entry, 'request');
    else this.ctx.logger.info(entry, 'request');
  }
}
