// Call fallbacks from spec to type-checked code: a spec names a fallback per endpoint of a callee, the
// generated `<Svc>Fallbacks` types each with the callee's endpoint (its input, its output: a record,
// a list or nothing, imported under another name when the caller has a type of the same name), the
// definition carries the names and the policies' `fallback.on`, and the host wires the hook file's
// `fallbacks` in with `satisfies`: handwritten hooks type-check, a wrong answer is reported.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHooksProject, type HooksProject } from '../../support/hooks-project.js';

const SPEC: Record<string, string> = {
  'spec/mesh.yaml': `mesh: depot
version: 1.0.0
policies:
  reads: { timeout: 2s, fallback: { on: [unavailable, circuitOpen, failed] } }
  plain: { timeout: 1s }
types:
  Quantity:
    fields:
      amount: { type: number, field: 1 }
`,
  'spec/services/stock.yaml': `service: stock
ports: { http: 3301 }
types:
  Item:
    fields:
      sku: { type: string, field: 1 }
      onHand: { type: Quantity, field: 2 }
endpoints:
  getItem: { http: "GET /items/{sku}", output: Item }
  listItems: { http: GET /items, output: "Item[]" }
  dropItem: { http: "DELETE /items/{sku}" }
`,
  'spec/services/orders.yaml': `service: orders
ports: { http: 3302 }
calls:
  stock:
    policy: reads
    endpoints:
      listItems: { fallback: noItems }
      getItem: { fallback: lastKnownItem }
      dropItem: { policy: plain, fallback: dropLater }
types:
  Item:
    description: A line of an order (not stock's Item).
    fields:
      line: { type: integer, field: 1 }
endpoints:
  getLine: { http: "GET /lines/{id}", output: Item }
`,
};

const STOCK_HOOKS = `import type { StockHandlers } from '../generated/stock/handlers.js';

export const handlers: StockHandlers = {
  async getItem(input) {
    return { sku: input.sku, onHand: { amount: 1 } };
  },
  async listItems() {
    return [];
  },
  async dropItem() {},
};
`;

const ORDERS_HOOKS = `import type { OrdersFallbacks, OrdersHandlers } from '../generated/orders/handlers.js';

export const handlers: OrdersHandlers = {
  async getLine() {
    return { line: 1 };
  },
};

export const fallbacks: OrdersFallbacks = {
  async lastKnownItem(input, failure) {
    return { sku: input.sku, onHand: { amount: failure.kind === 'circuitOpen' ? 0 : 1 } };
  },
  async noItems() {
    return [];
  },
  async dropLater(input, failure) {
    console.log(\`\${failure.dependency}.\${failure.endpoint} failed (\${failure.kind}); \${input.sku} is dropped later\`);
  },
};
`;

let project: HooksProject;
let generated: ReadonlyMap<string, string>;

beforeAll(async () => {
  project = await createHooksProject('fallbacks-', SPEC, { 'hooks/stock.ts': STOCK_HOOKS });
  generated = project.generated;
}, 60_000);

afterAll(() => project?.remove());

/** Diagnostics of the project's own files with `hooks` as hooks/orders.ts. */
const check = (hooks: string): string[] => project.check('hooks/orders.ts', hooks);

describe('call fallbacks in the generated TypeScript', () => {
  it("types each fallback with the callee's endpoint and says which failures it answers", () => {
    const handlers = generated.get('orders/handlers.ts')!;
    expect(handlers).toContain(
      [
        "import type { CallFailure, HandlerContext } from 'meshspec/runtime';",
        "import type { StockClient } from '../stock/client.js';",
        'import type {',
        '  DropItemInput,',
        '  GetItemInput,',
        '  Item as StockItem,',
        '  ListItemsInput,',
        "} from '../stock/types.js';",
        "import type { GetLineInput, Item } from './types.js';",
      ].join('\n'),
    );
    // orders has its own Item: stock's is imported under another name.
    expect(handlers).toContain('lastKnownItem(input: GetItemInput, failure: CallFailure): Promise<StockItem>;');
    expect(handlers).toContain('noItems(input: ListItemsInput, failure: CallFailure): Promise<StockItem[]>;');
    expect(handlers).toContain('dropLater(input: DropItemInput, failure: CallFailure): Promise<void>;');
    expect(handlers).toContain(
      [
        '  /**',
        '   * Answers `stock.getItem` (`GET /items/{sku}`) when it fails with:',
        '   * unavailable, circuitOpen, failed (`fallback.on` of policy `reads`).',
        '   */',
        '  lastKnownItem(input: GetItemInput, failure: CallFailure): Promise<StockItem>;',
      ].join('\n'),
    );
    expect(handlers).toContain(
      [
        '   * unavailable, timeout, badGateway, rateLimited, deadline, circuitOpen, bulkheadFull',
        '   * (the default: policy `plain` has no `fallback.on`).',
      ].join('\n'),
    );
    expect(handlers).toContain('`hooks/orders.ts` exports `fallbacks` implementing this');
    // A service without fallbacks has no such interface.
    expect(generated.get('stock/handlers.ts')).not.toContain('Fallbacks');
  });

  it('puts the fallback names and the policies\' failures in the definition, and wires the hooks in the host', () => {
    const definition = generated.get('orders/definition.ts')!;
    expect(definition.replace(/\s+/g, ' ')).toContain("fallbacks: { dropItem: 'dropLater', getItem: 'lastKnownItem', listItems: 'noItems' }");
    expect(definition.replace(/\s+/g, ' ')).toContain("fallback: { on: ['unavailable', 'circuitOpen', 'failed'] }");
    expect(generated.get('orders/host.ts')).toContain('fallbacks: fallbacks satisfies OrdersFallbacks,');
    expect(generated.get('stock/host.ts')).not.toContain('fallbacks');
  });

  it('type-checks with handwritten fallbacks', () => {
    expect(check(ORDERS_HOOKS)).toEqual([]);
  }, 60_000);

  it("reports a fallback that answers with the caller's own type where the host wires it in", () => {
    const wrong = ORDERS_HOOKS.replace('export const fallbacks: OrdersFallbacks =', 'export const fallbacks =')
      .replace("return { sku: input.sku, onHand: { amount: failure.kind === 'circuitOpen' ? 0 : 1 } };", 'return { line: 1 };')
      .replace('async lastKnownItem(input, failure)', 'async lastKnownItem()')
      .replace('async dropLater(input, failure) {', 'async dropLater(input: { sku: string }, failure: { kind: string; dependency: string; endpoint: string }) {');
    expect(wrong).not.toContain('OrdersFallbacks =');
    expect(check(wrong)).toEqual([expect.stringMatching(/^generated\/orders\/host\.ts:\d+:\d+ .*lastKnownItem/s)]);
  }, 60_000);
});
