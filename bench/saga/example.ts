// The example shop's generated modules, loaded at run time: the saga benchmark measures the shop's
// placeOrder, yet bench/ must type-check without spec/ and hooks/ (a user who replaces them with
// their own keeps a green tsc, test/unit/bench/independent.test.ts). So nothing here is imported
// statically, and a spec without placeOrder fails at start with one clear line.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { DevStack } from 'meshspec/runtime/dev';
import type { CallOptions, SchemaRegistry, ServiceDefinition } from 'meshspec/runtime';
import type { ServiceHostOptions } from 'meshspec/runtime/host';

const generated = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../generated');

/** A generated client, as far as the benchmark calls it. */
export type LooseClient = Record<string, (input: unknown, options?: CallOptions) => Promise<Record<string, unknown>>>;
type CreateClient = (transport: unknown, call?: CallOptions) => LooseClient;

/**
 * What the benchmark uses of the example's generated code.
 *
 * @example
 * const shop = await loadExample();
 * shop.stack.services.length; // 4
 */
export interface ExampleShop {
  readonly stack: DevStack;
  readonly ordersHost: () => ServiceHostOptions;
  readonly ordersDefinition: ServiceDefinition;
  readonly schemas: SchemaRegistry;
  readonly createClient: Readonly<Record<'users' | 'inventory' | 'payments' | 'orders', CreateClient>>;
}

/**
 * Loads generated/ of the project (the example shop), checking it runs the placeOrder saga.
 *
 * @throws Error naming what is missing when generated/ is not the shop's
 * @example
 * const { stack } = await loadExample();
 */
export async function loadExample(): Promise<ExampleShop> {
  const load = async (file: string): Promise<Record<string, unknown>> => {
    const ts = path.join(generated, file.replace(/\.js$/, '.ts'));
    if (!existsSync(ts)) throw new Error(`bench:saga measures the example shop's placeOrder saga: ${path.relative(process.cwd(), ts)} is missing (run meshspec generate on the example spec)`);
    return (await import(pathToFileURL(ts).href)) as Record<string, unknown>;
  };
  const [stack, host, definition, schemas, users, inventory, payments, orders] = await Promise.all(
    ['stack.js', 'orders/host.js', 'orders/definition.js', 'schemas.js', 'users/client.js', 'inventory/client.js', 'payments/client.js', 'orders/client.js'].map(load),
  );
  const ordersDefinition = definition!['ordersDefinition'] as ServiceDefinition;
  if (!ordersDefinition.endpoints.some((e) => e.startsSaga?.saga === 'placeOrder' && e.path === '/orders/placements')) {
    throw new Error("bench:saga measures the example shop's placeOrder saga: orders has no POST /orders/placements starting it");
  }
  return {
    stack: stack!['stack'] as DevStack,
    ordersHost: host!['ordersHost'] as () => ServiceHostOptions,
    ordersDefinition,
    schemas: schemas!['schemas'] as SchemaRegistry,
    createClient: {
      users: users!['createUsersClient'] as CreateClient,
      inventory: inventory!['createInventoryClient'] as CreateClient,
      payments: payments!['createPaymentsClient'] as CreateClient,
      orders: orders!['createOrdersClient'] as CreateClient,
    },
  };
}
