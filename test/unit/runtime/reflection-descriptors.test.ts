// The descriptors reflection serves, repaired to protoc's shape: found by the valid-spec property
// (seed 31): a message with a map field named `type` beside a message named `Type` had the other
// fields of type `Type` renamed to the map's entry, and @grpc/reflection warned on every start.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadSync } from '@grpc/proto-loader';
import descriptor from 'protobufjs/ext/descriptor/index.js';
import { afterAll, describe, expect, it } from 'vitest';
import { withValidFileDescriptors } from '../../../runtime/grpc/reflection-descriptors.js';

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

describe('reflection descriptors', () => {
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
