// Edits of the example project that `meshspec dev --watch` reloads, shared by its test and its
// benchmark (bench/watch.ts): an endpoint added to orders with its hook, and a spec error.
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

export const ORDERS_SPEC = 'spec/services/orders.yaml';
export const ORDERS_HOOKS = 'hooks/orders.ts';

/**
 * Adds `GET /orders/<name>` to orders, answering how many orders there are, and its hook: both
 * files read, then saved at once, as an editor's "save all" does.
 *
 * @param root - the project
 * @param name - the endpoint's path segment and name suffix (distinct per call, e.g. `count1`)
 * @example
 * await addCountEndpoint(project.root, 'count1'); // then GET /api/v1/orders/count1 answers { count }
 */
export async function addCountEndpoint(root: string, name: string): Promise<void> {
  const endpoint = `${name}Orders`;
  const hooks = path.join(root, ORDERS_HOOKS);
  const code = await readFile(hooks, 'utf8');
  const handler = `  async ${endpoint}(_input, ctx) {\n    const { rows } = await ctx.db.query<{ count: number }>(sql\`select count(*)::int as count from orders\`);\n    return { count: rows[0]!.count };\n  },\n\n`;
  const spec = path.join(root, ORDERS_SPEC);
  let yaml = await readFile(spec, 'utf8');
  if (!yaml.includes('  OrderCount:\n')) {
    yaml = replaceOnce(yaml, '  ListOrdersQuery:\n', '  OrderCount:\n    fields:\n      count: { type: integer, minimum: 0, field: 1 }\n  ListOrdersQuery:\n');
  }
  yaml = replaceOnce(yaml, '  getPlacement:\n', `  ${endpoint}:\n    http: GET /orders/${name}\n    output: OrderCount\n  getPlacement:\n`);
  await Promise.all([writeFile(hooks, replaceOnce(code, 'export const handlers: OrdersHandlers = {\n', `export const handlers: OrdersHandlers = {\n${handler}`)), writeFile(spec, yaml)]);
}

/** The orders spec with an HTTP method that does not exist (`GETX`) on getOrder; returns the valid text to restore. */
export async function breakOrdersSpec(root: string): Promise<string> {
  const spec = path.join(root, ORDERS_SPEC);
  const valid = await readFile(spec, 'utf8');
  await writeFile(spec, replaceOnce(valid, 'http: GET /orders/{id}\n', 'http: GETX /orders/{id}\n'));
  return valid;
}

function replaceOnce(text: string, anchor: string, replacement: string): string {
  if (!text.includes(anchor)) throw new Error(`the example project changed: no ${JSON.stringify(anchor)} to edit`);
  return text.replace(anchor, replacement);
}
