// The codec on its own: values the spec cannot name, and definitions that do not match the protos.
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import protobuf from 'protobufjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGrpcCodec } from '../../../runtime/grpc/index.js';
import type { ServiceDefinition } from '../../../runtime/service/definition.js';
import type { SchemaRegistry } from '../../../runtime/validation/types.js';
import { fixtureModel } from '../../unit/proto/model-fixture.js';
import { writeProtos } from '../proto/write-protos.js';
import { definitionOf, schemasOf } from './harness.js';
import { zeroItem } from './items.js';

let out: string;
let definition: ServiceDefinition;
let schemas: SchemaRegistry;
let root: protobuf.Root;

beforeAll(async () => {
  const model = fixtureModel();
  out = await writeProtos(model);
  definition = definitionOf(model, 'catalog', join(out, 'proto'));
  schemas = schemasOf(model);
  root = new protobuf.Root();
  root.resolvePath = (_origin, target) => join(out, 'proto', target);
  root.loadSync('acme/catalog/v1/catalog.proto');
});

afterAll(async () => {
  await rm(out, { recursive: true, force: true });
});

function withDefs(change: (defs: Record<string, object>) => void): SchemaRegistry {
  const defs = structuredClone(schemas.$defs) as Record<string, object>;
  change(defs);
  return { $id: schemas.$id, $defs: defs };
}

describe('gRPC codec', () => {
  it('drops enum numbers that have no spec value (UNSPECIFIED or from a newer peer)', () => {
    const bytes = Buffer.from(root.lookupType('acme.catalog.v1.GetItemResponse').encode({ item: { ...zeroItem(), kind: 0, kinds: [2, 99, 0, 1], http: 7 } }).finish());
    const decoded = createGrpcCodec(definition, schemas).endpoint('getItem').decodeOutput(bytes) as Record<string, unknown>;
    expect(decoded).not.toHaveProperty('kind');
    expect(decoded).not.toHaveProperty('http');
    expect(decoded.kinds).toStrictEqual(['digitalDownload', 'physical']);
  });

  it('decodes what another proto3 implementation sends for defaults: nothing at all', () => {
    const empty = Buffer.from(root.lookupType('acme.catalog.v1.PutItemRequest').encode({ item: {} }).finish());
    const decoded = createGrpcCodec(definition, schemas).endpoint('putItem').decodeInput(empty);
    expect(decoded).toStrictEqual({ id: '', count: 0, price: 0, active: false, tags: [], attrs: {}, children: [], scores: {}, kinds: [], parties: {} });
  });

  it('is built once per definition and schemas', () => {
    expect(createGrpcCodec(definition, schemas)).toBe(createGrpcCodec(definition, schemas));
    expect(createGrpcCodec(definition, withDefs(() => undefined))).not.toBe(createGrpcCodec(definition, schemas));
  });

  it('refuses definitions and schemas that do not match the proto, at startup', () => {
    expect(() => createGrpcCodec({ ...definition, proto: null }, schemas)).toThrow(/service catalog has no gRPC port/);
    const renamed = { ...definition, endpoints: definition.endpoints.map((e) => (e.name === 'getItem' ? { ...e, grpc: { ...e.grpc, method: 'FetchItem' } } : e)) };
    expect(() => createGrpcCodec(renamed, schemas)).toThrow(/acme\.catalog\.v1\.CatalogService has no rpc FetchItem/);
    const shorter = withDefs((defs) => (defs['catalog.ItemKind'] = { type: 'string', enum: ['physical'] }));
    expect(() => createGrpcCodec(definition, shorter)).toThrow(/proto enum ItemKind has 2 values but its schema 1/);
    const missing = withDefs((defs) => delete defs.Party);
    expect(() => createGrpcCodec(definition, missing)).toThrow(/the mesh schemas have no type Party/);
    expect(() => createGrpcCodec(definition, schemas).endpoint('nope')).toThrow(/no endpoint nope/);
  });
});
