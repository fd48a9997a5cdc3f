// A service's `sagas`, from spec to model: each mapping resolved to paths, literals and objects, with
// how each value becomes its target's type (the same type as it is, another service's compatible
// record rebuilt field by field, inside lists too), timeouts in ms, and sagas sorted by name.
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatDiagnostic } from '../../../generator/language/diagnostics.js';
import { orchestratedSagasOf } from '../../../generator/model/lookup.js';
import type { OrchestratedSagaModel } from '../../../generator/model/types.js';
import { compileSpec } from '../../../generator/pipeline.js';
import { repoRoot } from '../../support/project.js';

const fixture = path.join(repoRoot, 'test/fixtures/sagas');
let root: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'meshspec-sagas-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

let cases = 0;
/** Compiles the fixture with `edit` applied to orders.yaml; the sagas of orders, or the diagnostics. */
async function compile(edit: (text: string) => string = (t) => t): Promise<{ sagas: readonly OrchestratedSagaModel[]; diagnostics: string[] }> {
  const dir = path.join(root, `case${cases++}`);
  await cp(fixture, dir, { recursive: true });
  const file = path.join(dir, 'spec/services/orders.yaml');
  await writeFile(file, edit(await readFile(file, 'utf8')));
  const result = await compileSpec('spec', dir);
  const orders = result.model?.services.find((s) => s.name === 'orders');
  return { sagas: orders ? orchestratedSagasOf(orders) : [], diagnostics: result.diagnostics.map(formatDiagnostic) };
}

describe('sagas in the model', () => {
  it('builds the example saga with no diagnostics', async () => {
    const { sagas, diagnostics } = await compile();
    expect(diagnostics).toEqual([]);
    expect(sagas.map((s) => s.name)).toEqual(['placeOrder']);
    const saga = sagas[0]!;
    expect(saga).toMatchObject({ service: 'orders', input: 'PlaceOrder', description: 'Places an order.' });
    expect(saga.steps.map((s) => `${s.name}:${s.call.service}.${s.call.endpoint}`)).toEqual([
      'validateUser:users.getUser', 'reserveInventory:inventory.reserve', 'chargePayment:payments.charge', 'createOrder:orders.createOrder',
    ]);
    expect(saga.steps.map((s) => s.timeoutMs)).toEqual([null, 2000, null, null]);
    expect(saga.output).toEqual({ type: 'Order', value: { kind: 'path', root: 'step', step: 'createOrder', path: [], convert: { kind: 'same' } } });
  });

  it('keeps a value of the same named type as it is', async () => {
    const step = (await compile()).sagas[0]!.steps[0]!;
    expect(step.input).toEqual({ kind: 'object', fields: [{ name: 'id', value: { kind: 'path', root: 'input', path: ['userId'], convert: { kind: 'same' } } }] });
  });

  it("rebuilds another service's compatible record field by field, inside a list, dropping extra fields", async () => {
    const step = (await compile()).sagas[0]!.steps[1]!;
    expect(step.input).toEqual({
      kind: 'object',
      fields: [
        { name: 'orderId', value: { kind: 'path', root: 'saga', path: ['id'], convert: { kind: 'same' } } },
        {
          name: 'items',
          value: {
            kind: 'path', root: 'input', path: ['items'],
            // inventory's Item has productId, quantity and an optional note; orders' LineItem has no note and a price.
            convert: { kind: 'list', items: { kind: 'record', fields: [{ name: 'productId', optional: false, convert: { kind: 'same' } }, { name: 'quantity', optional: false, convert: { kind: 'same' } }] } },
          },
        },
      ],
    });
    expect(step.compensate).toEqual({
      service: 'inventory', endpoint: 'releaseReservation',
      input: { kind: 'object', fields: [{ name: 'orderId', value: { kind: 'path', root: 'saga', path: ['id'], convert: { kind: 'same' } } }] },
    });
  });

  it('takes literals, and an earlier step output, into the target fields', async () => {
    const step = (await compile()).sagas[0]!.steps[2]!;
    expect(step.input).toEqual({
      kind: 'object',
      fields: [
        { name: 'orderId', value: { kind: 'path', root: 'saga', path: ['id'], convert: { kind: 'same' } } },
        { name: 'amount', value: { kind: 'path', root: 'step', step: 'reserveInventory', path: ['total'], convert: { kind: 'same' } } },
        { name: 'currency', value: { kind: 'literal', value: 'eur' } },
      ],
    });
  });

  it('maps an omitted input by name from the saga input', async () => {
    const step = (await compile()).sagas[0]!.steps[3]!;
    const fields = step.input.kind === 'object' ? step.input.fields.map((f) => f.name) : [];
    expect(fields).toEqual(['userId', 'items', 'note']);
  });

  it('lets an integer into a number', async () => {
    const { sagas, diagnostics } = await compile((t) => t.replace('amount: steps.reserveInventory.total', 'amount: steps.reserveInventory.count'));
    expect(diagnostics).toEqual([]);
    const amount = sagas[0]!.steps[2]!.input;
    expect(amount.kind === 'object' && amount.fields[1]).toEqual({ name: 'amount', value: { kind: 'path', root: 'step', step: 'reserveInventory', path: ['count'], convert: { kind: 'same' } } });
  });

  it('refuses a field the target lacks, and an object where a list is expected', async () => {
    const saga = '  countItems:\n    input: PlaceOrder\n    steps:\n      - name: reserve\n        call: inventory.reserve\n        input: { orderId: saga.id, items: input.items, count: 1.5 }\n';
    const { sagas, diagnostics } = await compile((t) => t.replace('sagas:\n', `sagas:\n${saga}`));
    expect(sagas).toEqual([]);
    expect(diagnostics).toEqual([expect.stringMatching(/error extra-field: `inventory\.Reserve` has no field `count`$/)]);
    const fixed = saga.replace('items: input.items, count: 1.5', 'items: { productId: input.userId, quantity: 1.5 }');
    const again = await compile((t) => t.replace('sagas:\n', `sagas:\n${fixed}`));
    expect(again.diagnostics).toEqual([expect.stringMatching(/error incompatible-type: an object does not fit `inventory\.Item\[\]`: only a record is built field by field$/)]);
  });

  it('refuses a number path into an integer field', async () => {
    const { diagnostics } = await compile((t) => t.replace('      - name: createOrder\n        call: orders.createOrder\n', '      - name: createOrder\n        call: orders.createOrder\n      - name: again\n        call: inventory.reserve\n        input: { orderId: saga.id, items: input.items }\n').replace('  LineItem:\n    fields:\n      productId: { type: string, field: 1 }\n      quantity: { type: integer, field: 2 }', '  LineItem:\n    fields:\n      productId: { type: string, field: 1 }\n      quantity: { type: number, field: 2 }'));
    expect(diagnostics).toEqual([
      expect.stringMatching(/^spec\/services\/orders\.yaml:\d+:\d+: error incompatible-type: `input\.items` is `orders\.LineItem\[\]`, which does not fit `inventory\.Item\[\]`: .*field `quantity`: `number` does not fit `integer`$/),
      expect.stringMatching(/^spec\/services\/orders\.yaml:\d+:\d+: error incompatible-type: `input\.items` is `orders\.LineItem\[\]`/),
    ]);
  });

  it('sorts sagas by name', async () => {
    const extra = 'sagas:\n  cancelAll:\n    input: PlaceOrder\n    steps:\n      - name: check\n        call: users.getUser\n        input: { id: input.userId }\n';
    const { sagas, diagnostics } = await compile((t) => t.replace('sagas:\n', extra));
    expect(diagnostics).toEqual([]);
    expect(sagas.map((s) => s.name)).toEqual(['cancelAll', 'placeOrder']);
  });
});
