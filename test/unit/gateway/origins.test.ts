import { afterEach, describe, expect, it } from 'vitest';
import { defaultResolveInstances, defaultResolveOrigin, normalizeOrigin, normalizeOrigins } from '../../../runtime/gateway/origins.js';
import type { GatewayConfig } from '../../../runtime/gateway/types.js';

const config: GatewayConfig = {
  mesh: 'shop',
  port: 8080,
  timeoutMs: 1000,
  bodyLimitBytes: 1000,
  routes: [{ prefix: '/api/users', service: 'users', rewrite: '/users' }],
  services: { users: { httpPort: 3001 } },
};

afterEach(() => {
  delete process.env.MESH_USERS_HTTP;
});

describe('defaultResolveOrigin', () => {
  it('uses the spec port on 127.0.0.1 by default', () => {
    expect(defaultResolveOrigin(config)('users')).toBe('http://127.0.0.1:3001');
  });

  it('prefers MESH_<SERVICE>_HTTP', () => {
    process.env.MESH_USERS_HTTP = 'http://users.shop.svc:3001';
    expect(defaultResolveOrigin(config)('users')).toBe('http://users.shop.svc:3001');
  });

  it('names a routed service that has no port', () => {
    expect(() => defaultResolveOrigin(config)('ghost')).toThrow(/ghost/);
  });
});

describe('normalizeOrigin', () => {
  it('keeps only scheme, host and port', () => {
    expect(normalizeOrigin('users', 'http://users:3001/some/path?x')).toBe('http://users:3001');
  });
  it.each(['users:3001', 'ftp://users', 'not a url'])('rejects %s with the service name', (origin) => {
    expect(() => normalizeOrigin('users', origin)).toThrow(/service users/);
  });
});

describe('instances', () => {
  it('reads a list from MESH_<SERVICE>_HTTP', () => {
    process.env.MESH_USERS_HTTP = 'http://b:3001, http://a:3001/';
    expect(defaultResolveInstances(config)('users')).toEqual(['http://a:3001', 'http://b:3001']);
  });

  it('defaults to the spec port', () => {
    expect(defaultResolveInstances(config)('users')).toEqual(['http://127.0.0.1:3001']);
  });

  it('splits and normalizes comma-separated origins, without duplicates', () => {
    expect(normalizeOrigins('users', ['http://a:1/x, http://b:2', 'http://a:1'])).toEqual(['http://a:1', 'http://b:2']);
  });

  it.each([[['']], [['http://a:1, ftp://b']]])('rejects %j with the service name', (values) => {
    expect(() => normalizeOrigins('users', values)).toThrow(/service users/);
  });
});
