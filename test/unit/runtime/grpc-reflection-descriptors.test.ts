// The file descriptors server reflection sends, as protoc would write them (imports, map entry
// names, reserved ranges, proto3 optional), from the fixture model's emitted protos.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path, { join } from 'node:path';
import { loadSync } from '@grpc/proto-loader';
import descriptor from 'protobufjs/ext/descriptor/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withValidFileDescriptors } from '../../../runtime/grpc/reflection-descriptors.js';
import { writeProtos } from '../../integration/proto/write-protos.js';
import { fixtureModel } from '../proto/model-fixture.js';

let out: string;
let files: Map<string, Record<string, unknown>>;

beforeAll(async () => {
  out = await writeProtos(fixtureModel());
  const definitions = withValidFileDescriptors(loadSync('acme/catalog/v1/catalog.proto', { keepCase: true, includeDirs: [join(out, 'proto')] }));
  files = new Map();
  for (const definition of Object.values(definitions)) {
    for (const bytes of (definition as { fileDescriptorProtos?: Buffer[] }).fileDescriptorProtos ?? []) {
      const file = descriptor.FileDescriptorProto.toObject(descriptor.FileDescriptorProto.decode(bytes)) as Record<string, unknown>;
      files.set(file.name as string, file);
    }
  }
});

afterAll(async () => {
  await rm(out, { recursive: true, force: true });
});

type Message = { name: string; field?: Record<string, unknown>[]; nestedType?: Message[]; reservedRange?: unknown[] };
const message = (file: string, name: string) => ((files.get(file)!.messageType as Message[]) ?? []).find((m) => m.name === name)!;
const field = (m: Message, name: string) => m.field!.find((f) => f.name === name)!;

describe('reflection file descriptors', () => {
  it('declare the imports their references need', () => {
    expect(files.get('acme_catalog_v1.proto')!.dependency).toEqual(['acme_types_v1.proto']);
    expect(files.get('acme_types_v1.proto')!.dependency ?? []).toEqual([]);
  });

  it('name map entries as protoc does, and point the map fields at them', () => {
    const item = message('acme_catalog_v1.proto', 'Item');
    expect(item.nestedType!.map((n) => n.name)).toEqual(['AttrsEntry', 'ScoresEntry', 'PartiesEntry', 'ExtrasEntry']);
    expect([field(item, 'attrs').typeName, field(item, 'parties').typeName]).toEqual(['.acme.catalog.v1.Item.AttrsEntry', '.acme.catalog.v1.Item.PartiesEntry']);
  });

  it('give reserved ranges an exclusive end, and mark proto3 optional fields', () => {
    const item = message('acme_catalog_v1.proto', 'Item');
    expect(item.reservedRange).toEqual([{ start: 5, end: 6 }, { start: 9, end: 10 }]);
    expect([field(item, 'notes').proto3Optional, field(item, 'status').proto3Optional]).toEqual([true, true]);
    expect(field(item, 'id').proto3Optional).toBeUndefined();
  });
});

const dir = mkdtempSync(path.join(tmpdir(), 'reflection-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const proto = `syntax = "proto3";
package x.v1;
message Type { string name = 1; }
message Pod {
  map<string, string> type = 1;
  Type one = 2;
  repeated Type many = 3;
  map<string, Type> field_violations = 4;
}
`;

function pod(): { field: { name: string; typeName?: string }[]; nestedType: { name: string }[] } {
  writeFileSync(path.join(dir, 'x.proto'), proto);
  const definitions = withValidFileDescriptors(loadSync('x.proto', { keepCase: true, includeDirs: [dir] }));
  const bytes = (Object.values(definitions)[0] as { fileDescriptorProtos: Buffer[] }).fileDescriptorProtos[0]!;
  const file = descriptor.FileDescriptorProto.decode(bytes) as unknown as { messageType: { name: string; field: { name: string; typeName?: string }[]; nestedType: { name: string }[] }[] };
  return file.messageType.find((m) => m.name === 'Pod')!;
}

// Found by the valid-spec property (seed 31): a map field named `type` beside a message named `Type`
// had the other fields of type `Type` pointed at the map's entry, and @grpc/reflection warned at start.
describe('reflection file descriptors of a message whose map field shares a name with another message', () => {
  it('names map entries as protoc does, fully qualified, and leaves other fields of a same-named type alone', () => {
    const message = pod();
    const typeOf = (name: string) => message.field.find((f) => f.name === name)?.typeName;
    expect(message.nestedType.map((n) => n.name).sort()).toEqual(['FieldViolationsEntry', 'TypeEntry']);
    expect(typeOf('type')).toBe('.x.v1.Pod.TypeEntry');
    expect(typeOf('field_violations')).toBe('.x.v1.Pod.FieldViolationsEntry');
    expect(typeOf('one')).not.toMatch(/Entry$/);
    expect(typeOf('many')).not.toMatch(/Entry$/);
  });
});
