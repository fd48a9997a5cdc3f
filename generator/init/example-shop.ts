// `meshspec init --example shop`: the example meshspec ships (its spec/ and hooks/, as in its own
// repository), with the schema lines pointing at the installed schema and a test of one hook.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { withSchemaLine } from './schema-line.js';
import type { ProjectTemplate, ScaffoldFile } from './template.js';

/** The shop example, read from the meshspec package at `packageRoot`. */
export function shopTemplate(packageRoot: string): ProjectTemplate {
  const spec = filesBelow(packageRoot, 'spec', /\.ya?ml$/).map(
    (file): ScaffoldFile => ({ ...file, content: withSchemaLine(file.path, file.content), ifExists: 'refuse' }),
  );
  // The hook files and the services' SQL migrations (hooks/migrations/<service>/*.sql).
  const hooks = filesBelow(packageRoot, 'hooks', /\.(ts|sql)$/).map((file): ScaffoldFile => ({ ...file, ifExists: 'refuse' }));
  if (spec.length === 0 || hooks.length === 0) {
    throw new Error(`the shop example is missing from the meshspec package at ${packageRoot} (spec/ and hooks/)`);
  }
  return {
    files: [...spec, ...hooks, { path: 'test/inventory.test.ts', content: inventoryTest(), ifExists: 'keep' }],
    tryIt: { url: 'http://localhost:8080/api/v1/products', answer: 'the seeded products, e.g. sku-keyboard' },
  };
}

/** Files below `root/dir` whose names match, project-relative with `/`, sorted (same package, same bytes). */
function filesBelow(root: string, dir: string, name: RegExp): { path: string; content: string }[] {
  let entries;
  try {
    entries = readdirSync(path.join(root, dir), { recursive: true, withFileTypes: true });
  } catch {
    return [];
  }
  return entries
    .filter((e) => e.isFile() && name.test(e.name))
    .map((e) => path.relative(root, path.join(e.parentPath, e.name)).split(path.sep).join('/'))
    .sort()
    .map((file) => ({ path: file, content: readFileSync(path.join(root, file), 'utf8') }));
}

function inventoryTest(): string {
  return `// This project's own tests: \`npm test\` runs them after the type-check and \`meshspec generate --check\`.
// A hook is a plain async function: call it with an input and a context, no server needed. Its
// database is PGlite in memory with the service's migrations applied, as \`meshspec dev\` would give it.
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate, openDatabase, type Database } from 'meshspec/runtime/storage';
import { NotFound } from '../generated/inventory/errors.js';
import type { InventoryContext } from '../generated/inventory/handlers.js';
import { handlers } from '../hooks/inventory.js';

let db: Database;
// These hooks use only ctx.db; for one that logs, publishes or calls another service, put fakes of
// ctx.logger, ctx.publish or ctx.clients here.
let ctx: InventoryContext;

beforeAll(async () => {
  db = await openDatabase({ engine: 'pglite', name: 'inventory' });
  await migrate(db, { directory: fileURLToPath(new URL('../hooks/migrations/inventory/', import.meta.url)) });
  ctx = { db } as InventoryContext;
}, 60_000);
afterAll(() => db?.close());

describe('inventory', () => {
  it('lists the seeded products by id', async () => {
    const products = await handlers.listProducts({}, ctx);
    expect(products.map((p) => p.id)).toEqual(['sku-keyboard', 'sku-monitor', 'sku-mouse']);
  });

  it('answers NotFound for a product it does not have', async () => {
    await expect(handlers.getProduct({ id: 'sku-none' }, ctx)).rejects.toBeInstanceOf(NotFound);
  });
});
`;
}
