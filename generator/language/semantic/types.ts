// Checks of type declarations: field references, field numbers, constraints that fit the field's type,
// and which types a type may reference. (Names that clash with generated code: generated-names.ts.)
import { lookupType, maybeDeclared, otherOwners, recordFields, unknownName, visibleTypeNames, type Scope, type SpecIndex, type TypeDeclaration } from '../collect.js';
import type { SpecDocument, SpecPath } from '../load.js';
import type { RawField } from '../raw.js';
import { isPrototypeMember, prototypeMessage } from './prototype.js';
import type { Reporter } from './reporter.js';

const PRIMITIVES = new Set(['string', 'integer', 'number', 'boolean']);
const CONSTRAINTS: Record<string, string[]> = {
  string: ['format', 'pattern', 'minLength', 'maxLength'],
  integer: ['minimum', 'maximum'],
  number: ['minimum', 'maximum'],
  array: ['minItems', 'maxItems'],
};
const ALL_CONSTRAINTS = [...new Set(Object.values(CONSTRAINTS).flat())];
// Protobuf reserves 19000-19999 for its own implementation.
const PROTO_RESERVED = { from: 19000, to: 19999 };

export function checkTypes(index: SpecIndex, report: Reporter): void {
  for (const declaration of index.types.values()) {
    if (declaration.form !== 'spec') continue;
    checkFieldNumbers(declaration, report);
    for (const [name, field] of recordFields(declaration)) checkField(index, declaration, name, field, report);
  }
}

function checkFieldNumbers(declaration: TypeDeclaration & { form: 'spec' }, report: Reporter): void {
  const reserved = new Set(declaration.raw.reserved ?? []);
  (declaration.raw.reserved ?? []).forEach((number, i) => {
    if (number >= PROTO_RESERVED.from && number <= PROTO_RESERVED.to) {
      report.error(declaration.doc, [...declaration.path, 'reserved', i], 'proto-reserved-number', `field numbers ${PROTO_RESERVED.from}-${PROTO_RESERVED.to} are protobuf's own: they cannot be reserved, nor used`);
    }
  });
  const seen = new Map<number, string>();
  for (const [name, field] of recordFields(declaration)) {
    const at = [...declaration.path, 'fields', name, 'field'];
    const first = seen.get(field.field);
    if (first !== undefined) {
      report.error(declaration.doc, at, 'duplicate-field-number', `field number ${field.field} of \`${declaration.name}.${name}\` is already used by \`${declaration.name}.${first}\`; every field needs its own number`);
    } else {
      seen.set(field.field, name);
    }
    if (reserved.has(field.field)) {
      report.error(declaration.doc, at, 'reserved-field-number', `field number ${field.field} is reserved in \`${declaration.name}\` (a removed field had it); use a new number`);
    }
    if (field.field >= PROTO_RESERVED.from && field.field <= PROTO_RESERVED.to) {
      report.error(declaration.doc, at, 'proto-reserved-number', `field numbers ${PROTO_RESERVED.from}-${PROTO_RESERVED.to} are reserved by protobuf; use another number`);
    }
  }
}

function checkField(index: SpecIndex, owner: TypeDeclaration & { form: 'spec' }, name: string, field: RawField, report: Reporter): void {
  const at = [...owner.path, 'fields', name];
  const fail = (key: string | null, code: string, message: string) => report.error(owner.doc, key ? [...at, key] : at, code, message, { key: key === null });
  const label = `\`${owner.name}.${name}\``;

  // Hooks and the runtime read fields as properties of plain objects: `constructor` is always "there".
  if (isPrototypeMember(name)) fail(null, 'reserved-name', prototypeMessage('a field', name, 'a missing value would read as present'));
  if (field.enum !== undefined && field.type !== undefined && field.type !== 'string') {
    fail('type', 'enum-with-type', `${label} has an inline \`enum\`, so its type is the enum; remove \`type: ${field.type}\``);
  }
  if (field.enum === undefined && field.type === undefined) {
    fail(null, 'missing-key', `${label} needs a \`type\` (or an inline \`enum\`)`);
    return;
  }
  const kind = field.enum !== undefined ? 'enum' : field.type!;
  if (kind === 'array' && field.items === undefined) fail(null, 'missing-key', `${label} is an array: say what it holds with \`items\``);
  if (kind === 'map' && field.values === undefined) fail(null, 'missing-key', `${label} is a map: say what it holds with \`values\``);
  if (field.items !== undefined && kind !== 'array') fail('items', 'inapplicable-key', `\`items\` applies to arrays, but ${label} is ${kind === 'enum' ? 'an enum' : `\`${kind}\``}`);
  if (field.values !== undefined && kind !== 'map') fail('values', 'inapplicable-key', `\`values\` applies to maps, but ${label} is ${kind === 'enum' ? 'an enum' : `\`${kind}\``}`);

  const applicable = CONSTRAINTS[PRIMITIVES.has(kind) || kind === 'array' ? kind : ''] ?? [];
  for (const constraint of ALL_CONSTRAINTS) {
    if ((field as unknown as Record<string, unknown>)[constraint] === undefined || applicable.includes(constraint)) continue;
    const fits = Object.entries(CONSTRAINTS).filter(([, list]) => list.includes(constraint)).map(([k]) => k);
    fail(constraint, 'inapplicable-constraint', `\`${constraint}\` applies to ${fits.join(' and ')} fields, but ${label} is ${kind === 'enum' ? 'an enum' : `\`${kind}\``}`);
  }
  if (field.pattern !== undefined) {
    try {
      new RegExp(field.pattern, 'u');
    } catch (e) {
      fail('pattern', 'invalid-pattern', `the pattern of ${label} is not a valid regular expression: ${(e as Error).message}`);
    }
  }
  for (const [low, high] of [['minLength', 'maxLength'], ['minimum', 'maximum'], ['minItems', 'maxItems']] as const) {
    if (field[low] !== undefined && field[high] !== undefined && field[low]! > field[high]!) {
      fail(low, 'invalid-range', `${label} has \`${low}\` (${field[low]}) greater than \`${high}\` (${field[high]})`);
    }
  }

  const references: [string, string][] = [];
  if (field.type !== undefined && !PRIMITIVES.has(field.type) && field.type !== 'array' && field.type !== 'map') references.push(['type', field.type]);
  if (field.items !== undefined && !PRIMITIVES.has(field.items)) references.push(['items', field.items]);
  if (field.values !== undefined && !PRIMITIVES.has(field.values)) references.push(['values', field.values]);
  const whose = owner.owner === null ? 'mesh-level types' : `types of service \`${owner.owner}\``;
  for (const [key, ref] of references) {
    // A field may also name a primitive: `String` is likelier a misspelt `string` than a type.
    const primitives = key === 'type' ? [...PRIMITIVES, 'array', 'map'] : [...PRIMITIVES];
    checkTypeRef(index, owner.owner, owner.doc, [...at, key], ref, report, `${whose} may only use their own types and mesh-level ones`, primitives);
  }
}

/**
 * Reports a reference to a type `scope` cannot see: unknown (with a suggestion), or another service's
 * own type (`rule` says which types the place may use). Returns the type when the reference is good.
 */
export function checkTypeRef(index: SpecIndex, scope: Scope, doc: SpecDocument, at: SpecPath, name: string, report: Reporter, rule: string, primitives: string[] = []): TypeDeclaration | undefined {
  const found = lookupType(index, scope, name);
  if (found) return found;
  if (maybeDeclared(index, scope, name)) return undefined;
  const owners = otherOwners(index, scope, name);
  if (owners.length > 0) {
    const belongs = owners.length === 1 ? `service \`${owners[0]}\`` : `services ${owners.map((o) => `\`${o}\``).join(', ')}`;
    report.error(doc, at, 'cross-service-type', `\`${name}\` belongs to ${belongs}; ${rule}: move \`${name}\` to mesh.yaml \`types\` to share it`);
  } else {
    report.error(doc, at, 'unknown-type', unknownName('type', name, [...visibleTypeNames(index, scope), ...primitives]));
  }
  return undefined;
}
