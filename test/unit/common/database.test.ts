// The database URL variable: one per service, distinct from every other variable the manifests set
// for it (discovery), so a grouped process can hold several without one hiding another.
import { describe, expect, it } from 'vitest';
import { databaseEnvName, discoveryEnvName } from '../../../common/discovery.js';

describe('databaseEnvName', () => {
  it('names the service in upper case', () => {
    expect(databaseEnvName('orders')).toBe('MESH_ORDERS_DATABASE_URL');
    expect(databaseEnvName('shop2')).toBe('MESH_SHOP2_DATABASE_URL');
  });

  it('gives each service its own variable, never a discovery variable nor the bare DATABASE_URL', () => {
    const names = ['users', 'orders', 'userorders'].map(databaseEnvName);
    expect(new Set(names).size).toBe(3);
    for (const service of ['users', 'orders']) {
      expect(names).not.toContain(discoveryEnvName(service, 'HTTP'));
      expect(names).not.toContain(discoveryEnvName(service, 'GRPC'));
    }
    expect(names).not.toContain('DATABASE_URL');
  });
});
