// The file descriptors server reflection sends, made valid for clients that build a schema from
// them (buf curl, grpcurl: Go's protodesc checks every rule protoc does). proto-loader describes
// one file per package through protobufjs, whose descriptors differ from protoc's in ways that make
// a client drop the whole file, and with it the service:
// - each file's `dependency` (its imports) stays empty, so `shop.orders.v1`'s file cannot resolve
//   `shop.types.v1.OrderStatus`;
// - a map field's entry message is named `Attrs` rather than `AttrsEntry` (protoc's rule);
// - reserved ranges keep protobufjs's inclusive end (`reserved 5` is 5..5) where descriptors have an
//   exclusive one (5..6), so the range is empty;
// - a proto3 `optional` field loses its `proto3_optional` flag, which leaves a real one-field oneof.
import type { PackageDefinition } from '@grpc/proto-loader';
import descriptor from 'protobufjs/ext/descriptor/index.js';

export function withValidFileDescriptors(definitions: PackageDefinition): PackageDefinition {
  const files = new Map<string, FileDescriptor>();
  for (const definition of Object.values(definitions)) {
    for (const bytes of fileDescriptorsOf(definition)) {
      const file = descriptor.FileDescriptorProto.decode(bytes) as unknown as FileDescriptor;
      if (!files.has(file.name)) files.set(file.name, file);
    }
  }
  const owner = new Map<string, string>();
  for (const file of files.values()) for (const symbol of declaredSymbols(file)) owner.set(symbol, file.name);
  const encoded: Buffer[] = [];
  for (const file of files.values()) {
    for (const message of file.messageType ?? []) repair(message, file.package ? `.${file.package}` : '');
    file.dependency = imports(file, owner);
    encoded.push(Buffer.from(descriptor.FileDescriptorProto.encode(file as unknown as descriptor.IFileDescriptorProto).finish()));
  }
  const fixed: PackageDefinition = {};
  for (const [name, definition] of Object.entries(definitions)) fixed[name] = { ...definition, fileDescriptorProtos: encoded } as typeof definition;
  return fixed;
}

interface FileDescriptor {
  name: string;
  package?: string;
  dependency: string[];
  messageType?: MessageDescriptor[];
  enumType?: { name: string }[];
  service?: { name: string; method?: { inputType: string; outputType: string }[] }[];
}

interface MessageDescriptor {
  name: string;
  field?: { name: string; label?: number; typeName?: string; oneofIndex?: number | null; proto3Optional?: boolean }[];
  oneofDecl?: { name: string }[];
  reservedRange?: { start: number; end: number }[];
  options?: { mapEntry?: boolean };
  nestedType?: MessageDescriptor[];
  enumType?: { name: string }[];
}

/** The files declaring what `file` references, other than itself. */
function imports(file: FileDescriptor, owner: ReadonlyMap<string, string>): string[] {
  const found = new Set<string>();
  for (const { scope, name } of references(file)) {
    const declaring = resolveReference(owner, scope, name);
    if (declaring !== undefined && declaring !== file.name) found.add(declaring);
  }
  return [...found].sort();
}

const LABEL_REPEATED = 3;

/**
 * Map entries, reserved ranges and optional fields of `message` (fully qualified `scope.name`) and its
 * nested messages as protoc describes them.
 */
function repair(message: MessageDescriptor, scope: string): void {
  const fqn = `${scope}.${message.name}`;
  const entries = new Map((message.nestedType ?? []).filter((n) => n.options?.mapEntry === true).map((n) => [n.name, n]));
  const oneofs = message.oneofDecl ?? [];
  const fields = message.field ?? [];
  for (const field of fields) {
    // Only the map field itself: protobufjs names its entry like the field (`type` -> `Type`), so a
    // field of a message named `Type` elsewhere carries the same relative name and must keep it.
    const entry = field.typeName === undefined || field.label !== LABEL_REPEATED || field.typeName !== protobufjsEntryName(field.name) ? undefined : entries.get(field.typeName);
    if (entry) {
      entry.name = mapEntryName(field.name);
      // Fully qualified: a relative name would be resolved from the package, not from the message.
      field.typeName = `${fqn}.${entry.name}`;
    }
    // protobufjs names the oneof of an optional field as protoc's synthetic one: `_<field>`, alone in it.
    const index = oneofIndexOf(field);
    if (index !== undefined && oneofs[index]?.name === `_${field.name}` && fields.filter((f) => oneofIndexOf(f) === index).length === 1) {
      field.proto3Optional = true;
    }
  }
  for (const range of message.reservedRange ?? []) range.end += 1;
  for (const nested of message.nestedType ?? []) repair(nested, fqn);
}

/** A decoded descriptor reads absent optional fields as their default (0): only an own value counts. */
function oneofIndexOf(field: object): number | undefined {
  return Object.hasOwn(field, 'oneofIndex') ? (field as { oneofIndex: number }).oneofIndex : undefined;
}

/** protobufjs's name of a map field's entry (with keepCase): the field's name with a capital (`field_violations` -> `Field_violations`). */
function protobufjsEntryName(field: string): string {
  return field.charAt(0).toUpperCase() + field.slice(1);
}

/** protoc's name of a map field's entry: `field_violations` -> `FieldViolationsEntry`. */
function mapEntryName(field: string): string {
  return `${field.replace(/(?:^|_)(.)/g, (_, c: string) => c.toUpperCase())}Entry`;
}

function fileDescriptorsOf(definition: object): Buffer[] {
  const protos = (definition as { fileDescriptorProtos?: unknown }).fileDescriptorProtos;
  return Array.isArray(protos) ? (protos as Buffer[]) : [];
}

/** Fully qualified names of the file's messages (nested ones too), enums and services. */
function declaredSymbols(file: FileDescriptor): string[] {
  const prefix = file.package ? `${file.package}.` : '';
  const symbols: string[] = [];
  const visit = (scope: string, message: MessageDescriptor) => {
    const name = `${scope}${message.name}`;
    symbols.push(name);
    for (const e of message.enumType ?? []) symbols.push(`${name}.${e.name}`);
    for (const nested of message.nestedType ?? []) visit(`${name}.`, nested);
  };
  for (const message of file.messageType ?? []) visit(prefix, message);
  for (const e of file.enumType ?? []) symbols.push(`${prefix}${e.name}`);
  for (const s of file.service ?? []) symbols.push(`${prefix}${s.name}`);
  return symbols;
}

/** Every type name the file uses, with the scope it is written in (names may be relative). */
function references(file: FileDescriptor): { scope: string; name: string }[] {
  const out: { scope: string; name: string }[] = [];
  const visit = (scope: string, message: MessageDescriptor) => {
    const name = scope === '' ? message.name : `${scope}.${message.name}`;
    for (const field of message.field ?? []) if (field.typeName) out.push({ scope: name, name: field.typeName });
    for (const nested of message.nestedType ?? []) visit(name, nested);
  };
  for (const message of file.messageType ?? []) visit(file.package ?? '', message);
  for (const s of file.service ?? []) {
    for (const m of s.method ?? []) out.push({ scope: file.package ?? '', name: m.inputType }, { scope: file.package ?? '', name: m.outputType });
  }
  return out;
}

/** The file declaring `name` as protobuf resolves it: absolute (`.a.B`), or relative from the innermost scope out. */
function resolveReference(owner: ReadonlyMap<string, string>, scope: string, name: string): string | undefined {
  if (name.startsWith('.')) return owner.get(name.slice(1));
  const parts = scope === '' ? [] : scope.split('.');
  for (let i = parts.length; i >= 0; i--) {
    const found = owner.get([...parts.slice(0, i), name].join('.'));
    if (found !== undefined) return found;
  }
  return undefined;
}
