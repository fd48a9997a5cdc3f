// Call fallbacks from spec to type-checked code: a spec names a fallback per endpoint of a callee, the
// generated `<Svc>Fallbacks` types each with the callee's endpoint (its input, its output: a record,
// a list or nothing, imported under another name when the caller has a type of the same name), the
// definition carries the names and the policies' `fallback.on`, and the host wires the hook file's
// `fallbacks` in with `satisfies`: handwritten hooks type-check, a wrong answer is reported.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emitTypeScript } from '../../../generator/emit/typescript/index.js';
import { defaultLayout } from '../../../generator/naming/index.js';
import { compileSpec } from '../../../generator/pipeline.js';
import { repoRoot } from '../../support/project.js';

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

mkdirSync(path.join(repoRoot, '.tmp'), { recursive: true });
const root = mkdtempSync(path.join(repoRoot, '.tmp', 'fallbacks-'));
const generated = new Map<string, string>();
const files: string[] = [];

function write(relative: string, content: string): string {
  const file = path.join(root, relative);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, content);
  return file;
}

beforeAll(async () => {
  for (const [relative, content] of Object.entries(SPEC)) write(relative, content);
  const { model, diagnostics } = await compileSpec('spec', root);
  expect(diagnostics).toEqual([]);
  for (const f of emitTypeScript(model!, { layout: defaultLayout })) {
    generated.set(f.path, f.content);
    files.push(write(`generated/${f.path}`, f.content));
  }
  files.push(write('hooks/stock.ts', STOCK_HOOKS));
}, 60_000);

afterAll(() => rmSync(root, { recursive: true, force: true }));

const config = ts.readConfigFile(path.join(repoRoot, 'tsconfig.json'), ts.sys.readFile);
const options = ts.parseJsonConfigFileContent(config.config, ts.sys, repoRoot).options;
// Parsed once for both programs: only the hook file differs between them.
const parsed = new Map<string, ts.SourceFile>();

/**
 * Diagnostics of the project's own files (the runtime is the repository type-check's business) with
 * `hooks` as hooks/orders.ts, as `path:line:col message` relative to the project.
 */
function check(hooks: string): string[] {
  const orders = write('hooks/orders.ts', hooks);
  const host = ts.createCompilerHost(options, true);
  const read = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, language, onError, shouldCreate) => {
    if (fileName === orders) return read(fileName, language, onError, shouldCreate);
    let file = parsed.get(fileName);
    if (!file) {
      file = read(fileName, language, onError, shouldCreate);
      if (file) parsed.set(fileName, file);
    }
    return file;
  };
  const program = ts.createProgram({ rootNames: [...files, orders], options, host });
  const own = program.getSourceFiles().filter((f) => f.fileName.startsWith(root + path.sep));
  return [...program.getGlobalDiagnostics(), ...own.flatMap((f) => [...program.getSyntacticDiagnostics(f), ...program.getSemanticDiagnostics(f)])].map((d) => {
    const message = ts.flattenDiagnosticMessageText(d.messageText, '\n');
    if (!d.file || d.start === undefined) return message;
    const { line, character } = d.file.getLineAndCharacterOfPosition(d.start);
    return `${path.relative(root, d.file.fileName)}:${line + 1}:${character + 1} ${message}`;
  });
}

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
