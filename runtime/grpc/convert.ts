// Per-message converters between the JSON-shaped values hooks use (enums as spec strings, integers
// as numbers, optional fields absent) and the plain objects protobufjs encodes and decodes.
// Built once per message type from protobufjs reflection, so a call only walks precomputed plans.
//
// Not Type.fromObject/toObject: both need a second pass anyway (spec enum strings are not proto
// enum names), and toObject's `defaults` would give absent messages `null` and optional scalars
// their zero value. One walk in each direction does all of it.
import type protobuf from 'protobufjs';

export interface MessageConverter {
  /** JSON-shaped object -> plain object for `Type.encode`. Throws a TypeError naming the field on a wrong value. */
  toProto(value: unknown): Record<string, unknown>;
  /** Decoded message -> JSON-shaped object. */
  fromProto(message: Record<string, unknown>): Record<string, unknown>;
}

/** Spec values of a proto enum, by position: proto number i + 1 is spec value i. */
export interface EnumTable {
  readonly values: readonly string[];
  readonly numbers: ReadonlyMap<string, number>;
}

/** What building converters needs from outside the proto: the spec's enum values and required fields. */
export interface ConverterContext {
  /** The schema key of a proto message or enum (`orders.Order`). */
  keyOf(type: protobuf.ReflectionObject): string;
  enumTable(type: protobuf.Enum): EnumTable;
  /**
   * Fields the JSON Schema of the type `key` requires. The proto cannot say: repeated, map and
   * message fields carry no `optional` keyword either way.
   */
  required(key: string): ReadonlySet<string>;
  readonly memo: Map<protobuf.Type, MessageConverter>;
}

interface ValueConverter {
  toProto(value: unknown): unknown;
  /** `undefined` drops the value (an enum number without a spec value). */
  fromProto(value: unknown): unknown;
}

interface FieldPlan {
  readonly name: string;
  /** Non-optional: must be present when encoding. */
  readonly required: boolean;
  toProto(value: unknown): unknown;
  /** The field's JSON-shaped value from a decoded message; `undefined` leaves it absent. */
  read(message: Record<string, unknown>): unknown;
}

/**
 * Builds (and memoizes, so recursive types terminate) the converter of `type`, whose required
 * fields are `required` (the spec type's for a nested message, the input or output type's for an
 * rpc message).
 */
export function messageConverter(type: protobuf.Type, required: ReadonlySet<string>, ctx: ConverterContext): MessageConverter {
  const known = ctx.memo.get(type);
  if (known) return known;
  const plans: FieldPlan[] = [];
  const converter: MessageConverter = {
    toProto(value) {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new TypeError(`${type.name}: expected an object`);
      const source = value as Record<string, unknown>;
      const out: Record<string, unknown> = {};
      for (const plan of plans) {
        const v = source[plan.name];
        if (v === undefined || v === null) {
          if (plan.required) throw new TypeError(`${type.name}.${plan.name}: missing required field`);
          continue;
        }
        out[plan.name] = plan.toProto(v);
      }
      return out;
    },
    fromProto(message) {
      const out: Record<string, unknown> = {};
      for (const plan of plans) {
        const v = plan.read(message);
        if (v !== undefined) out[plan.name] = v;
      }
      return out;
    },
  };
  ctx.memo.set(type, converter);
  for (const field of type.fieldsArray) plans.push(fieldPlan(type, field.resolve(), required.has(field.name), ctx));
  return converter;
}

function fieldPlan(owner: protobuf.Type, field: protobuf.Field, required: boolean, ctx: ConverterContext): FieldPlan {
  const where = `${owner.name}.${field.name}`;
  const value = valueConverter(field, where, ctx);
  const name = field.name;

  // An empty list or map looks the same as an absent one on the wire: optional ones come out absent.
  if (field.map) {
    return {
      name,
      required,
      toProto: (v) => convertMap(v, value, where),
      read: (m) => emptyToAbsent(readMap(m[name] as Record<string, unknown> | undefined, value), required),
    };
  }
  if (field.repeated) {
    return {
      name,
      required,
      toProto: (v) => convertArray(v, value, where),
      read: (m) => emptyToAbsent(readArray(m[name] as unknown[] | undefined, value), required),
    };
  }
  // proto3 leaves default values off the wire: a required scalar that is absent was its zero.
  const zero = required && !field.resolvedType ? zeroOf(field.type, where) : undefined;
  return {
    name,
    required,
    toProto: value.toProto,
    read: (m) => (Object.prototype.hasOwnProperty.call(m, name) && m[name] !== null ? value.fromProto(m[name]) : zero),
  };
}

function emptyToAbsent<T extends object>(value: T, required: boolean): T | undefined {
  return required || Object.keys(value).length > 0 ? value : undefined;
}

function convertArray(v: unknown, item: ValueConverter, where: string): unknown[] {
  if (!Array.isArray(v)) throw new TypeError(`${where}: expected an array`);
  return v.map((x) => item.toProto(x));
}

function convertMap(v: unknown, item: ValueConverter, where: string): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new TypeError(`${where}: expected an object (map)`);
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) out[k] = item.toProto(x);
  return out;
}

function readArray(v: unknown[] | undefined, item: ValueConverter): unknown[] {
  const out: unknown[] = [];
  for (const x of v ?? []) {
    const converted = item.fromProto(x);
    if (converted !== undefined) out.push(converted);
  }
  return out;
}

function readMap(v: Record<string, unknown> | undefined, item: ValueConverter): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(v ?? {})) {
    const converted = item.fromProto(v![k]);
    if (converted !== undefined) out[k] = converted;
  }
  return out;
}

function valueConverter(field: protobuf.Field, where: string, ctx: ConverterContext): ValueConverter {
  const target = field.resolvedType;
  if (target && 'fieldsArray' in target) {
    const nested = messageConverter(target, ctx.required(ctx.keyOf(target)), ctx);
    return { toProto: (v) => nested.toProto(v), fromProto: (v) => nested.fromProto(v as Record<string, unknown>) };
  }
  if (target) return enumConverter(ctx.enumTable(target), target.name, where);
  return scalarConverter(field.type, where);
}

function enumConverter(table: EnumTable, enumName: string, where: string): ValueConverter {
  return {
    toProto(v) {
      const n = typeof v === 'string' ? table.numbers.get(v) : undefined;
      if (n === undefined) throw new TypeError(`${where}: ${JSON.stringify(v)} is not a value of ${enumName}`);
      return n;
    },
    // 0 (UNSPECIFIED) and numbers from a newer peer have no spec value: dropped.
    fromProto: (v) => (typeof v === 'number' && v > 0 ? table.values[v - 1] : undefined),
  };
}

function scalarConverter(protoType: string, where: string): ValueConverter {
  switch (protoType) {
    case 'string':
      return { toProto: check(where, 'a string', (v) => typeof v === 'string'), fromProto: (v) => v };
    case 'bool':
      return { toProto: check(where, 'a boolean', (v) => typeof v === 'boolean'), fromProto: (v) => v };
    case 'double':
      return { toProto: check(where, 'a number', (v) => typeof v === 'number'), fromProto: (v) => v };
    case 'int64':
      return { toProto: check(where, 'an integer', Number.isInteger), fromProto: longToNumber };
    default:
      throw new Error(`${where}: proto type ${protoType} is not one meshspec emits`);
  }
}

function zeroOf(protoType: string, where: string): unknown {
  switch (protoType) {
    case 'string':
      return '';
    case 'bool':
      return false;
    case 'double':
    case 'int64':
      return 0;
    default:
      throw new Error(`${where}: proto type ${protoType} is not one meshspec emits`);
  }
}

function check(where: string, expected: string, ok: (v: unknown) => boolean): (v: unknown) => unknown {
  return (v) => {
    if (!ok(v)) throw new TypeError(`${where}: expected ${expected}, got ${JSON.stringify(v)}`);
    return v;
  };
}

/** protobufjs decodes int64 to a Long when the `long` package is present, else to a number. */
function longToNumber(v: unknown): number {
  return typeof v === 'number' ? v : (v as { toNumber(): number }).toNumber();
}
