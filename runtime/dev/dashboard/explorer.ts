// POST /api/explorer/call: one call of an endpoint as a client of the mesh makes it, through the
// gateway when a route reaches the endpoint (else straight to its service), with the development
// token, and a fresh traceparent so the answer can name the trace the call produced.
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { request } from 'undici';
import type { Catalog, CatalogEndpoint, ExplorerAnswer, ExplorerRequest } from './api-types.js';
import { closest } from '../../../common/closest.js';
import { ApiProblem } from './problem.js';

/** How long the explorer waits for the stack's answer (headers, then between body chunks), ms. */
export const EXPLORER_TIMEOUT_MS = 30_000;
/** The most of an answer's body the explorer keeps, bytes. */
export const MAX_ANSWER_BYTES = 1024 * 1024;

/** Headers the explorer sets itself or that would break the request it makes. */
const RESERVED_HEADERS = new Set(['host', 'content-length', 'transfer-encoding', 'connection', 'keep-alive', 'upgrade', 'te', 'trailer', 'expect', 'proxy-connection', 'traceparent', 'tracestate']);
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,100}$/;

/**
 * An explorer call, ready to send.
 *
 * @example
 * const call = buildExplorerCall(catalog, { endpoint: 'users.getUser', params: { id: '1' } }, { token });
 */
export interface ExplorerCall {
  readonly method: string;
  readonly url: string;
  readonly via: 'gateway' | 'service';
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string | null;
  readonly traceId: string;
}

/**
 * Checks an explorer request's shape: an object with `endpoint` (a string), and `params` and
 * `headers` objects of strings when given.
 *
 * @param value - the parsed request body
 * @throws ApiProblem 400 naming what is wrong
 * @example
 * const request = explorerRequestOf(await readJsonBody(req));
 */
export function explorerRequestOf(value: unknown): ExplorerRequest {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw bad('the body must be a JSON object: { "endpoint": "<service>.<endpoint>", "params": {...}, "input": ..., "headers": {...} }');
  const request = value as Record<string, unknown>;
  for (const key of Object.keys(request)) {
    if (!['endpoint', 'params', 'input', 'headers'].includes(key)) throw bad(`unknown field '${key.slice(0, 40)}' (endpoint, params, input, headers)`);
  }
  if (typeof request['endpoint'] !== 'string' || request['endpoint'] === '') throw bad("'endpoint' must be an endpoint id such as users.createUser");
  for (const field of ['params', 'headers'] as const) {
    const entries = request[field];
    if (entries === undefined) continue;
    if (typeof entries !== 'object' || entries === null || Array.isArray(entries) || Object.values(entries).some((v) => typeof v !== 'string')) {
      throw bad(`'${field}' must be an object of strings`);
    }
  }
  return request as unknown as ExplorerRequest;
}

/**
 * Makes the call an explorer request asks for: the endpoint found in the catalog, its path filled
 * (each parameter required, percent-encoded), its input as the JSON body or the query string, the
 * gateway's URL when a route reaches it (else the service's), the development token unless the
 * request brings its own `authorization`, and a new traceparent.
 *
 * @param catalog - the stack's catalog now
 * @param request - what the page asks
 * @param options - the development token, if any
 * @throws ApiProblem 404 for an unknown endpoint (naming the closest one), 400 for a missing parameter or an input of the wrong shape
 * @example
 * buildExplorerCall(catalog, { endpoint: 'users.getUser', params: { id: '7' } }, { token: 'eyJ...' });
 * // { method: 'GET', url: 'http://127.0.0.1:8080/api/v1/users/7', via: 'gateway', headers: { authorization: 'Bearer eyJ...', traceparent: '00-…-…-01' }, body: null, traceId: '…' }
 */
export function buildExplorerCall(catalog: Catalog, request: ExplorerRequest, options: { readonly token?: string | undefined }): ExplorerCall {
  const [serviceName] = request.endpoint.split('.');
  const service = catalog.services.find((s) => s.name === serviceName);
  const endpoint = service?.endpoints.find((e) => e.id === request.endpoint);
  if (!service || !endpoint) {
    const ids = catalog.services.flatMap((s) => s.endpoints.map((e) => e.id));
    // A name past 200 characters is no typo of an endpoint id (and not worth a distance table).
    const near = request.endpoint.length <= 200 ? closest(request.endpoint, ids, Math.max(2, Math.floor(request.endpoint.length / 4))) : undefined;
    throw new ApiProblem(404, 'unknown_endpoint', `no endpoint ${request.endpoint.slice(0, 100)}${near ? ` (did you mean ${near}?)` : ''}`);
  }
  const viaGateway = endpoint.gatewayPath !== null && catalog.gateway !== null && catalog.gateway.url !== '';
  const base = viaGateway ? catalog.gateway!.url : service.http;
  if (base === '') throw new ApiProblem(502, 'stack_unreachable', `${service.name} is not running`);
  const path = fillPath(endpoint, request.params ?? {});
  const { query, body } = placeInput(endpoint, request.input);
  const traceId = randomBytes(16).toString('hex');
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers ?? {})) {
    if (!HEADER_NAME.test(name) || /[\r\n\0]/.test(value)) throw bad(`header ${name.slice(0, 40)} is not a valid header`);
    if (!RESERVED_HEADERS.has(name.toLowerCase())) headers[name.toLowerCase()] = value;
  }
  if (headers['authorization'] === undefined && options.token !== undefined) headers['authorization'] = `Bearer ${options.token}`;
  if (body !== null) headers['content-type'] = 'application/json';
  headers['traceparent'] = `00-${traceId}-${randomBytes(8).toString('hex')}-01`;
  return { method: endpoint.method, url: `${base}${path}${query}`, via: viaGateway ? 'gateway' : 'service', headers, body, traceId };
}

/**
 * Sends an explorer call and answers with what came back. The development token is shown as
 * `Bearer <development token>` in the answer's request headers: the page never holds it.
 *
 * @param call - the call (buildExplorerCall)
 * @param options - the development token (to hide it) and the timeout
 * @throws ApiProblem 502 when the stack did not answer
 * @example
 * const answer = await sendExplorerCall(call, { token });
 */
export async function sendExplorerCall(call: ExplorerCall, options: { readonly token?: string | undefined; readonly timeoutMs?: number } = {}): Promise<ExplorerAnswer> {
  const timeoutMs = options.timeoutMs ?? EXPLORER_TIMEOUT_MS;
  const started = performance.now();
  let status: number;
  let headers: Record<string, string>;
  let text: string;
  try {
    const res = await request(call.url, {
      method: call.method as 'GET',
      headers: call.headers,
      body: call.body,
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
    });
    status = res.statusCode;
    headers = Object.fromEntries(Object.entries(res.headers).map(([name, value]) => [name, Array.isArray(value) ? value.join(', ') : String(value ?? '')]));
    text = await boundedText(res.body);
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    const why = typeof code === 'string' ? code : (err as Error).name;
    throw new ApiProblem(502, 'stack_unreachable', `the ${call.via} did not answer ${call.method} ${new URL(call.url).pathname}: ${why}`);
  }
  const shown = { ...call.headers };
  if (options.token !== undefined && shown['authorization'] === `Bearer ${options.token}`) shown['authorization'] = 'Bearer <development token>';
  return {
    request: { method: call.method, url: call.url, via: call.via, headers: shown },
    status,
    headers,
    body: parsed(text),
    durationMs: Math.round((performance.now() - started) * 10) / 10,
    traceId: call.traceId,
  };
}

/** The path with its parameters filled in, each percent-encoded; a missing one is refused. */
function fillPath(endpoint: CatalogEndpoint, params: Readonly<Record<string, string>>): string {
  const template = endpoint.gatewayPath ?? endpoint.path;
  for (const name of endpoint.pathParams) {
    if (params[name] === undefined || params[name] === '') throw bad(`path parameter '${name}' is required by ${endpoint.id} (${endpoint.path})`);
  }
  return template.replace(/\{([^}]+)\}/g, (_, name: string) => encodeURIComponent(params[name] ?? ''));
}

/** Where the input travels: a JSON body, a query string (each field; arrays repeated, objects as JSON), or nowhere. */
function placeInput(endpoint: CatalogEndpoint, input: unknown): { query: string; body: string | null } {
  if (endpoint.inputSource === 'body') return { query: '', body: JSON.stringify(input === undefined ? {} : input) };
  if (endpoint.inputSource === 'none' || input === undefined || input === null) return { query: '', body: null };
  if (typeof input !== 'object' || Array.isArray(input)) throw bad(`the input of ${endpoint.id} travels in the query string: send an object of its fields`);
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(input)) {
    for (const item of Array.isArray(value) ? value : [value]) {
      if (item === undefined || item === null) continue;
      query.append(name, typeof item === 'object' ? JSON.stringify(item) : String(item));
    }
  }
  const text = query.toString();
  return { query: text === '' ? '' : `?${text}`, body: null };
}

/** At most MAX_ANSWER_BYTES of a body, as text; the rest is not read. */
async function boundedText(body: AsyncIterable<Buffer> & { destroy(): unknown }): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    const room = MAX_ANSWER_BYTES - size;
    chunks.push(chunk.length > room ? chunk.subarray(0, room) : chunk);
    size += Math.min(chunk.length, room);
    if (size >= MAX_ANSWER_BYTES) {
      body.destroy();
      break;
    }
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** The JSON value of a body, the text when it is not JSON, null when empty. */
function parsed(text: string): unknown {
  if (text === '') return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}


function bad(message: string): ApiProblem {
  return new ApiProblem(400, 'bad_request', message);
}
