import { beforeAll, describe, expect, it } from 'vitest';
import { emitAll } from '../../../generator/emit/index.js';
import { renderProject } from '../../../generator/generate.js';
import { emitTypeScript } from '../../../generator/emit/typescript/index.js';
import { converted, valueExpr } from '../../../generator/emit/typescript/saga-values.js';
import { flat } from '../../../generator/emit/typescript/saga-expr.js';
import type { MeshModel, SagaConversion, SagaValue } from '../../../generator/model/types.js';
import { defaultLayout } from '../../../generator/naming/index.js';
import { pickUp, placeOrder, sagaMesh } from '../../support/saga-mesh.js';

let model: MeshModel;
beforeAll(async () => {
  model = await sagaMesh();
});

const same = { kind: 'same' } as const;
/** The code of `value` mapped into `target` (a type as orders names it) in placeOrder. */
function code(value: SagaValue, target = 'CreateOrder', scope = 'orders'): string {
  return flat(valueExpr(model, placeOrder, value, { ref: { kind: 'ref', name: target }, scope }).expr);
}
const object = (name: string, value: SagaValue): SagaValue => ({ kind: 'object', fields: [{ name, value }] });

function sagasTs(m: MeshModel = model): string {
  const file = emitTypeScript(m, { layout: defaultLayout }).find((f) => f.path === 'orders/sagas.ts');
  if (!file) throw new Error('no orders/sagas.ts');
  return file.content;
}

describe('saga mapping code', () => {
  it('prints literals with the one string escaper, numbers, booleans and null as they are', () => {
    expect(code({ kind: 'literal', value: "it's \"quoted\"\n" })).toBe(`'it\\'s "quoted"\\n'`);
    expect(code({ kind: 'literal', value: "'" })).toBe(`"'"`);
    expect(code({ kind: 'literal', value: 2.5 })).toBe('2.5');
    expect(code({ kind: 'literal', value: false })).toBe('false');
    expect(code({ kind: 'literal', value: null })).toBe('null');
  });

  it('reads paths from the typed locals: the input, the saga id, a step output (whole or a field)', () => {
    expect(code({ kind: 'path', root: 'input', path: ['customer'], convert: same })).toBe('input.customer');
    expect(code({ kind: 'path', root: 'saga', path: ['id'], convert: same })).toBe('saga.id');
    expect(code({ kind: 'path', root: 'step', step: 'reserve', path: ['total'], convert: same })).toBe('outputs.reserve.total');
    expect(code({ kind: 'path', root: 'step', step: 'createOrder', path: [], convert: same })).toBe('outputs.createOrder');
  });

  it('reads through an optional record with optional chaining', () => {
    expect(code({ kind: 'path', root: 'input', path: ['address', 'zip'], convert: same })).toBe('input.address?.zip');
  });

  it('builds objects field by field, writing a value that may be missing only when present', () => {
    expect(code(object('customer', { kind: 'path', root: 'input', path: ['customer'], convert: same }))).toBe('{ customer: input.customer }');
    expect(code(object('express', { kind: 'path', root: 'input', path: ['express'], convert: same }))).toBe(
      '{ ...(input.express !== undefined && { express: input.express }) }',
    );
    expect(code(object('shipTo', object('zip', { kind: 'path', root: 'input', path: ['address', 'zip'], convert: same })))).toBe(
      '{ shipTo: { ...(input.address?.zip !== undefined && { zip: input.address?.zip }) } }',
    );
  });

  it('converts a record field by field, optional target fields only when present', () => {
    const record: SagaConversion = { kind: 'record', fields: [{ name: 'street', optional: false, convert: same }, { name: 'zip', optional: true, convert: same }] };
    expect(flat(converted('input.address', record))).toBe(
      '{ street: input.address.street, ...(input.address.zip !== undefined && { zip: input.address.zip }) }',
    );
  });

  it('converts lists item by item, numbering the items of nested lists', () => {
    expect(flat(converted('input.tags', { kind: 'list', items: same }))).toBe('input.tags.map((item) => item)');
    const nested: SagaConversion = { kind: 'list', items: { kind: 'list', items: { kind: 'record', fields: [{ name: 'sku', optional: false, convert: same }] } } };
    expect(flat(converted('input.grid', nested))).toBe('input.grid.map((item) => item.map((item2) => ({ sku: item2.sku })))');
  });

  it('rejects a mapped field the target does not have (a generator bug, not a user error)', () => {
    expect(() => code(object('colour', { kind: 'literal', value: 'red' }))).toThrow(/internal: saga placeOrder maps colour, which CreateOrder does not have/);
  });
});

describe('<svc>/sagas.ts', () => {
  it('declares the clients the sagas call and the definitions function', () => {
    const text = sagasTs();
    expect(text).toContain("import type { SagaDefinition, StepCall } from 'meshspec/runtime/saga';\n");
    expect(text).toContain('export interface OrdersSagaClients {\n  orders: OrdersClient;\n  stock: StockClient;\n}\n');
    expect(text).toContain('export function ordersSagas(clients: (call: StepCall) => OrdersSagaClients): SagaDefinition[] {\n');
  });

  it('calls each step and compensation through the clients with the attempt as call options', () => {
    const text = sagasTs();
    expect(text).toContain("          endpoint: 'stock.reserve',\n          run: (saga, call) => {\n            const input = saga.input as PlaceOrder;\n");
    expect(text).toContain("            endpoint: 'stock.release',\n            run: (saga, call) => clients(call).stock.release({ orderId: saga.id }, call),\n");
    expect(text).toContain('          timeoutMs: 2000,\n');
    expect(text.match(/timeoutMs/g)).toHaveLength(1);
  });

  it('types the step outputs a mapping reads, and the output', () => {
    const text = sagasTs();
    expect(text).toContain('            const outputs = saga.outputs as { reserve: Reservation };\n');
    expect(text).toContain('      output: (saga) => {\n        const outputs = saga.outputs as { createOrder: Order };\n        return outputs.createOrder;\n      },\n');
  });

  it('names a run that reads nothing of the saga _saga (no unused parameter)', async () => {
    const literalOnly = { ...pickUp, output: null, steps: pickUp.steps.map((s) => ({ ...s, input: object('id', { kind: 'literal', value: 'x' }) })) };
    // Not type-correct for CreateOrder (fields missing): only the parameter's name is looked at here.
    expect(sagasTs(await sagaMesh([literalOnly]))).toContain("run: (_saga, call) => clients(call).orders.createOrder({ id: 'x' }, call),\n");
  });

  it('is emitted only for a service with sagas, and not at all without them', async () => {
    const none = await sagaMesh([]);
    expect(emitTypeScript(none, { layout: defaultLayout }).some((f) => f.path.endsWith('sagas.ts'))).toBe(false);
  });

  it('is written with the generated header, next to docs/sagas.md, by a generate run', () => {
    const { desired } = renderProject(model, defaultLayout, { read: () => undefined, list: () => [] });
    const byPath = new Map(desired.map((f) => [f.path, f.content]));
    expect(byPath.get('generated/orders/sagas.ts')).toMatch(/^\/\/ Code generated by meshspec v[^\n]* from spec\/mesh\.yaml, spec\/services\/orders\.yaml, spec\/services\/stock\.yaml\. DO NOT EDIT\.\n/);
    expect(byPath.get('generated/docs/sagas.md')).toMatch(/^<!-- Code generated by meshspec v[^\n]*\. DO NOT EDIT\. -->\n# Sagas of the shop mesh\n/);
    expect(byPath.has('generated/stock/sagas.ts')).toBe(false);
  });

  it('is the same bytes when emitted twice', async () => {
    const again = await sagaMesh();
    const first = emitAll(model, { layout: defaultLayout });
    const second = emitAll(again, { layout: defaultLayout });
    expect(second.map((f) => f.path)).toEqual(first.map((f) => f.path));
    expect(second.map((f) => f.content)).toEqual(first.map((f) => f.content));
    expect(first.some((f) => f.path === 'orders/sagas.ts')).toBe(true);
  });
});
