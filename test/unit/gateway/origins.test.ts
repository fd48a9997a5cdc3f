import { afterEach, describe, expect, it } from 'vitest';
import { defaultResolveOrigin, normalizeOrigin } from '../../../runtime/gateway/origins.js';
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
