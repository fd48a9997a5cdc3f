// Header translation between the client and an upstream, in one pass over the raw header lists
// (no `req.headers` object is built). Hop-by-hop headers (RFC 9110 §7.6.1) never cross the gateway;
// the ones the gateway owns (request id, forwarding headers, host) are read here and set by the proxy;
// the trace context is continued or started here (trace-context.ts).
import { boundTracestate, childTraceparent, isContinuable, newTraceparent } from './trace-context.js';
import type { Span } from '@opentelemetry/api';
import { traceparentOf } from '../observability/tracing/gateway.js';

const KEEP = 0;
const HOP = 1;
const CONNECTION = 2;
const TRANSFER_ENCODING = 3;
const CONTENT_LENGTH = 4;
const HOST = 5;
const REQUEST_ID = 6;
const FORWARDED_FOR = 7;
const FORWARDED_PROTO = 8;
const FORWARDED_HOST = 9;
const EXPECT = 10;
/** `Origin`: forwarded, and read for CORS. */
const ORIGIN = 14;
/** `Access-Control-Request-Method`: what makes an OPTIONS request a CORS preflight. */
const PREFLIGHT_METHOD = 15;
/** W3C trace context: continued with a new parent-id, or restarted (trace-context.ts). */
const TRACEPARENT = 16;
const TRACESTATE = 17;
/** Never believed from a client: identity, overrides of method or target, forwarding the gateway sets. */
const UNTRUSTED = 11;
/** What the upstream says of itself (`Server`, `X-Powered-By`): kept in requests, dropped from responses. */
const SELF_DESCRIPTION = 12;
/** Set by the gateway on every response: an upstream's own value is dropped. */
const SECURITY = 13;

const KINDS = new Map<string, number>([
  ['connection', CONNECTION],
  ['keep-alive', HOP],
  ['te', HOP],
  ['trailer', HOP],
  ['transfer-encoding', TRANSFER_ENCODING],
  ['upgrade', HOP],
  ['content-length', CONTENT_LENGTH],
  ['host', HOST],
  ['x-request-id', REQUEST_ID],
  ['x-forwarded-for', FORWARDED_FOR],
  ['x-forwarded-proto', FORWARDED_PROTO],
  ['x-forwarded-host', FORWARDED_HOST],
  ['traceparent', TRACEPARENT],
  ['tracestate', TRACESTATE],
  // The gateway's own server answers `Expect: 100-continue`; undici refuses to send it upstream.
  ['expect', EXPECT],
  // Headers some servers and frameworks read as the client's address, identity, method or target:
  // a client must not be able to choose them (`x-mesh-*`, the mesh's own, are dropped by prefix).
  ['origin', ORIGIN],
  ['access-control-request-method', PREFLIGHT_METHOD],
  ['forwarded', UNTRUSTED],
  ['x-real-ip', UNTRUSTED],
  ['x-client-ip', UNTRUSTED],
  ['true-client-ip', UNTRUSTED],
  ['x-original-url', UNTRUSTED],
  ['x-rewrite-url', UNTRUSTED],
  ['x-http-method-override', UNTRUSTED],
  ['x-http-method', UNTRUSTED],
  ['x-method-override', UNTRUSTED],
  ['x-user-id', UNTRUSTED],
  ['x-remote-user', UNTRUSTED],
  ['remote-user', UNTRUSTED],
  ['x-authenticated-user', UNTRUSTED],
  ['server', SELF_DESCRIPTION],
  ['x-powered-by', SELF_DESCRIPTION],
  ['x-content-type-options', SECURITY],
  ['x-frame-options', SECURITY],
  ['referrer-policy', SECURITY],
  ['content-security-policy', SECURITY],
]);

/**
 * Headers on every response from the gateway, proxied or its own: a JSON API is never sniffed as
 * another type, framed, given a referrer, or allowed to load anything.
 */
export const SECURITY_HEADERS: readonly string[] = Object.freeze([
  'x-content-type-options', 'nosniff',
  'x-frame-options', 'DENY',
  'referrer-policy', 'no-referrer',
  'content-security-policy', "default-src 'none'; frame-ancestors 'none'",
]);
/** Lengths of the names in KINDS: most headers are ruled out by length without lower-casing them. */
const KIND_LENGTHS = new Set([...KINDS.keys()].map((name) => name.length));

function kindOf(name: string): number {
  const kind = KIND_LENGTHS.has(name.length) ? (KINDS.get(name) ?? KINDS.get(name.toLowerCase())) : undefined;
  if (kind !== undefined) return kind;
  if (isProxyHeader(name)) return HOP;
  return isMeshHeader(name) ? UNTRUSTED : KEEP;
}

/** `x-mesh-*`: the caller identity, deadline and whatever else the mesh carries between its own services. */
function isMeshHeader(name: string): boolean {
  return name.length > 7 && (name.charCodeAt(0) | 0x20) === 0x78 && name.slice(0, 7).toLowerCase() === 'x-mesh-';
}

/** `proxy-*` (proxy-authorization, proxy-connection, ...) is meant for the hop that reads it. */
function isProxyHeader(name: string): boolean {
  return name.length > 6 && (name.charCodeAt(0) | 0x20) === 0x70 && name.slice(0, 6).toLowerCase() === 'proxy-';
}

const REQUEST_ID_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;

/** An incoming `x-request-id` is reused only when it is short and plain (it ends up in logs and headers). */
export function isSaneRequestId(value: string): boolean {
  return REQUEST_ID_PATTERN.test(value);
}

/** What the proxy needs to know about a request besides the headers it forwards. */
export interface RequestHead {
  /** A sane incoming `x-request-id`, else ``. */
  requestId: string;
  /** Declared body size, or -1 when there is no Content-Length. */
  contentLength: number;
  /** True when the body is sent with Transfer-Encoding (its size is unknown up front). */
  chunked: boolean;
  /** Incoming `x-forwarded-*` values (joined when repeated), `` when absent. */
  forwardedFor: string;
  forwardedProto: string;
  forwardedHost: string;
  /** The incoming Host, `` when absent. */
  host: string;
  /** The incoming Origin, `` when absent. */
  origin: string;
  /** Access-Control-Request-Method (a CORS preflight), `` when absent. */
  preflightMethod: string;
  /** The incoming `traceparent` (joined when repeated, so invalid); once read, the one sent upstream. */
  traceparent: string;
  /** The incoming `tracestate` (joined when repeated); once read, the one sent upstream, `` for none. */
  tracestate: string;
  /** Starts the gateway's span (tracing on) as the child of `continued` (`` for a new trace); undefined when off. */
  startSpan?(continued: string, tracestate: string): Span | undefined;
}

/**
 * The headers to forward upstream from `raw` (`req.rawHeaders`), minus hop-by-hop and gateway-owned
 * ones, plus the trace context to send upstream; fills `head` with what was read. Content-Length is
 * forwarded (undici frames the body by it).
 *
 * @param raw - `req.rawHeaders`
 * @param head - filled in; its string fields start as `` and contentLength as -1
 * @example
 * const headers = readRequestHead(req.rawHeaders, exchange);
 */
export function readRequestHead(raw: readonly string[], head: RequestHead): string[] {
  const out: string[] = [];
  let connection = '';
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!;
    const value = raw[i + 1]!;
    switch (kindOf(name)) {
      case KEEP:
      case SELF_DESCRIPTION:
      case SECURITY:
        out.push(name, value);
        break;
      case CONNECTION:
        connection = connection ? `${connection},${value}` : value;
        break;
      case TRANSFER_ENCODING:
        head.chunked = true;
        break;
      case CONTENT_LENGTH:
        head.contentLength = Number(value);
        out.push(name, value);
        break;
      case HOST:
        head.host = value;
        break;
      case ORIGIN:
        if (head.origin === '') head.origin = value;
        out.push(name, value);
        break;
      case PREFLIGHT_METHOD:
        head.preflightMethod = value;
        out.push(name, value);
        break;
      case REQUEST_ID:
        if (head.requestId === '' && isSaneRequestId(value)) head.requestId = value;
        break;
      case FORWARDED_FOR:
        head.forwardedFor = head.forwardedFor ? `${head.forwardedFor}, ${value}` : value;
        break;
      case FORWARDED_PROTO:
        if (head.forwardedProto === '') head.forwardedProto = value;
        break;
      case FORWARDED_HOST:
        if (head.forwardedHost === '') head.forwardedHost = value;
        break;
      case TRACEPARENT:
        head.traceparent = head.traceparent ? `${head.traceparent},${value}` : value;
        break;
      case TRACESTATE:
        head.tracestate = head.tracestate ? `${head.tracestate},${value}` : value;
        break;
      default: // HOP, EXPECT, UNTRUSTED
        break;
    }
  }
  const headers = connection ? dropConnectionOptions(out, connection) : out;
  addTraceContext(head, headers);
  return headers;
}

/** Sets `head`'s trace context to the one sent upstream, and adds it to `headers`. */
function addTraceContext(head: RequestHead, headers: string[]): void {
  const continued = isContinuable(head.traceparent);
  // A tracestate belongs to its traceparent: a restarted trace does not carry it on (the spec's rule).
  head.tracestate = continued && head.tracestate !== '' ? boundTracestate(head.tracestate) : '';
  // Traced: the gateway's own span is the parent upstream. Otherwise a new parent-id stands for the hop.
  const span = head.startSpan?.(continued ? head.traceparent : '', head.tracestate);
  head.traceparent = span ? traceparentOf(span) : continued ? childTraceparent(head.traceparent) : newTraceparent();
  headers.push('traceparent', head.traceparent);
  if (head.tracestate !== '') headers.push('tracestate', head.tracestate);
}

const DROPPED_FROM_RESPONSES = new Set([HOP, TRANSFER_ENCODING, REQUEST_ID, UNTRUSTED, SELF_DESCRIPTION, SECURITY]);

/**
 * The response headers to send the client from undici's raw list (`[name, value, ...]` as Buffers),
 * minus hop-by-hop ones, the upstream's own `x-request-id`, what it says of itself (`Server`,
 * `X-Powered-By`), `x-mesh-*` and its security headers; plus the gateway's request id and SECURITY_HEADERS.
 * Latin-1 round-trips header bytes unchanged (Node writes header strings as Latin-1).
 */
export function responseHeaders(raw: readonly Buffer[], requestId: string, close: boolean): string[] {
  let out: string[] = [];
  let connection = '';
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!.toString('latin1');
    const kind = kindOf(name);
    if (kind === CONNECTION) {
      const value = raw[i + 1]!.toString('latin1');
      connection = connection ? `${connection},${value}` : value;
    } else if (!DROPPED_FROM_RESPONSES.has(kind)) {
      out.push(name, raw[i + 1]!.toString('latin1'));
    }
  }
  if (connection) out = dropConnectionOptions(out, connection);
  out.push('x-request-id', requestId, ...SECURITY_HEADERS);
  if (close) out.push('connection', 'close');
  return out;
}

/** Headers a `Connection` header names are hop-by-hop too (`close` and `keep-alive` name none we keep). */
function dropConnectionOptions(headers: string[], connection: string): string[] {
  const plain = connection.length <= 10 ? connection.toLowerCase() : '';
  if (plain === 'keep-alive' || plain === 'close') return headers; // nearly every request and response
  const named = new Set<string>();
  for (const token of connection.split(',')) {
    const option = token.trim().toLowerCase();
    if (option !== '' && option !== 'close' && option !== 'keep-alive') named.add(option);
  }
  if (named.size === 0) return headers;
  const kept: string[] = [];
  for (let i = 0; i < headers.length; i += 2) {
    if (!named.has(headers[i]!.toLowerCase())) kept.push(headers[i]!, headers[i + 1]!);
  }
  return kept;
}
