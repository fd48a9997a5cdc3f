// The codec on its own: values the spec cannot name, and definitions that do not match the protos.
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import protobuf from 'protobufjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ValidationFailed } from '../../../runtime/errors/index.js';
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
  it('drops response enum numbers that have no spec value (UNSPECIFIED or from a newer peer)', () => {
    const bytes = Buffer.from(root.lookupType('acme.catalog.v1.GetItemResponse').encode({ item: { ...zeroItem(), kind: 0, kinds: [2, 99, 0, 1], http: 7 } }).finish());
    const decoded = createGrpcCodec(definition, schemas).endpoint('getItem').decodeOutput(bytes) as Record<string, unknown>;
    expect(decoded).not.toHaveProperty('kind');
    expect(decoded).not.toHaveProperty('http');
    expect(decoded.kinds).toStrictEqual(['digitalDownload', 'physical']);
  });

  it('decodes what another proto3 implementation sends for defaults: nothing at all', () => {
    // kind is required and an enum: its zero, UNSPECIFIED, is no value; the first real one is 1.
    const defaults = Buffer.from(root.lookupType('acme.catalog.v1.PutItemRequest').encode({ item: { kind: 1 } }).finish());
    const decoded = createGrpcCodec(definition, schemas).endpoint('putItem').decodeInput(defaults);
    expect(decoded).toStrictEqual(zeroItem());
  });

  it('rejects request enum numbers without a spec value as ValidationFailed naming the full field path', () => {
    // Behaviour changed on purpose: requests used to drop such values, so a filter of 99 matched everything.
    const putItem = createGrpcCodec(definition, schemas).endpoint('putItem');
    const PutItemRequest = root.lookupType('acme.catalog.v1.PutItemRequest');
    const child = { ...zeroItem(), kind: 1, kinds: [] };
    const cases: [Record<string, unknown>, string, string][] = [
      [{}, 'PutItemRequest.item.kind: ITEM_KIND_UNSPECIFIED (0) is not a value of ItemKind: expected one of ITEM_KIND_PHYSICAL, ITEM_KIND_DIGITAL_DOWNLOAD', '/kind'],
      [{ kind: 1, kinds: [2, 99] }, 'PutItemRequest.item.kinds[1]: 99 is not a value of ItemKind: expected one of ITEM_KIND_PHYSICAL, ITEM_KIND_DIGITAL_DOWNLOAD', '/kinds/1'],
      [{ kind: 1, status: 0 }, 'PutItemRequest.item.status: STATUS_UNSPECIFIED (0) is not a value of Status: expected one of STATUS_ACTIVE, STATUS_RETIRED', '/status'],
      [{ kind: 1, http: 4 }, 'PutItemRequest.item.http: 4 is not a value of HTTPStatus: expected one of HTTP_STATUS_OK, HTTP_STATUS_NOT_FOUND, HTTP_STATUS_V2_GONE', '/http'],
      [{ kind: 1, children: [child, child, { ...child, kind: 7 }] }, 'PutItemRequest.item.children[2].kind: 7 is not a value of ItemKind: expected one of ITEM_KIND_PHYSICAL, ITEM_KIND_DIGITAL_DOWNLOAD', '/children/2/kind'],
    ];
    for (const [item, message, path] of cases) {
      const bytes = Buffer.from(PutItemRequest.encode({ item }).finish());
      const err = (() => {
        try {
          putItem.decodeInput(bytes);
        } catch (e) {
          return e;
        }
        throw new Error(`decoded ${JSON.stringify(item)}`);
      })();
      expect(err).toBeInstanceOf(ValidationFailed);
      expect((err as ValidationFailed).message).toBe(`invalid input: ${message}`);
      expect((err as ValidationFailed).details).toEqual([{ path, message: message.slice(message.indexOf(': ') + 2) }]);
    }
    const ListItemsRequest = root.lookupType('acme.catalog.v1.ListItemsRequest');
    const listItems = createGrpcCodec(definition, schemas).endpoint('listItems');
    expect(() => listItems.decodeInput(Buffer.from(ListItemsRequest.encode({ listItemsQuery: { kind: 3 } }).finish()))).toThrow(
      /^invalid input: ListItemsRequest\.list_items_query\.kind: 3 is not a value of ItemKind/,
    );
    // An unset optional enum is fine, and an unset query is the empty one.
    expect(listItems.decodeInput(Buffer.from(ListItemsRequest.encode({ listItemsQuery: { limit: 5 } }).finish()))).toStrictEqual({ limit: 5 });
    expect(listItems.decodeInput(Buffer.alloc(0))).toStrictEqual({});
  });

  it('names request fields as the proto does, for JSON pointers into the input', () => {
    const codec = createGrpcCodec(definition, schemas);
    const putItem = codec.endpoint('putItem');
    const table: [string, string][] = [
      ['', 'item'],
      ['/count', 'item.count'],
      ['/rating2Value', 'item.rating2_value'],
      ['/children/2/kinds/1', 'item.children[2].kinds[1]'],
      ['/attrs/color', 'item.attrs["color"]'],
      ['/parties/x~1y/partyId', 'item.parties["x/y"].party_id'],
      ['/owner/vip', 'item.owner.vip'],
      ['/bogus/0/deeper', 'item.bogus[0].deeper'],
    ];
    for (const [pointer, path] of table) expect([pointer, putItem.fieldPath(pointer)]).toEqual([pointer, path]);
    expect(codec.endpoint('getItem').fieldPath('/id')).toBe('id');
    expect(codec.endpoint('listItems').fieldPath('/kind')).toBe('list_items_query.kind');
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
