// A small mesh for the saga emitters: `orders` calls `stock` over HTTP and runs sagas whose steps call
// stock and itself. The model is built from spec text and the sagas are attached by hand (as the model
// builder makes them), so each value and conversion kind is there whatever the language accepts today.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { compileSpec } from '../../generator/pipeline.js';
import type { MeshModel, OrchestratedSagaModel, SagaModel, SagaStepModel, SagaValue } from '../../generator/model/types.js';

const specFiles: Record<string, string> = {
  'mesh.yaml': `mesh: shop
version: 0.1.0
types:
  Currency:
    enum: [eur, usd]
`,
  'services/stock.yaml': `service: stock
ports: { http: 3301 }
types:
  Line:
    fields:
      sku: { type: string, field: 1 }
      quantity: { type: integer, field: 2 }
      note: { type: string, optional: true, field: 3 }
  Reserve:
    fields:
      orderId: { type: string, field: 1 }
      lines: { type: array, items: Line, field: 2 }
  Reservation:
    fields:
      id: { type: string, field: 1 }
      total: { type: number, field: 2 }
  Release:
    fields:
      orderId: { type: string, field: 1 }
endpoints:
  reserve:
    http: POST /reservations
    input: Reserve
    output: Reservation
  release:
    http: POST /releases
    input: Release
`,
  'services/orders.yaml': `service: orders
ports: { http: 3302 }
calls:
  stock: { transport: http }
types:
  Line:
    fields:
      sku: { type: string, field: 1 }
      quantity: { type: integer, field: 2 }
      note: { type: string, optional: true, field: 3 }
      price: { type: number, optional: true, field: 4 }
  Address:
    fields:
      street: { type: string, field: 1 }
      zip: { type: string, optional: true, field: 2 }
  PlaceOrder:
    fields:
      customer: { type: string, field: 1 }
      lines: { type: array, items: Line, field: 2 }
      express: { type: boolean, optional: true, field: 3 }
      address: { type: Address, optional: true, field: 4 }
  Shipping:
    fields:
      street: { type: string, field: 1 }
      zip: { type: string, optional: true, field: 2 }
  CreateOrder:
    fields:
      id: { type: string, field: 1 }
      customer: { type: string, field: 2 }
      reservation: { type: string, field: 3 }
      total: { type: number, field: 4 }
      currency: { type: Currency, field: 5 }
      express: { type: boolean, optional: true, field: 6 }
      shipTo: { type: Shipping, optional: true, field: 7 }
      priority: { type: integer, field: 8 }
      gift: { type: boolean, field: 9 }
  Order:
    fields:
      id: { type: string, field: 1 }
      customer: { type: string, field: 2 }
  Receipt:
    fields:
      orderId: { type: string, field: 1 }
      customer: { type: string, field: 2 }
endpoints:
  createOrder:
    http: POST /orders
    input: CreateOrder
    output: Order
  cancelOrder:
    http: DELETE /orders/{id}
`,
};

const source = { file: 'services/orders.yaml', line: 1, col: 1 };
const same = { kind: 'same' } as const;
const sagaId: SagaValue = { kind: 'path', root: 'saga', path: ['id'], convert: same };
const fromInput = (...path: string[]): SagaValue => ({ kind: 'path', root: 'input', path, convert: same });
const fromStep = (step: string, ...path: string[]): SagaValue => ({ kind: 'path', root: 'step', step, path, convert: same });
const object = (fields: Record<string, SagaValue>): SagaValue => ({ kind: 'object', fields: Object.entries(fields).map(([name, value]) => ({ name, value })) });

const reserve: SagaStepModel = {
  name: 'reserve',
  call: { service: 'stock', endpoint: 'reserve' },
  input: object({
    orderId: sagaId,
    // orders' Line into stock's: same fields but price, copied field by field inside the list.
    lines: {
      kind: 'path',
      root: 'input',
      path: ['lines'],
      convert: {
        kind: 'list',
        items: {
          kind: 'record',
          fields: [
            { name: 'sku', optional: false, convert: same },
            { name: 'quantity', optional: false, convert: same },
            { name: 'note', optional: true, convert: same },
          ],
        },
      },
    },
  }),
  compensate: { service: 'stock', endpoint: 'release', input: object({ orderId: sagaId }) },
  timeoutMs: 2000,
  source,
};

const createOrder: SagaStepModel = {
  name: 'createOrder',
  call: { service: 'orders', endpoint: 'createOrder' },
  input: object({
    id: sagaId,
    customer: fromInput('customer'),
    reservation: fromStep('reserve', 'id'),
    total: fromStep('reserve', 'total'),
    currency: { kind: 'literal', value: 'eur' },
    express: fromInput('express'),
    shipTo: {
      kind: 'path',
      root: 'input',
      path: ['address'],
      convert: { kind: 'record', fields: [{ name: 'street', optional: false, convert: same }, { name: 'zip', optional: true, convert: same }] },
    },
    priority: { kind: 'literal', value: 1 },
    gift: { kind: 'literal', value: false },
  }),
  compensate: { service: 'orders', endpoint: 'cancelOrder', input: object({ id: sagaId }) },
  timeoutMs: null,
  source,
};

/** placeOrder: reserves at stock, then creates the order here; its output is the created order. */
export const placeOrder: OrchestratedSagaModel = {
  kind: 'orchestrated',
  name: 'placeOrder',
  description: 'Places an order: reserves the stock, then records the order.',
  service: 'orders',
  input: 'PlaceOrder',
  output: { type: 'Order', value: fromStep('createOrder') },
  steps: [reserve, createOrder],
  source,
};

/** pickUp: a nested object mapping reading an optional field through an optional record, and an object output. */
export const pickUp: OrchestratedSagaModel = {
  kind: 'orchestrated',
  name: 'pickUp',
  service: 'orders',
  input: 'PlaceOrder',
  output: { type: 'Receipt', value: object({ orderId: fromStep('createOrder', 'id'), customer: fromInput('customer') }) },
  steps: [
    {
      ...createOrder,
      input: object({
        id: sagaId,
        customer: fromInput('customer'),
        reservation: { kind: 'literal', value: "counter 'A'" },
        total: { kind: 'literal', value: 0 },
        currency: { kind: 'literal', value: 'usd' },
        shipTo: object({ street: { kind: 'literal', value: 'Counter' }, zip: fromInput('address', 'zip') }),
        priority: { kind: 'literal', value: 2 },
        gift: { kind: 'literal', value: true },
      }),
      compensate: null,
    },
  ],
  source,
};

/**
 * The model of the two-service spec above, with `sagas` attached to orders (default: placeOrder and pickUp).
 *
 * @param sagas - the sagas orders runs (default: [placeOrder, pickUp])
 * @example const model = await sagaMesh(); // orders runs placeOrder and pickUp
 */
export async function sagaMesh(sagas: SagaModel[] = [placeOrder, pickUp]): Promise<MeshModel> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'saga-mesh-'));
  try {
    for (const [file, text] of Object.entries(specFiles)) {
      await mkdir(path.dirname(path.join(root, 'spec', file)), { recursive: true });
      await writeFile(path.join(root, 'spec', file), text);
    }
    const { model, diagnostics } = await compileSpec('spec', root);
    if (!model) throw new Error(`the saga test spec does not compile: ${JSON.stringify(diagnostics)}`);
    return { ...model, services: model.services.map((s) => (s.name === 'orders' ? { ...s, sagas } : s)) };
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}
