// The proto emitter over a hand-built model: layout, numbering, names, labels, imports, errors.
import { describe, expect, it } from 'vitest';
import { emitProto } from '../../../generator/emit/proto/index.js';
import type { EmittedFile } from '../../../generator/emit/types.js';
import type { MeshModel, RecordTypeModel } from '../../../generator/model/types.js';
import { fixtureModel } from './model-fixture.js';
import { defaultLayout } from '../../../generator/naming/index.js';

const options = { layout: defaultLayout };

function emit(model: MeshModel): Map<string, EmittedFile> {
  return new Map(emitProto(model, options).map((f) => [f.path, f]));
}

function content(files: Map<string, EmittedFile>, path: string): string {
  const file = files.get(path);
  if (!file) throw new Error(`no ${path} among ${[...files.keys()].join(', ')}`);
  return file.content;
}

/** The block of a top-level declaration (`message X {`...`}`), with its leading comments. */
function block(text: string, head: string): string {
  const lines = text.split('\n');
  const start = lines.indexOf(head);
  if (start < 0) throw new Error(`no "${head}" in:\n${text}`);
  let first = start;
  while (first > 0 && lines[first - 1]!.startsWith('//')) first--;
  const end = head.endsWith('{}') ? start : lines.indexOf('}', start);
  return lines.slice(first, end + 1).join('\n');
}

function record(model: MeshModel, name: string): RecordTypeModel {
  const type = model.types.find((t) => t.name === name);
  if (type?.kind !== 'record') throw new Error(`no record ${name}`);
  return type;
}

const CATALOG = 'proto/acme/catalog/v1/catalog.proto';
const TYPES = 'proto/acme/types/v1/types.proto';

describe('emitProto', () => {
  it('emits buf.yaml, the mesh types file and a file per service with a gRPC port only', () => {
    const files = emit(fixtureModel());
    expect([...files.keys()].sort()).toEqual(['proto/acme/catalog/v1/catalog.proto', 'proto/acme/types/v1/types.proto', 'proto/buf.yaml']);
    expect(content(files, 'proto/buf.yaml')).toBe('version: v2\nmodules:\n  - path: .\nlint:\n  use:\n    - STANDARD\n');
    expect(files.get(CATALOG)!.sources).toEqual(['mesh.yaml', 'services/catalog.yaml']);
    expect(files.get(TYPES)!.sources).toEqual(['mesh.yaml']);
  });

  it('starts each file with syntax and package, and imports the mesh types only where used', () => {
    const files = emit(fixtureModel());
    expect(content(files, CATALOG).startsWith('syntax = "proto3";\n\npackage acme.catalog.v1;\n\nimport "acme/types/v1/types.proto";\n\n')).toBe(true);
    expect(content(files, TYPES)).not.toContain('import ');
    expect(content(files, TYPES).startsWith('syntax = "proto3";\n\npackage acme.types.v1;\n\nenum HTTPStatus {')).toBe(true);
  });

  it('drops the import when no field of the service references a mesh-level type', () => {
    const model = fixtureModel();
    const item = record(model, 'Item');
    item.fields = item.fields.filter((f) => !['status', 'owner', 'parties', 'http'].includes(f.name));
    const text = content(emit(model), CATALOG);
    expect(text).not.toContain('import ');
    expect(text).not.toContain('.acme.types.v1.');
  });

  it('declares the service with one rpc per endpoint, commented with its description', () => {
    const text = content(emit(fixtureModel()), CATALOG);
    expect(block(text, 'service CatalogService {')).toBe(
      [
        '// The catalog.',
        'service CatalogService {',
        '  rpc DeleteItem(DeleteItemRequest) returns (DeleteItemResponse);',
        '  // One item by id.',
        '  rpc GetItem(GetItemRequest) returns (GetItemResponse);',
        '  rpc ListItems(ListItemsRequest) returns (ListItemsResponse);',
        '  rpc PutItem(PutItemRequest) returns (PutItemResponse);',
        '}',
      ].join('\n'),
    );
  });

  it('lists each rpc\'s declared errors with the gRPC code each answers with', () => {
    const model = fixtureModel();
    const catalog = model.services.find((s) => s.name === 'catalog')!;
    const getItem = catalog.endpoints.find((e) => e.name === 'getItem')!;
    getItem.errors = [
      { name: 'NotFound', status: 404, grpc: 'NOT_FOUND', builtin: true },
      { name: 'ItemRetired', status: 409, grpc: 'FAILED_PRECONDITION', builtin: false },
    ];
    expect(block(content(emit(model), CATALOG), 'service CatalogService {')).toContain(
      '  // One item by id.\n  // Errors: NotFound (NOT_FOUND), ItemRetired (FAILED_PRECONDITION).\n  rpc GetItem(GetItemRequest) returns (GetItemResponse);\n',
    );
  });

  it('maps every field kind with its number, snake_case name and label', () => {
    const text = content(emit(fixtureModel()), CATALOG);
    expect(block(text, 'message Item {')).toBe(
      [
        '// Something the catalog sells.',
        'message Item {',
        '  // Stable id.',
        '  // Never reused.',
        '  string id = 1;',
        '  int64 count = 2;',
        '  double price = 3;',
        '  bool active = 4;',
        '  repeated string tags = 6;',
        '  map<string, string> attrs = 7;',
        '  ItemKind kind = 8;',
        '  optional .acme.types.v1.Status status = 10;',
        '  .acme.types.v1.Party owner = 11;',
        '  repeated Item children = 12;',
        '  map<string, int64> scores = 13;',
        '  optional string notes = 14;',
        '  optional double rating2_value = 15;',
        '  repeated ItemKind kinds = 16;',
        '  map<string, .acme.types.v1.Party> parties = 17;',
        '  optional .acme.types.v1.HTTPStatus http = 18;',
        '  repeated string labels = 19;',
        '  map<string, double> extras = 20;',
        '  reserved 5, 9;',
        '}',
      ].join('\n'),
    );
  });

  it('builds request and response messages from the input and output types', () => {
    const text = content(emit(fixtureModel()), CATALOG);
    expect(block(text, 'message GetItemRequest {')).toBe('message GetItemRequest {\n  string id = 1;\n}');
    // A declared input record and an output record travel whole, in field 1.
    expect(block(text, 'message ListItemsRequest {')).toBe('message ListItemsRequest {\n  ListItemsQuery list_items_query = 1;\n}');
    expect(block(text, 'message ListItemsResponse {')).toBe('message ListItemsResponse {\n  repeated Item items = 1;\n}');
    expect(block(text, 'message DeleteItemResponse {}')).toBe('message DeleteItemResponse {}');
    expect(block(text, 'message PutItemRequest {')).toBe('message PutItemRequest {\n  Item item = 1;\n}');
    expect(block(text, 'message PutItemResponse {')).toBe('message PutItemResponse {\n  Item item = 1;\n}');
    expect(block(text, 'message GetItemResponse {')).toBe('message GetItemResponse {\n  Item item = 1;\n}');
  });

  it('names the wrapping field after the type, split into words as buf does', () => {
    const model = fixtureModel();
    record(model, 'ListItemsQuery').name = 'HTTPListQuery';
    model.services[0]!.endpoints[2]!.input = 'HTTPListQuery';
    expect(block(content(emit(model), CATALOG), 'message ListItemsRequest {')).toBe('message ListItemsRequest {\n  HTTPListQuery http_list_query = 1;\n}');
  });

  it('emits the owned types the rpcs reach in name order after the rpc messages, but not inputs synthesized from path params', () => {
    const text = content(emit(fixtureModel()), CATALOG);
    const heads = text.split('\n').filter((l) => /^(message|enum|service) /.test(l)).map((l) => l.replace(/ \{\}?$/, ''));
    expect(heads).toEqual([
      'service CatalogService',
      'message DeleteItemRequest',
      'message DeleteItemResponse',
      'message GetItemRequest',
      'message GetItemResponse',
      'message ListItemsRequest',
      'message ListItemsResponse',
      'message PutItemRequest',
      'message PutItemResponse',
      // deleteItem names GetItemInput as its declared input, so it travels whole; getItem's request has its fields.
      'message GetItemInput',
      'message Item',
      'enum ItemKind',
      'message ListItemsQuery',
    ]);
  });

  it('emits no message for a type no rpc reaches', () => {
    const model = fixtureModel();
    model.types.push({ kind: 'record', name: 'Orphan', owner: 'catalog', fields: [], reserved: [], source: { file: 'services/catalog.yaml', line: 1, col: 1 } });
    model.types.push({ kind: 'record', name: 'SharedOrphan', owner: null, fields: [], reserved: [], source: { file: 'mesh.yaml', line: 1, col: 1 } });
    const files = emit(model);
    expect(content(files, CATALOG)).not.toContain('Orphan');
    expect(content(files, TYPES)).not.toContain('SharedOrphan');
  });

  it('numbers enum values from 1 in spec order after PREFIX_UNSPECIFIED = 0', () => {
    const files = emit(fixtureModel());
    expect(block(content(files, CATALOG), 'enum ItemKind {')).toBe(
      'enum ItemKind {\n  ITEM_KIND_UNSPECIFIED = 0;\n  ITEM_KIND_PHYSICAL = 1;\n  ITEM_KIND_DIGITAL_DOWNLOAD = 2;\n}',
    );
    expect(block(content(files, TYPES), 'enum HTTPStatus {')).toBe(
      'enum HTTPStatus {\n  HTTP_STATUS_UNSPECIFIED = 0;\n  HTTP_STATUS_OK = 1;\n  HTTP_STATUS_NOT_FOUND = 2;\n  HTTP_STATUS_V2_GONE = 3;\n}',
    );
    expect(block(content(files, TYPES), 'enum Status {')).toBe('// Lifecycle.\nenum Status {\n  STATUS_UNSPECIFIED = 0;\n  STATUS_ACTIVE = 1;\n  STATUS_RETIRED = 2;\n}');
  });

  it('references mesh-level types by simple name inside the types file', () => {
    const model = fixtureModel();
    record(model, 'Party').fields.push({ name: 'status', number: 3, optional: false, type: { kind: 'ref', name: 'Status' }, constraints: {} });
    expect(block(content(emit(model), TYPES), 'message Party {')).toBe(
      '// Someone.\nmessage Party {\n  string party_id = 1;\n  optional bool vip = 2;\n  Status status = 3;\n}',
    );
  });

  it('omits the types file when there are no mesh-level types, and everything when nothing needs a proto', () => {
    const model = fixtureModel();
    model.types = model.types.filter((t) => t.owner !== null);
    const item = record(model, 'Item');
    item.fields = item.fields.filter((f) => !['status', 'owner', 'parties', 'http'].includes(f.name));
    expect([...emit(model).keys()].sort()).toEqual([CATALOG, 'proto/buf.yaml']);
    model.services = model.services.filter((s) => s.ports.grpc === null);
    expect(emitProto(model, options)).toEqual([]);
  });

  it('is deterministic and leaves the model untouched', () => {
    const model = fixtureModel();
    const before = structuredClone(model);
    expect(emitProto(model, options)).toEqual(emitProto(model, options));
    expect(model).toEqual(before);
  });

  it('writes multi-line descriptions as one comment line each', () => {
    const model = fixtureModel();
    record(model, 'ListItemsQuery').description = 'First line.\n\nThird line.  ';
    expect(block(content(emit(model), CATALOG), 'message ListItemsQuery {').split('\n').slice(0, 4)).toEqual([
      '// First line.',
      '//',
      '// Third line.',
      'message ListItemsQuery {',
    ]);
  });

  describe('rejects what protobuf cannot express, with a clear error', () => {
    it('a map of arrays and an array of maps', () => {
      const model = fixtureModel();
      record(model, 'Item').fields.push({ name: 'grid', number: 30, optional: false, type: { kind: 'map', values: { kind: 'array', items: { kind: 'primitive', name: 'string' } } }, constraints: {} });
      expect(() => emitProto(model, options)).toThrow(/Item\.grid is a map of arrays/);
      const other = fixtureModel();
      record(other, 'Item').fields.push({ name: 'rows', number: 30, optional: false, type: { kind: 'array', items: { kind: 'map', values: { kind: 'primitive', name: 'string' } } }, constraints: {} });
      expect(() => emitProto(other, options)).toThrow(/Item\.rows is an array of maps/);
    });

    it("a reference to another service's type", () => {
      const model = fixtureModel();
      model.types.push({ kind: 'record', name: 'Page', owner: 'web', fields: [], reserved: [], source: { file: 'services/web.yaml', line: 1, col: 1 } });
      record(model, 'Item').fields.push({ name: 'page', number: 30, optional: false, type: { kind: 'ref', name: 'Page' }, constraints: {} });
      expect(() => emitProto(model, options)).toThrow(/type Page is not in the model \(as seen from catalog\)/);
    });

    it('an enum as a single output, and a type named like an rpc message', () => {
      const model = fixtureModel();
      model.services[0]!.endpoints[3]!.output = { type: 'ItemKind', list: false };
      expect(() => emitProto(model, options)).toThrow(/ItemKind is used as a record but is an enum/);
      const clash = fixtureModel();
      record(clash, 'ListItemsQuery').name = 'GetItemResponse';
      clash.services[0]!.endpoints[2]!.input = 'GetItemResponse';
      expect(() => emitProto(clash, options)).toThrow(/would declare GetItemResponse twice/);
    });

    it('a service named "types" next to mesh-level types', () => {
      const model = fixtureModel();
      model.services[0]!.name = 'types';
      for (const t of model.types) if (t.owner === 'catalog') t.owner = 'types';
      expect(() => emitProto(model, options)).toThrow(/two proto files would be written to proto\/acme\/types\/v1\/types\.proto/);
    });
  });
});
