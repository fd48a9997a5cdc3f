// The gateway's merged OpenAPI document, built from the example spec: public paths only, the
// gateway's own answers, the security scheme on every route but the public ones, a valid document
// whose every $ref resolves, and renaming where two services' components clash.
import { beforeAll, describe, expect, it } from 'vitest';
import { buildGatewayDocument } from '../../../generator/emit/openapi/gateway-document.js';
import type { GatewayRouteModel, MeshModel } from '../../../generator/model/types.js';
import { compileSpec } from '../../../generator/pipeline.js';
import { unresolvedRefs, validateOpenApi, type Doc } from '../../support/openapi.js';

let model: MeshModel;
beforeAll(async () => {
  const compiled = await compileSpec('spec');
  if (!compiled.model) throw new Error(`the example spec does not compile: ${JSON.stringify(compiled.diagnostics)}`);
  model = compiled.model;
});

const secured = { authenticates: true, publicPrefixes: new Set(['/api/v1/products']), rateLimited: true };

describe('the gateway document', () => {
  it('lists the services\' paths under the public prefixes only', () => {
    const doc = buildGatewayDocument(model, secured);
    const paths = Object.keys(doc.paths ?? {});
    expect(paths.length).toBeGreaterThan(5);
    expect(paths.every((path) => path.startsWith('/api/v1/'))).toBe(true);
    expect(paths).toContain('/api/v1/users/{id}');
    expect(paths).toContain('/api/v1/orders');
    // Every service operation a route reaches is there, once.
    const reachable = model.services
      .filter((s) => model.gateway!.routes.some((r) => r.service === s.name))
      .flatMap((s) => s.endpoints.filter((e) => model.gateway!.routes.some((r) => r.service === s.name && e.http.path.startsWith(r.rewrite))));
    const operations = Object.values(doc.paths ?? {}).flatMap((item) => Object.keys(item ?? {}));
    expect(operations).toHaveLength(reachable.length);
  });

  it('is a valid OpenAPI 3.1 document whose every $ref resolves', async () => {
    const doc = buildGatewayDocument(model, secured) as Doc;
    expect(await validateOpenApi(doc)).toMatchObject({ valid: true, version: '3.1' });
    expect(unresolvedRefs(doc)).toEqual([]);
  });

  it('asks for the bearer token on every route but the public ones, and lists the gateway\'s answers', () => {
    const doc = buildGatewayDocument(model, secured) as Doc;
    expect(doc.components.securitySchemes.bearerAuth).toEqual({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
    const order = doc.paths['/api/v1/orders'].post;
    expect(order.security).toEqual([{ bearerAuth: [] }]);
    for (const status of ['401', '413', '429', '502', '503', '504']) expect(order.responses[status], status).toBeDefined();
    const product = Object.values(doc.paths['/api/v1/products/{id}'] as Record<string, Doc>)[0]!;
    expect(product.security).toEqual([]);
    expect(product.responses['401']).toBeUndefined();
  });

  it('without authentication or limits, has no security scheme, 401 or 429', () => {
    const doc = buildGatewayDocument(model, { authenticates: false, publicPrefixes: new Set(), rateLimited: false }) as Doc;
    expect(doc.components.securitySchemes).toBeUndefined();
    const order = doc.paths['/api/v1/orders'].post;
    expect(order.security).toBeUndefined();
    expect(order.responses['401']).toBeUndefined();
    expect(order.responses['429']).toBeUndefined();
  });

  it("lists the gateway's 405 with its Allow header, and leaves out operations whose method the route does not take", () => {
    const doc = buildGatewayDocument(model, secured) as Doc;
    expect(doc.components.responses.GatewayMethodNotAllowed.headers.Allow).toBeDefined();
    expect(doc.paths['/api/v1/users'].post).toBeDefined();
    // The same mesh with the users route taking GET only: its POST is the gateway's 405, not the public API.
    const routes: GatewayRouteModel[] = model.gateway!.routes.map((r) => (r.prefix === '/api/v1/users' ? { ...r, methods: ['GET', 'HEAD', 'OPTIONS'] } : r));
    const narrowed = buildGatewayDocument({ ...model, gateway: { ...model.gateway!, routes } }, secured) as Doc;
    expect(Object.keys(narrowed.paths['/api/v1/users'])).toEqual(['get']);
    expect(Object.keys(narrowed.paths['/api/v1/users/{id}'])).toEqual(['get']);
  });

  it('keeps operation ids unique across services', () => {
    const doc = buildGatewayDocument(model, secured) as Doc;
    const ids = Object.values(doc.paths as Record<string, Record<string, Doc>>).flatMap((item) => Object.values(item).map((op) => op.operationId as string));
    expect(new Set(ids).size).toBe(ids.length);
  });
});
