// The OpenAPI documents of the example spec against real validators: the OpenAPI 3.1 schema
// (@seriousme/openapi-schema-validator), a JSON-pointer walk for every `$ref`, and Ajv 2020 in
// strict mode for the component schemas (the OpenAPI schema does not look inside them).
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { emitOpenApi } from '../../../generator/emit/openapi/index.js';
import { compileSpec } from '../../../generator/pipeline.js';
import { defaultLayout } from '../../../generator/naming/index.js';
import { compileComponents, compileOperationSchemas, exampleCount, invalidExamples, unresolvedRefs, validateOpenApi, type Doc } from '../../support/openapi.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const { model, diagnostics } = await compileSpec('spec', root);
if (!model) throw new Error(`the example spec does not compile: ${JSON.stringify(diagnostics, null, 2)}`);
const files = emitOpenApi(model, { layout: defaultLayout });
const docs: [string, Doc][] = files.map((f) => [f.path, parse(f.content) as Doc]);
const fresh = (path: string): Doc => parse(files.find((f) => f.path === path)?.content ?? '') as Doc;

describe('OpenAPI documents of the example spec', () => {
  it("has one document per service, and the gateway's", () => {
    expect(files.map((f) => f.path)).toEqual([...model.services.map((s) => `openapi/${s.name}.openapi.yaml`), 'openapi/gateway.openapi.yaml']);
    expect(files).toHaveLength(5);
  });

  it.each(docs)('%s is valid OpenAPI 3.1', async (_path, doc) => {
    const result = await validateOpenApi(doc);
    expect(result.errors).toBeUndefined();
    expect(result.valid).toBe(true);
    expect(result.version).toBe('3.1');
  });

  it.each(docs)('%s resolves every $ref', (_path, doc) => {
    expect(unresolvedRefs(doc)).toEqual([]);
  });

  it.each(docs)('%s has component schemas that compile as JSON Schema 2020-12', (_path, doc) => {
    expect(compileComponents(doc)).toContain('Error');
  });

  it.each(docs)('%s has operation and response schemas that compile as JSON Schema 2020-12', (_path, doc) => {
    expect(compileOperationSchemas(doc)).toContain('#/components/responses/Internal/content/application/json/schema');
  });

  it.each(docs)('%s has examples that its schemas accept', (_path, doc) => {
    expect(exampleCount(doc)).toBeGreaterThan(5);
    expect(invalidExamples(doc)).toEqual([]);
  });

  it.each(files.map((f) => [f.path, f.content]))('%s reads the same as YAML 1.1 and 1.2', (_path, content) => {
    expect(parse(content, { version: '1.1' })).toEqual(parse(content));
  });

  it.each(docs)('%s has links that name an operation and feed its path params from required fields', (_path, doc) => {
    const operations = new Map<string, { path: string; op: Doc }>();
    for (const [path, item] of Object.entries(doc.paths as Doc)) for (const op of Object.values(item as Doc)) operations.set(op.operationId, { path, op });
    let links = 0;
    for (const { op } of operations.values()) {
      for (const [status, response] of Object.entries(op.responses as Doc)) {
        for (const [name, link] of Object.entries((response.links ?? {}) as Doc)) {
          links++;
          const target = operations.get(link.operationId);
          expect(target, `${op.operationId} ${status} -> ${name}`).toBeDefined();
          const pathParams = [...target!.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
          expect(Object.keys(link.parameters)).toEqual(pathParams);
          const output = doc.components.schemas[response.content['application/json'].schema.$ref.split('/').pop()];
          for (const value of Object.values(link.parameters) as string[]) {
            expect(value).toMatch(/^\$response\.body#\/\w+$/);
            expect(output.required).toContain(value.split('/').pop());
          }
        }
      }
    }
    expect(links).toBeGreaterThan(0);
  });

  it('links what a create returns to the operations on it', () => {
    const orders = fresh('openapi/orders.openapi.yaml');
    const created = orders.paths['/orders'].post.responses['201'];
    expect(Object.keys(created.links)).toEqual(['cancelOrder', 'cancelPlacedOrder', 'getOrder']);
    expect(created.links.getOrder).toMatchObject({ operationId: 'getOrder', parameters: { id: '$response.body#/id' } });
    expect(created.links.cancelPlacedOrder).toMatchObject({ parameters: { orderId: '$response.body#/id' } });
    // A saga's start links to its status, by the status's sagaId.
    expect(orders.paths['/orders/placements'].post.responses['201'].links).toEqual({
      getPlacement: { operationId: 'getPlacement', parameters: { id: '$response.body#/sagaId' }, description: expect.any(String) },
    });
    // No hook answers a saga's start or status, so no stub can answer 501; a hooked endpoint lists it.
    expect(orders.paths['/orders/placements'].post.responses['501']).toBeUndefined();
    expect(orders.paths['/orders/placements/{id}'].get.responses['501']).toBeUndefined();
    expect(orders.paths['/orders'].post.responses['501']).toBeDefined();
    // The gateway's document names only operations it has: /placed-orders is not routed.
    const gateway = fresh('openapi/gateway.openapi.yaml');
    expect(Object.keys(gateway.paths['/api/v1/orders'].post.responses['201'].links)).toEqual(['cancelOrder', 'getOrder']);
    expect(fresh('openapi/inventory.openapi.yaml').paths['/reservations'].post.responses['201'].links.releaseReservation.parameters).toEqual({
      orderId: '$response.body#/orderId',
    });
  });

  it('carries request and response examples for the success paths', () => {
    const orders = fresh('openapi/orders.openapi.yaml');
    const create = orders.paths['/orders'].post;
    expect(create.requestBody.content['application/json'].example).toEqual({
      userId: '5f0c9a8e-3b1d-4c2a-9e7f-1a2b3c4d5e6f',
      items: [{ productId: 'sku-keyboard', quantity: 2 }],
    });
    expect(create.responses['201'].content['application/json'].example).toMatchObject({ status: 'pending', createdAt: '2024-05-01T12:00:00.000Z' });
    expect(orders.paths['/orders'].get.parameters.map((p: Doc) => p.example)).toEqual(['5f0c9a8e-3b1d-4c2a-9e7f-1a2b3c4d5e6f', 'pending']);
  });

  it('documents the example endpoints as the model says', () => {
    const orders = fresh('openapi/orders.openapi.yaml');
    expect(orders.paths['/orders/{id}/cancel'].post.requestBody).toBeUndefined();
    // No body: no 413 or 415; every operation: 405 for other methods, 500, and the pass-through 501, 503, 504.
    expect(Object.keys(orders.paths['/orders/{id}/cancel'].post.responses)).toEqual(['200', '400', '404', '405', '409', '500', '501', '503', '504']);
    expect(Object.keys(orders.paths['/orders'].post.responses)).toEqual(['201', '400', '404', '405', '409', '413', '415', '422', '500', '501', '503', '504']);
    expect(orders.paths['/orders'].post.responses['409']).toEqual({ $ref: '#/components/responses/OutOfStock' });
    expect(orders.paths['/orders'].get.parameters.map((p: Doc) => `${p.in}:${p.name}:${p.required}`)).toEqual([
      'query:userId:false',
      'query:status:false',
    ]);
    expect(orders.paths['/orders'].post['x-emits']).toEqual(['order.created']);
    const inventory = fresh('openapi/inventory.openapi.yaml');
    expect(inventory.paths['/reservations/{orderId}'].delete.responses['204']).toEqual({ description: 'No Content' });
    expect(inventory.components.schemas.ReservationState.enum).toEqual(['held', 'committed', 'released']);
  });
});

describe('the validators are live', () => {
  const path = 'openapi/users.openapi.yaml';

  it('the OpenAPI validator rejects a document without info.version', async () => {
    const doc = fresh(path);
    delete doc.info.version;
    expect((await validateOpenApi(doc)).valid).toBe(false);
  });

  it('the OpenAPI validator rejects a response without a description', async () => {
    const doc = fresh(path);
    delete doc.components.responses.NotFound.description;
    expect((await validateOpenApi(doc)).valid).toBe(false);
  });

  it('the $ref walk reports a reference to a missing component', () => {
    const doc = fresh(path);
    delete doc.components.schemas.User;
    expect(unresolvedRefs(doc)).toContain('#/components/schemas/User');
  });

  it('Ajv rejects a response schema with an unknown keyword', () => {
    const doc = fresh(path);
    doc.components.responses.NotFound.content['application/json'].schema.allOf[1].propertis = {};
    expect(() => compileOperationSchemas(doc)).toThrow(/propertis/);
  });

  it('the example check reports an example its schema rejects', () => {
    const doc = fresh('openapi/orders.openapi.yaml');
    doc.paths['/orders'].post.requestBody.content['application/json'].example.items[0].quantity = 0;
    doc.components.schemas.Order.properties.userId.examples = ['not-a-uuid'];
    expect(invalidExamples(doc)).toEqual([
      expect.stringMatching(/^#\/paths\/\/orders\/post\/requestBody\/content\/application\/json\/example: .*quantity must be >= 1/),
      expect.stringMatching(/^#\/components\/schemas\/Order\/properties\/userId\/examples\/0: data must match format "uuid"/),
    ]);
  });

  it('Ajv rejects a component schema with an unknown type', () => {
    const doc = fresh(path);
    doc.components.schemas.User.properties.email.type = 'strnig';
    expect(() => compileComponents(doc)).toThrow(/type/);
  });
});
