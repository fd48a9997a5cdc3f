// The generated contract of a choreographed saga (test/fixtures/choreography: orders owns
// `fulfilOrder`, payments and inventory take a step each, orders the last): each participant with a
// compensation gets `<Svc>Compensations` in its handlers.ts, typed with the failure events that
// trigger it, its definition lists the steps it takes (the owner's, the sagas it owns), its host
// passes the hook file's `compensations`, and the hook planner stubs `compensations` without
// overwriting what the user wrote. Everything type-checks under the repo's strict options.
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderProject } from '../../../generator/generate.js';
import type { MeshModel } from '../../../generator/model/types.js';
import { defaultLayout } from '../../../generator/naming/index.js';
import { compileSpec } from '../../../generator/pipeline.js';
import { repoRoot } from '../../support/project.js';

const root = path.join(repoRoot, '.tmp', `choreography-compile-${randomBytes(6).toString('hex')}`);
let model: MeshModel;
let files = new Map<string, string>();

function options(): ts.CompilerOptions {
  const config = ts.readConfigFile(path.join(repoRoot, 'tsconfig.json'), ts.sys.readFile);
  if (config.error) throw new Error(ts.flattenDiagnosticMessageText(config.error.messageText, '\n'));
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, repoRoot).options;
  return { ...parsed, noEmit: true, noUnusedLocals: true, noUnusedParameters: true };
}

/** Diagnostics of the project's own files once `file` (project-relative, written into it) is checked, `override` its content. */
function check(file: string, override?: string): string[] {
  const target = path.join(root, file);
  mkdirSync(path.dirname(target), { recursive: true });
  if (override !== undefined) writeFileSync(target, override);
  const program = ts.createProgram([target], options());
  const own = program.getSourceFiles().filter((f) => f.fileName.startsWith(root + path.sep));
  return [...program.getOptionsDiagnostics(), ...program.getGlobalDiagnostics(), ...own.flatMap((f) => [...program.getSyntacticDiagnostics(f), ...program.getSemanticDiagnostics(f)])].map((d) => {
    const message = ts.flattenDiagnosticMessageText(d.messageText, '\n');
    if (!d.file || d.start === undefined) return message;
    return `${path.relative(root, d.file.fileName)}:${d.file.getLineAndCharacterOfPosition(d.start).line + 1} ${message}`;
  });
}

function plan(existing: Record<string, string> = {}) {
  return renderProject(model, defaultLayout, { read: (f) => existing[f], list: () => Object.keys(existing).map((f) => path.posix.basename(f)) });
}

const content = (file: string) => files.get(file) ?? '';

beforeAll(async () => {
  const compiled = await compileSpec('test/fixtures/choreography/spec', repoRoot);
  if (!compiled.model) throw new Error(`test/fixtures/choreography does not compile: ${JSON.stringify(compiled.diagnostics)}`);
  model = compiled.model;
  const { desired, hooks } = plan();
  files = new Map([...desired, ...hooks.writes].map((f) => [f.path, f.content]));
  for (const [file, text] of files) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), text);
  }
}, 60_000);

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

describe('the generated contract of a choreographed saga', () => {
  it('types each compensation with the payloads of the later steps\' failure events', () => {
    expect(content('generated/payments/handlers.ts')).toMatch(/export interface PaymentsCompensations \{[^}]*refundCharge\(event: StepFailed, ctx: PaymentsEventContext\): Promise<void>;/s);
    expect(content('generated/payments/handlers.ts')).toContain('on `stock.failed` or `order.rejected`');
    expect(content('generated/inventory/handlers.ts')).toMatch(/releaseStock\(event: StepFailed, ctx: InventoryEventContext\)/);
    // The last step has nothing to undo: orders has no compensations.
    expect(content('generated/orders/handlers.ts')).not.toContain('OrdersCompensations');
    for (const svc of ['payments', 'inventory', 'orders']) expect(check(`generated/${svc}/handlers.ts`)).toEqual([]);
  }, 120_000);

  it('describes the steps a participant takes in its definition', () => {
    const definition = content('generated/payments/definition.ts');
    expect(definition).toContain("saga: 'fulfilOrder',\n      owner: 'orders',\n      correlate: 'orderId',\n      step: 'charge',\n      on: 'order.created',\n      hook: 'chargeOrder',");
    expect(definition).toContain("compensateOn: ['stock.failed', 'order.rejected'],");
    expect(content('generated/orders/definition.ts')).toContain("step: 'confirm',");
    expect(content('generated/orders/definition.ts')).toContain('compensateOn: [],');
    expect(content('generated/inventory/definition.ts')).toContain("compensate: 'releaseStock',\n      compensateOn: ['order.rejected'],");
    for (const svc of ['payments', 'orders']) expect(check(`generated/${svc}/definition.ts`)).toEqual([]);
  }, 120_000);

  it('describes the sagas the owner keeps the log of in its definition, and only there', () => {
    const definition = content('generated/orders/definition.ts');
    expect(definition).toContain("  choreographedSagas: [\n    {\n      saga: 'fulfilOrder',\n      correlate: 'orderId',\n      starts: 'order.created',\n      completes: 'order.confirmed',\n      steps: [\n");
    // Each step as the printer lays it out: one key a line.
    const step = (name: string, service: string, succeeds: string, fails: string, compensate: string) =>
      `        {\n          step: '${name}',\n          service: '${service}',\n          succeeds: '${succeeds}',\n          fails: '${fails}',\n          compensate: ${compensate},\n        },\n`;
    expect(definition).toContain(
      step('charge', 'payments', 'payment.completed', 'payment.failed', "'refundCharge'") +
        step('reserve', 'inventory', 'stock.reserved', 'stock.failed', "'releaseStock'") +
        step('confirm', 'orders', 'order.confirmed', 'order.rejected', 'null') +
        '      ],\n    },\n  ],\n',
    );
    for (const svc of ['payments', 'inventory']) expect(content(`generated/${svc}/definition.ts`)).not.toContain('choreographedSagas');
    expect(check('generated/orders/definition.ts')).toEqual([]);
  }, 120_000);

  it('passes the hook file\'s `compensations` to the host of each participant that has some', () => {
    expect(content('generated/payments/host.ts')).toContain('    compensations: compensations satisfies PaymentsCompensations,\n');
    expect(content('generated/payments/host.ts')).toMatch(/import \{ [^}]*\bcompensations\b[^}]* \} from '\.\.\/\.\.\/hooks\/payments\.js';/);
    expect(content('generated/inventory/host.ts')).toContain('    compensations: compensations satisfies InventoryCompensations,\n');
    expect(content('generated/orders/host.ts')).not.toContain('compensations');
    for (const svc of ['payments', 'inventory', 'orders']) expect(check(`generated/${svc}/host.ts`)).toEqual([]);
  }, 120_000);

  it('keeps the synthesized status type and events for the owner', () => {
    expect(content('generated/orders/types.ts')).toMatch(/export interface FulfilOrderStatus \{/);
    expect(content('generated/events.ts')).toContain("'fulfilOrder.failed': FulfilOrderFailed;");
  });

  it('plans a typed `compensations` stub that compiles, and a wrong signature does not', () => {
    const hook = content('hooks/payments.ts');
    expect(hook).toContain('export const compensations: PaymentsCompensations = {');
    expect(hook).toContain('async refundCharge(_event, _ctx) {');
    expect(check('hooks/payments.ts')).toEqual([]);
    const broken = hook.replace('async refundCharge(_event, _ctx) {', 'async refundCharge(_event: number, _ctx: unknown) {');
    expect(broken).not.toBe(hook);
    expect(check('hooks/payments.ts', broken)).toEqual([expect.stringMatching(/^hooks\/payments\.ts:\d+ Type '\(_event: number/)]);
    check('hooks/payments.ts', hook);
  }, 120_000);

  it('adds `compensations` to an existing hook file and never overwrites a written compensation', () => {
    const written = [
      "import type { PaymentsCompensations, PaymentsHandlers, PaymentsSubscriptions } from '../generated/payments/handlers.js';",
      '',
      'export const handlers: PaymentsHandlers = {};',
      '',
      'export const subscriptions: PaymentsSubscriptions = {',
      '  async chargeOrder(event, ctx) {',
      "    await ctx.publish('payment.completed', { orderId: event.orderId, paymentId: 'p1', sku: event.sku });",
      '  },',
      '};',
      '',
    ].join('\n');
    const added = plan({ 'hooks/payments.ts': written }).hooks;
    const evolved = added.writes.find((w) => w.path === 'hooks/payments.ts')?.content ?? '';
    expect(evolved).toContain("await ctx.publish('payment.completed'");
    expect(evolved).toContain('export const compensations: PaymentsCompensations = {');
    expect(added.changes).toContain('hooks/payments.ts: added `compensations` with stubs for `refundCharge`');

    const implemented = `${written}\nexport const compensations: PaymentsCompensations = {\n  async refundCharge(event) {\n    console.log(event.orderId);\n  },\n};\n`;
    const kept = plan({ 'hooks/payments.ts': implemented }).hooks;
    expect(kept.writes.find((w) => w.path === 'hooks/payments.ts')).toBeUndefined();
    expect(check('hooks/payments.ts', implemented)).toEqual([]);
  }, 120_000);

  it('type-checks the fixture\'s own hooks (the ones test/e2e/choreography-crash.test.ts runs) against the generated contract', () => {
    for (const svc of ['orders', 'payments', 'inventory']) {
      const hook = readFileSync(path.join(repoRoot, `test/fixtures/choreography/hooks/${svc}.ts`), 'utf8');
      expect(check(`hooks/${svc}.ts`, hook), svc).toEqual([]);
    }
  }, 120_000);
});
