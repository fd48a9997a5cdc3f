// What the model makes of a saga: its synthesized types (in its service's scope, numbered as the
// contract says, `output` only when the saga has one), its events (published by its service, their
// payloads its own), and the endpoints that start it or answer its status (implied input and output,
// the wait in ms or until the deadline, the status path for a 202's Location, NotFound and Conflict).
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatDiagnostic } from '../../../generator/language/diagnostics.js';
import type { MeshModel } from '../../../generator/model/types.js';
import { compileSpec } from '../../../generator/pipeline.js';
import { repoRoot } from '../../support/project.js';

const fixture = path.join(repoRoot, 'test/fixtures/sagas');
let root: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'meshspec-saga-endpoints-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

let cases = 0;
/** The model of the fixture with `edit` applied to orders.yaml (throws with the diagnostics when there is none). */
async function compile(edit: (text: string) => string = (t) => t): Promise<MeshModel> {
  const dir = path.join(root, `case${cases++}`);
  await cp(fixture, dir, { recursive: true });
  const file = path.join(dir, 'spec/services/orders.yaml');
  await writeFile(file, edit(await readFile(file, 'utf8')));
  const result = await compileSpec('spec', dir);
  if (!result.model) throw new Error(result.diagnostics.map(formatDiagnostic).join('\n'));
  return result.model;
}

const fieldsOf = (model: MeshModel, name: string) => {
  const type = model.types.find((t) => t.owner === 'orders' && t.name === name);
  return type?.kind === 'record' ? type.fields.map((f) => `${f.number}:${f.name}${f.optional ? '?' : ''}`) : type?.values;
};

describe('a saga in the model', () => {
  it("synthesizes its types in its service's scope and its events, published by its service", async () => {
    const model = await compile();
    expect(fieldsOf(model, 'SagaState')).toEqual(['running', 'compensating', 'completed', 'compensated', 'stuck']);
    expect(fieldsOf(model, 'SagaFailure')).toEqual(['1:step', '2:code', '3:message']);
    expect(fieldsOf(model, 'PlaceOrderStatus')).toEqual(['1:sagaId', '2:state', '3:output?', '4:failure?']);
    expect(fieldsOf(model, 'PlaceOrderCompleted')).toEqual(['1:sagaId', '2:output']);
    expect(fieldsOf(model, 'PlaceOrderFailed')).toEqual(['1:sagaId', '2:state', '3:failure']);
    expect(model.events.map((e) => [e.name, e.payload, e.payloadScope, e.publishers, e.subscribers])).toEqual([
      ['placeOrder.completed', 'PlaceOrderCompleted', 'orders', ['orders'], [{ service: 'users', handler: 'welcomeBuyer' }]],
      ['placeOrder.failed', 'PlaceOrderFailed', 'orders', ['orders'], []],
    ]);
  });

  it('has no output field when the saga has no output', async () => {
    const model = await compile((t) => t.replace('    output: steps.createOrder\n', ''));
    expect(fieldsOf(model, 'PlaceOrderStatus')).toEqual(['1:sagaId', '2:state', '3:failure?']);
    expect(fieldsOf(model, 'PlaceOrderCompleted')).toEqual(['1:sagaId']);
  });

  it('gives the endpoints that start it or answer its status their implied types, wait and errors', async () => {
    const model = await compile();
    const endpoints = model.services.find((s) => s.name === 'orders')!.endpoints;
    const start = endpoints.find((e) => e.name === 'placeOrder')!;
    expect(start).toMatchObject({
      input: 'PlaceOrder', inputSynthesized: false, output: { type: 'PlaceOrderStatus', list: false },
      http: { successStatus: 201, inputSource: 'body' },
      startsSaga: { saga: 'placeOrder', waitMs: 8000, statusPath: '/orders/placements/{id}' },
    });
    expect(start.errors.map((e) => e.name)).toEqual(['Conflict', 'OutOfStock']);
    const status = endpoints.find((e) => e.name === 'getPlacement')!;
    expect(status).toMatchObject({ input: 'GetPlacementInput', inputSynthesized: true, output: { type: 'PlaceOrderStatus', list: false }, sagaStatus: 'placeOrder' });
    expect(status.errors.map((e) => e.name)).toEqual(['NotFound']);
  });

  it("waits until the caller's deadline with `wait: true`, answers 202 at once without `wait`, and has no status path without a status endpoint", async () => {
    const deadline = await compile((t) => t.replace('wait: 8s', 'wait: true'));
    expect(deadline.services.find((s) => s.name === 'orders')!.endpoints.find((e) => e.name === 'placeOrder')!.startsSaga?.waitMs).toBe('deadline');
    const atOnce = await compile((t) => t.replace('    wait: 8s\n', '').replace(/ {2}getPlacement:\n.*\n.*\n/, ''));
    expect(atOnce.services.find((s) => s.name === 'orders')!.endpoints.find((e) => e.name === 'placeOrder')!.startsSaga).toEqual({ saga: 'placeOrder', waitMs: null, statusPath: null });
  });
});
