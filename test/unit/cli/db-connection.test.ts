// Which database `meshspec db` opens for a service: the host's own rules (PostgreSQL from its
// variables, MESH_DATA's PGlite), else the PGlite folder of `meshspec dev`; never a password shown.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { chooseDatabase } from '../../../generator/cli/db/connection.js';
import { UsageError } from '../../../generator/cli/usage-error.js';

const dir = '/project/hooks/migrations/orders';

describe('chooseDatabase', () => {
  it("takes the service's own URL before DATABASE_URL, and hides the password", () => {
    const chosen = chooseDatabase('orders', dir, { MESH_ORDERS_DATABASE_URL: 'postgres://app:s3cret@db:5432/orders', DATABASE_URL: 'postgres://other/x' });
    expect(chosen.options).toMatchObject({ engine: 'pg', name: 'orders', url: 'postgres://app:s3cret@db:5432/orders' });
    expect(chosen.description).toBe('PostgreSQL at postgres://app:***@db:5432/orders');
  });

  it('counts DATABASE_URL and the PG* variables as this one service’s', () => {
    expect(chooseDatabase('orders', dir, { DATABASE_URL: 'postgres://db/orders' }).description).toBe('PostgreSQL at postgres://db/orders');
    const fromPg = chooseDatabase('orders', dir, { PGHOST: 'db', PGDATABASE: 'orders' });
    expect(fromPg.options).toMatchObject({ engine: 'pg' });
    expect(fromPg.options).not.toHaveProperty('url');
    expect(fromPg.description).toBe('PostgreSQL from the PG* variables');
  });

  it("uses MESH_DATA's folder when set, else the dev folder .meshspec/data/<service>", () => {
    expect(chooseDatabase('orders', dir, { MESH_DATA: '/data', PGHOST: 'db' }).options).toMatchObject({ engine: 'pglite', dataDir: path.resolve('/data/orders') });
    const dev = chooseDatabase('orders', dir, {});
    expect(dev.options).toMatchObject({ engine: 'pglite', dataDir: path.resolve('.meshspec/data/orders') });
    expect(dev.description).toBe(`PGlite in ${path.join('.meshspec', 'data', 'orders')}`);
  });

  it('refuses MESH_DATA=memory: nothing would be left to migrate', () => {
    expect(() => chooseDatabase('orders', dir, { MESH_DATA: 'memory' })).toThrow(UsageError);
  });
});
