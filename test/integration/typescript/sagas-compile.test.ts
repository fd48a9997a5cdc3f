// generated/<svc>/sagas.ts type-checks against the generated clients and types under the repo's strict
// options, plus unused locals and parameters (a strict consumer's): emitted for a two-service mesh
// whose sagas call the other service over HTTP and their own, and written into a folder inside the
// repo so `meshspec/runtime/...` resolves as it does for generated/. A broken mapping must be reported.
import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emitTypeScript } from '../../../generator/emit/typescript/index.js';
import type { EmittedFile } from '../../../generator/emit/types.js';
import { defaultLayout } from '../../../generator/naming/index.js';
import { compileSpec } from '../../../generator/pipeline.js';
import { repoRoot } from '../../support/project.js';
import { sagaMesh } from '../../support/saga-mesh.js';

const root = path.join(repoRoot, '.tmp', `sagas-compile-${randomBytes(6).toString('hex')}`);
let emitted: EmittedFile[] = [];
/** The same, emitted from a spec that declares its sagas (test/fixtures/sagas: the language's model). */
const specRoot = path.join(repoRoot, '.tmp', `sagas-spec-compile-${randomBytes(6).toString('hex')}`);
let fromSpec: EmittedFile[] = [];

function options(): ts.CompilerOptions {
  const config = ts.readConfigFile(path.join(repoRoot, 'tsconfig.json'), ts.sys.readFile);
  if (config.error) throw new Error(ts.flattenDiagnosticMessageText(config.error.messageText, '\n'));
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, repoRoot).options;
  return { ...parsed, noEmit: true, noUnusedLocals: true, noUnusedParameters: true };
}

/** Diagnostics of the project's own files once `generated/<file>` (written into it) is checked, `sagas` replaced by `override`. */
function check(file: string, override?: string, project = root): string[] {
  if (override !== undefined) writeFileSync(path.join(project, 'generated', file), override);
  const program = ts.createProgram([path.join(project, 'generated', file)], options());
  const own = program.getSourceFiles().filter((f) => f.fileName.startsWith(project + path.sep));
  return [...program.getOptionsDiagnostics(), ...program.getGlobalDiagnostics(), ...own.flatMap((f) => [...program.getSyntacticDiagnostics(f), ...program.getSemanticDiagnostics(f)])].map((d) => {
    const message = ts.flattenDiagnosticMessageText(d.messageText, '\n');
    if (!d.file || d.start === undefined) return message;
    const { line } = d.file.getLineAndCharacterOfPosition(d.start);
    return `${path.relative(project, d.file.fileName)}:${line + 1} ${message}`;
  });
}

function sagasFile(): string {
  const file = emitted.find((f) => f.path === 'orders/sagas.ts');
  if (!file) throw new Error('no orders/sagas.ts emitted');
  return file.content;
}

function writeInto(project: string, files: readonly EmittedFile[]): void {
  for (const file of files) {
    const target = path.join(project, 'generated', file.path);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, file.content);
  }
}

beforeAll(async () => {
  emitted = emitTypeScript(await sagaMesh(), { layout: defaultLayout });
  writeInto(root, emitted);
  const { model, diagnostics } = await compileSpec('test/fixtures/sagas/spec', repoRoot);
  if (!model) throw new Error(`test/fixtures/sagas does not compile: ${JSON.stringify(diagnostics)}`);
  fromSpec = emitTypeScript(model, { layout: defaultLayout });
  writeInto(specRoot, fromSpec);
}, 60_000);

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
  rmSync(specRoot, { recursive: true, force: true });
});

describe('generated sagas.ts', () => {
  it('is emitted for the service with sagas only', () => {
    expect(emitted.map((f) => f.path).filter((p) => p.endsWith('/sagas.ts'))).toEqual(['orders/sagas.ts']);
  });

  it('type-checks against the generated clients and types', () => {
    expect(check('orders/sagas.ts')).toEqual([]);
  }, 120_000);

  it('type-checks when emitted from sagas declared in a spec (the language builds the model)', () => {
    expect(fromSpec.map((f) => f.path).filter((p) => p.endsWith('/sagas.ts'))).toEqual(['orders/sagas.ts']);
    expect(check('orders/sagas.ts', undefined, specRoot)).toEqual([]);
  }, 120_000);

  it('reports a mapping that does not fit the endpoint input (the check is live)', () => {
    const broken = sagasFile().replace('total: outputs.reserve.total,', 'total: outputs.reserve.id,');
    expect(broken).not.toBe(sagasFile());
    expect(check('orders/sagas.ts', broken)).toEqual([expect.stringMatching(/^generated\/orders\/sagas\.ts:\d+ Type 'string' is not assignable to type 'number'/)]);
  }, 120_000);

  it('reports an optional value written unguarded into an optional field (exactOptionalPropertyTypes)', () => {
    const broken = sagasFile().replace('...(input.express !== undefined && { express: input.express }),', 'express: input.express,');
    expect(broken).not.toBe(sagasFile());
    expect(check('orders/sagas.ts', broken).join('\n')).toMatch(/exactOptionalPropertyTypes/);
  }, 120_000);

  it("declares the saga's synthesized types in its service and its events in the mesh's catalog", () => {
    const content = (file: string) => fromSpec.find((f) => f.path === file)?.content ?? '';
    expect(content('orders/types.ts')).toMatch(/export interface PlaceOrderStatus \{[^}]*sagaId: string;[^}]*state: SagaState;[^}]*output\?: Order;[^}]*failure\?: SagaFailure;/s);
    expect(content('orders/types.ts')).toMatch(/export interface PlaceOrderCompleted \{[^}]*output: Order;/s);
    expect(content('events.ts')).toContain("'placeOrder.completed': PlaceOrderCompleted;");
    expect(content('events.ts')).toContain("payload: 'orders.PlaceOrderFailed'");
    // Another service subscribes to the saga's event, its payload imported from the saga's service.
    expect(content('users/handlers.ts')).toContain('welcomeBuyer(event: PlaceOrderCompleted');
    expect(check('events.ts', undefined, specRoot)).toEqual([]);
    expect(check('users/handlers.ts', undefined, specRoot)).toEqual([]);
    expect(check('orders/handlers.ts', undefined, specRoot)).toEqual([]);
  }, 120_000);

  it("wires the sagas into the service's host (the clients of every service its steps call, itself included)", () => {
    const host = fromSpec.find((f) => f.path === 'orders/host.ts')?.content ?? '';
    expect(host).toContain('sagas: (transportFor, callOptions) =>');
    expect(host).toContain("orders: createOrdersClient(transportFor('orders', 'http'), call),");
    expect(host).toContain("inventory: createInventoryClient(transportFor('inventory', 'http'), call),");
    // The host imports the user's hooks: stand-ins typed as the generated interfaces.
    mkdirSync(path.join(specRoot, 'hooks'), { recursive: true });
    writeFileSync(
      path.join(specRoot, 'hooks', 'orders.ts'),
      "import type { OrdersHandlers } from '../generated/orders/handlers.js';\nexport const handlers = {} as OrdersHandlers;\n",
    );
    expect(check('orders/host.ts', undefined, specRoot)).toEqual([]);
    const broken = host.replace("orders: createOrdersClient(transportFor('orders', 'http'), call),\n", '');
    expect(check('orders/host.ts', broken, specRoot).join('\n')).toMatch(/orders/);
  }, 120_000);

  it('types the endpoints that start a saga or answer its status: in the client and definition, without a hook', () => {
    const content = (file: string) => fromSpec.find((f) => f.path === file)?.content ?? '';
    expect(content('orders/definition.ts')).toContain("startsSaga: { saga: 'placeOrder', wait: 8000, statusPath: '/orders/placements/{id}' },");
    expect(content('orders/definition.ts')).toContain("sagaStatus: 'placeOrder',");
    expect(content('orders/client.ts')).toMatch(/placeOrder\(input: PlaceOrder[^)]*\): Promise<PlaceOrderStatus>/);
    expect(content('orders/client.ts')).toMatch(/getPlacement\([^)]*\): Promise<PlaceOrderStatus>/);
    expect(content('orders/handlers.ts')).toContain('createOrder(');
    expect(content('orders/handlers.ts')).not.toMatch(/placeOrder\(|getPlacement\(/);
    for (const file of ['orders/definition.ts', 'orders/client.ts', 'orders/handlers.ts']) expect(check(file, undefined, specRoot)).toEqual([]);
  }, 120_000);
});
