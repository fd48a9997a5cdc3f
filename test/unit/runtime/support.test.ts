// Small pieces: discovery, headers, routes, env settings, readable dev logs.
import { describe, expect, it } from 'vitest';
import { callerFrom, deadlineFrom, encodeCaller, requestIdFrom } from '../../../runtime/http/headers.js';
import { bySpecificity, toExpressPath } from '../../../runtime/http/params.js';
import { formatLine } from '../../../runtime/logging/index.js';
import { createLogger, createPrefixedDestination, resolveGrpcAddress, resolveHttpOrigin, settingsFromEnv } from '../../support/runtime.js';

describe('discovery', () => {
  it('uses the spec port on 127.0.0.1 by default', () => {
    expect(resolveHttpOrigin('users', 3001, undefined, {})).toBe('http://127.0.0.1:3001');
    expect(resolveGrpcAddress('users', 50051, undefined, {})).toBe('127.0.0.1:50051');
  });

  it('prefers MESH_<SERVICE>_HTTP / _GRPC', () => {
    const env = { MESH_USERS_HTTP: 'http://users.shop.svc.cluster.local:3001/', MESH_USERS_GRPC: 'users.shop.svc.cluster.local:50051' };
    expect(resolveHttpOrigin('users', 3001, undefined, env)).toBe('http://users.shop.svc.cluster.local:3001');
    expect(resolveGrpcAddress('users', 50051, undefined, env)).toBe('users.shop.svc.cluster.local:50051');
  });

  it('prefers an in-code override over the environment', () => {
    const env = { MESH_USERS_HTTP: 'http://elsewhere:1' };
    expect(resolveHttpOrigin('users', 3001, { http: { users: 'http://127.0.0.1:40001' } }, env)).toBe('http://127.0.0.1:40001');
    expect(resolveGrpcAddress('users', 1, { grpc: { users: '127.0.0.1:40002' } }, {})).toBe('127.0.0.1:40002');
  });

  it('rejects malformed addresses with the variable name', () => {
    expect(() => resolveHttpOrigin('users', 1, undefined, { MESH_USERS_HTTP: 'users:3001' })).toThrow('MESH_USERS_HTTP');
    expect(() => resolveGrpcAddress('users', 1, undefined, { MESH_USERS_GRPC: 'http://users' })).toThrow('MESH_USERS_GRPC');
  });
});

describe('mesh headers', () => {
  it('accepts only sane request ids', () => {
    expect(requestIdFrom('abc-1.2:3_4')).toBe('abc-1.2:3_4');
    expect(requestIdFrom('bad id')).not.toBe('bad id');
    expect(requestIdFrom(undefined)).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('reads a deadline in epoch ms, ignoring garbage', () => {
    expect(deadlineFrom('1700000000000')).toBe(1700000000000);
    expect(deadlineFrom('soon')).toBeNull();
    expect(deadlineFrom('-5')).toBeNull();
    expect(deadlineFrom(undefined)).toBeNull();
  });

  it('round-trips a caller and ignores malformed ones', () => {
    const caller = { subject: 'u1', service: 'gateway', roles: ['admin'] };
    expect(callerFrom(encodeCaller(caller))).toEqual(caller);
    expect(callerFrom(Buffer.from('{"roles":[]}').toString('base64url'))).toBeNull();
    expect(callerFrom(Buffer.from('{"subject":"u","roles":[1]}').toString('base64url'))).toBeNull();
    expect(callerFrom('%%%')).toBeNull();
  });
});

describe('routes', () => {
  it('turns spec paths into Express paths', () => {
    expect(toExpressPath('/users/{id}/orders/{orderId}')).toBe('/users/:id/orders/:orderId');
  });

  it('orders literal segments before parameters', () => {
    expect(['/users/{id}', '/users/me', '/users'].sort(bySpecificity)).toEqual(['/users', '/users/me', '/users/{id}']);
  });

  it('orders a literal before a parameter whatever else is in the list (a total order)', () => {
    // The orders service's paths once sorted /orders/{id} before /orders/placements: the comparator
    // called them equal through /orders and /orders/{id}/cancel, and 405 answered with GET's Allow.
    const paths = ['/orders/{id}/cancel', '/placed-orders/{id}/cancel', '/orders', '/orders/placements/{id}', '/orders/{id}', '/orders/placements', '/placed-orders/{id}'];
    for (let shift = 0; shift < paths.length; shift++) {
      const sorted = [...paths.slice(shift), ...paths.slice(0, shift)].sort(bySpecificity);
      expect(sorted.indexOf('/orders/placements')).toBeLessThan(sorted.indexOf('/orders/{id}'));
      expect(sorted.indexOf('/orders/placements/{id}')).toBeLessThan(sorted.indexOf('/orders/{id}/cancel'));
    }
  });
});

describe('settingsFromEnv', () => {
  const defaults = { bodyLimitBytes: 1024, shutdownGraceMs: 10_000 };

  it('uses the spec values without env', () => {
    expect(settingsFromEnv(defaults, {})).toEqual({ host: '0.0.0.0', bodyLimitBytes: 1024, shutdownGraceMs: 10_000, shutdownDelayMs: 0 });
  });

  it('reads PORT, GRPC_PORT, HOST, BODY_LIMIT, SHUTDOWN_GRACE and SHUTDOWN_DELAY', () => {
    const env = { PORT: '8081', GRPC_PORT: 'off', HOST: '127.0.0.1', BODY_LIMIT: '2mb', SHUTDOWN_GRACE: '3s', SHUTDOWN_DELAY: '5s' };
    expect(settingsFromEnv(defaults, env)).toEqual({
      host: '127.0.0.1',
      httpPort: 8081,
      grpcPort: null,
      bodyLimitBytes: 2 * 1024 * 1024,
      shutdownGraceMs: 3000,
      shutdownDelayMs: 5000,
    });
  });

  it('names the variable that is wrong', () => {
    expect(() => settingsFromEnv(defaults, { PORT: 'eighty' })).toThrow("PORT must be a port number (0-65535), got 'eighty'");
    expect(() => settingsFromEnv(defaults, { BODY_LIMIT: 'lots' })).toThrow('BODY_LIMIT');
    expect(() => settingsFromEnv(defaults, { SHUTDOWN_DELAY: 'soon' })).toThrow('SHUTDOWN_DELAY');
  });

  it('refuses a grace period longer than a timer can wait (it would fire after 1 ms)', () => {
    expect(() => settingsFromEnv(defaults, { SHUTDOWN_GRACE: '600h' })).toThrow("SHUTDOWN_GRACE must be at most 2147483647 ms (about 596h), got '600h'");
    expect(settingsFromEnv(defaults, { SHUTDOWN_GRACE: '596h' }).shutdownGraceMs).toBe(596 * 3_600_000);
  });
});

describe('dev log lines', () => {
  it('prefixes lines with the service and keeps the extra fields compact', () => {
    const out: string[] = [];
    const logger = createLogger({ service: 'users', level: 'info', destination: createPrefixedDestination({ write: (t: string) => out.push(t) }) });
    logger.child({ requestId: 'r1' }).info({ status: 200, route: { a: 1 } }, 'request');
    expect(out).toHaveLength(1);
    expect(out[0]).toMatch(/^\[users\] \d\d:\d\d:\d\d\.\d{3} INFO  request requestId=r1 status=200 route=\{"a":1\}\n$/);
  });

  it('puts an error stack on prefixed lines below', () => {
    const line = JSON.stringify({ level: 50, time: 0, service: 'orders', msg: 'failed', err: { type: 'Error', message: 'boom', stack: 'Error: boom\n    at x' } });
    expect(formatLine(line).split('\n')).toEqual([expect.stringMatching(/^\[orders\] .* ERROR failed$/), '[orders]     Error: boom', '[orders]         at x']);
  });

  it('passes through lines that are not JSON', () => {
    expect(formatLine('plain text')).toBe('plain text');
  });
});
