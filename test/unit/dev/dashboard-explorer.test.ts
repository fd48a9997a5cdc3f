// The explorer's request building, the stream's framing, the health mapping and the checks of the
// list and replay inputs: everything of the dashboard that decides without a server.
import { describe, expect, it } from 'vitest';
import type { Catalog, CatalogEndpoint } from '../../../runtime/dev/dashboard/api-types.js';
import { deadLetterFilterOf, replayRequestOf } from '../../../runtime/dev/dashboard/dead-letters.js';
import { buildExplorerCall, explorerRequestOf } from '../../../runtime/dev/dashboard/explorer.js';
import { healthOf } from '../../../runtime/dev/dashboard/health.js';
import { sagaQueryOf } from '../../../runtime/dev/dashboard/sagas.js';
import { formatEvent, RETRY_MS } from '../../../runtime/dev/dashboard/stream.js';

const endpoint = (id: string, extra: Partial<CatalogEndpoint>): CatalogEndpoint => ({
  id, name: id.split('.')[1]!, method: 'GET', path: '/', gatewayPath: null, public: false, pathParams: [], inputSource: 'none',
  input: 'x', output: null, successStatus: 200, errors: [], idempotent: true, startsSaga: null, ...extra,
});

const catalog: Catalog = {
  mesh: 'shop',
  services: [
    {
      name: 'users', version: '1', http: 'http://127.0.0.1:3001', grpc: null, storage: false, calls: [], publishes: [], subscribes: [],
      endpoints: [
        endpoint('users.createUser', { method: 'POST', path: '/users', gatewayPath: '/api/v1/users', inputSource: 'body', successStatus: 201 }),
        endpoint('users.getUser', { path: '/users/{id}', gatewayPath: '/api/v1/users/{id}', pathParams: ['id'] }),
        endpoint('users.listUsers', { path: '/users', gatewayPath: '/api/v1/users', inputSource: 'query' }),
        endpoint('users.audit', { method: 'POST', path: '/audit/{day}', pathParams: ['day'], inputSource: 'body' }),
      ],
    },
  ],
  events: [],
  gateway: { url: 'http://127.0.0.1:8080', auth: 'jwt', routes: [] },
  sagas: [],
  schemas: {},
};

describe('dashboard explorer requests', () => {
  it('calls through the gateway with the JSON body, the development token and a fresh traceparent', () => {
    const call = buildExplorerCall(catalog, { endpoint: 'users.createUser', input: { email: 'a@b.c', name: 'A' } }, { token: 'tok' });
    expect(call).toMatchObject({ method: 'POST', url: 'http://127.0.0.1:8080/api/v1/users', via: 'gateway', body: '{"email":"a@b.c","name":"A"}' });
    expect(call.headers['authorization']).toBe('Bearer tok');
    expect(call.headers['content-type']).toBe('application/json');
    expect(call.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(call.headers['traceparent']).toMatch(new RegExp(`^00-${call.traceId}-[0-9a-f]{16}-01$`));
    expect(buildExplorerCall(catalog, { endpoint: 'users.createUser', input: {} }, {}).traceId).not.toBe(call.traceId);
  });

  it('fills path parameters percent-encoded, and refuses a missing one', () => {
    const call = buildExplorerCall(catalog, { endpoint: 'users.getUser', params: { id: 'a/b c?' } }, {});
    expect(call.url).toBe('http://127.0.0.1:8080/api/v1/users/a%2Fb%20c%3F');
    expect(call.body).toBeNull();
    expect(call.headers['content-type']).toBeUndefined();
    expect(call.headers['authorization']).toBeUndefined();
    expect(() => buildExplorerCall(catalog, { endpoint: 'users.getUser' }, {})).toThrow(expect.objectContaining({ status: 400, message: expect.stringContaining("'id'") }));
  });

  it('puts a query input in the query string: arrays repeated, objects as JSON', () => {
    const call = buildExplorerCall(catalog, { endpoint: 'users.listUsers', input: { limit: 5, tag: ['a', 'b'], where: { x: 1 }, skip: null } }, {});
    expect(call.url).toBe('http://127.0.0.1:8080/api/v1/users?limit=5&tag=a&tag=b&where=%7B%22x%22%3A1%7D');
    expect(() => buildExplorerCall(catalog, { endpoint: 'users.listUsers', input: [1] }, {})).toThrow(expect.objectContaining({ status: 400 }));
  });

  it('calls the service itself when no route reaches the endpoint', () => {
    const call = buildExplorerCall(catalog, { endpoint: 'users.audit', params: { day: '2026-12-03' }, input: {} }, { token: 'tok' });
    expect(call).toMatchObject({ url: 'http://127.0.0.1:3001/audit/2026-12-03', via: 'service' });
  });

  it('lets the request\'s own authorization win and drops headers it must set itself', () => {
    const call = buildExplorerCall(catalog, { endpoint: 'users.getUser', params: { id: '1' }, headers: { Authorization: 'Bearer mine', 'X-Request-Id': 'r1', Host: 'evil', traceparent: 'x', 'content-length': '9' } }, { token: 'tok' });
    expect(call.headers).toMatchObject({ authorization: 'Bearer mine', 'x-request-id': 'r1' });
    expect(call.headers['host']).toBeUndefined();
    expect(call.headers['content-length']).toBeUndefined();
    expect(call.headers['traceparent']).not.toBe('x');
    expect(() => buildExplorerCall(catalog, { endpoint: 'users.getUser', params: { id: '1' }, headers: { 'x-a': 'b\r\nx-evil: 1' } }, {})).toThrow(expect.objectContaining({ status: 400 }));
  });

  it('answers 404 for an unknown endpoint, naming the one meant', () => {
    expect(() => buildExplorerCall(catalog, { endpoint: 'users.createUsr' }, {})).toThrow(expect.objectContaining({ status: 404, message: 'no endpoint users.createUsr (did you mean users.createUser?)' }));
    expect(() => buildExplorerCall(catalog, { endpoint: 'nothing.like.it' }, {})).toThrow(expect.objectContaining({ status: 404, message: 'no endpoint nothing.like.it' }));
  });

  it('checks the request\'s shape', () => {
    expect(explorerRequestOf({ endpoint: 'users.getUser', params: { id: '1' } })).toEqual({ endpoint: 'users.getUser', params: { id: '1' } });
    for (const bad of [null, [], 'x', {}, { endpoint: 3 }, { endpoint: 'a.b', params: { id: 1 } }, { endpoint: 'a.b', headers: [] }, { endpoint: 'a.b', extra: 1 }]) {
      expect(() => explorerRequestOf(bad), JSON.stringify(bad)).toThrow(expect.objectContaining({ status: 400 }));
    }
  });
});

describe('dashboard stream framing', () => {
  it('frames an event as one event line and one data line of JSON', () => {
    expect(formatEvent('traces', { latest: 'abc' })).toBe('event: traces\ndata: {"latest":"abc"}\n\n');
    // A newline inside a value stays escaped inside the JSON: one data line.
    expect(formatEvent('sagas', { at: 1, note: 'a\nb' }).split('\n')).toEqual(['event: sagas', 'data: {"at":1,"note":"a\\nb"}', '', '']);
    expect(RETRY_MS).toBeGreaterThan(0);
  });
});

describe('dashboard health', () => {
  it('maps a /ready answer to a node health', () => {
    expect(healthOf(200, { status: 'ready' })).toBe('ready');
    expect(healthOf(200, { status: 'degraded' })).toBe('degraded');
    expect(healthOf(503, { status: 'not ready' })).toBe('not ready');
    expect(healthOf(503, { status: 'starting' })).toBe('starting');
    expect(healthOf(503, { status: 'draining' })).toBe('not ready');
    expect(healthOf(200, { status: 'ok' })).toBe('ready');
    expect(healthOf(503, { status: 'closing' })).toBe('not ready');
    expect(healthOf(200, null)).toBe('ready');
  });
});

describe('dashboard list and replay inputs', () => {
  it('reads the sagas query and refuses bad values', () => {
    expect(sagaQueryOf(new URLSearchParams(''))).toEqual({ limit: 50 });
    expect(sagaQueryOf(new URLSearchParams('state=stuck&limit=20'))).toEqual({ state: 'stuck', limit: 20 });
    for (const q of ['state=lost', 'limit=0', 'limit=201', 'limit=x', 'limit=1.5']) expect(() => sagaQueryOf(new URLSearchParams(q)), q).toThrow(expect.objectContaining({ status: 400 }));
  });

  it('reads the dead letters filter', () => {
    expect(deadLetterFilterOf(new URLSearchParams('service=orders&event=payment.completed&limit=3'))).toEqual({ service: 'orders', event: 'payment.completed', limit: 3 });
    expect(deadLetterFilterOf(new URLSearchParams(''))).toEqual({ limit: 500 });
    expect(() => deadLetterFilterOf(new URLSearchParams('limit=501'))).toThrow(expect.objectContaining({ status: 400 }));
  });

  it('checks a replay request', () => {
    expect(replayRequestOf({ service: 'orders', ids: 'all' }, ['orders'])).toEqual({ service: 'orders', ids: 'all' });
    expect(replayRequestOf({ service: 'orders', ids: ['1-0'] }, ['orders'])).toEqual({ service: 'orders', ids: ['1-0'] });
    for (const bad of [null, { service: 'orders' }, { service: 'orders', ids: [] }, { service: 'orders', ids: [1] }, { service: '', ids: 'all' }, { service: 'orders', ids: 'some' }, { service: 'orders', ids: 'all', x: 1 }]) {
      expect(() => replayRequestOf(bad, ['orders']), JSON.stringify(bad)).toThrow(expect.objectContaining({ status: 400 }));
    }
    expect(() => replayRequestOf({ service: 'billing', ids: 'all' }, ['orders'])).toThrow(expect.objectContaining({ status: 404 }));
  });
});
