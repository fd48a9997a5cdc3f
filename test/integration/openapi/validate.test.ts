// The OpenAPI documents of the example spec against real validators: the OpenAPI 3.1 schema
// (@seriousme/openapi-schema-validator), a JSON-pointer walk for every `$ref`, and Ajv 2020 in
// strict mode for the component schemas (the OpenAPI schema does not look inside them).
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { emitOpenApi } from '../../../generator/emit/openapi/index.js';
import { compileSpec } from '../../../generator/pipeline.js';
import { compileComponents, unresolvedRefs, validateOpenApi, type Doc } from '../../support/openapi.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const { model, diagnostics } = await compileSpec('spec', root);
if (!model) throw new Error(`the example spec does not compile: ${JSON.stringify(diagnostics, null, 2)}`);
const files = emitOpenApi(model, { hooksImport: '../hooks' });
const docs: [string, Doc][] = files.map((f) => [f.path, parse(f.content) as Doc]);
const fresh = (path: string): Doc => parse(files.find((f) => f.path === path)?.content ?? '') as Doc;

describe('OpenAPI documents of the example spec', () => {
  it('has one document per service', () => {
    expect(files.map((f) => f.path)).toEqual(model.services.map((s) => `openapi/${s.name}.openapi.yaml`));
    expect(files).toHaveLength(4);
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

  it('documents the example endpoints as the model says', () => {
    const orders = fresh('openapi/orders.openapi.yaml');
    expect(orders.paths['/orders/{id}/cancel'].post.requestBody).toBeUndefined();
    expect(Object.keys(orders.paths['/orders/{id}/cancel'].post.responses)).toEqual(['200', '400', '404', '409', '500']);
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
    delete doc.paths['/users/{id}'].get.responses['404'].description;
    expect((await validateOpenApi(doc)).valid).toBe(false);
  });

  it('the $ref walk reports a reference to a missing component', () => {
    const doc = fresh(path);
    delete doc.components.schemas.User;
    expect(unresolvedRefs(doc)).toContain('#/components/schemas/User');
  });

  it('Ajv rejects a component schema with an unknown type', () => {
    const doc = fresh(path);
    doc.components.schemas.User.properties.email.type = 'strnig';
    expect(() => compileComponents(doc)).toThrow(/type/);
  });
});
