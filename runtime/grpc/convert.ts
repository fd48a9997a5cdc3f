// Per-message converters between the JSON-shaped values hooks use (enums as spec strings, integers
// as numbers, optional fields absent, camelCase names) and the plain objects protobufjs encodes and
// decodes (proto field names, enum numbers). Built once per message type from protobufjs reflection,
// so a call only walks precomputed plans.
//
// Not Type.fromObject/toObject: both need a second pass anyway (spec enum strings are not proto
// enum names), and toObject's `defaults` would give absent messages `null` and optional scalars
// their zero value. One walk in each direction does all of it.
import protobuf from 'protobufjs';
import { ConversionError, rethrowWithin, shown, type PathSegment } from './field-path.js';

export interface MessageConverter {
  /** JSON-shaped object -> plain object for `Type.encode`. Throws a ConversionError on a value that does not fit. */
  toProto(value: unknown): Record<string, unknown>;
  /** Decoded message -> JSON-shaped object. Throws a ConversionError only when decoding strictly. */
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
   * Fields (JSON names) the JSON Schema of the type `key` requires. The proto cannot say: repeated,
   * map and message fields carry no `optional` keyword either way.
   */
  required(key: string): ReadonlySet<string>;
  /**
   * How decoding treats an enum number without a spec value (0, UNSPECIFIED, or one this side does
   * not know). Strict (requests a server receives): the message is invalid, as HTTP answers 400 for
   * an unknown enum string. Tolerant (responses a client receives): the value is dropped, so a peer
   * built from a newer spec that added a value does not break older callers.
   */
  readonly strict: boolean;
  /** Converters built with this context, per type (so recursive types terminate). */
  readonly memo: Map<protobuf.Type, MessageConverter>;
}

interface ValueConverter {
  toProto(value: unknown): unknown;
  /** `undefined` drops the value (an enum number without a spec value, decoding tolerantly). */
  fromProto(value: unknown): unknown;
}

interface FieldPlan {
  readonly segment: PathSegment & { readonly field: string; readonly json: string };
  /** Non-optional: must be present when encoding. */
  readonly required: boolean;
  toProto(value: unknown): unknown;
  /** The field's JSON-shaped value from a decoded message; `undefined` leaves it absent. */
  read(message: Record<string, unknown>): unknown;
}

/** The JSON (spec) name of a proto field: the spec's camelCase round-trips through snake_case. */
export function jsonName(field: protobuf.Field): string {
  return protobuf.util.camelCase(field.name);
}

/**
 * Builds (and memoizes) the converter of `type`, whose required fields are `required` (the spec
 * type's for a nested message, the input or output type's for an rpc message).
 */
export function messageConverter(type: protobuf.Type, required: ReadonlySet<string>, ctx: ConverterContext): MessageConverter {
  const known = ctx.memo.get(type);
  if (known) return known;
  const plans: FieldPlan[] = [];
  const converter: MessageConverter = {
    toProto(value) {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        throw new ConversionError(`expected an object (${type.name}), got ${shown(value)}`);
      }
      const source = value as Record<string, unknown>;
      const out: Record<string, unknown> = {};
      let plan: FieldPlan | undefined;
      try {
        for (plan of plans) {
          const v = source[plan.segment.json];
          if (v === undefined || v === null) {
            if (plan.required) throw new ConversionError('missing required field');
            continue;
          }
          out[plan.segment.field] = plan.toProto(v);
        }
      } catch (err) {
        rethrowWithin(err, plan!.segment);
      }
      return out;
    },
    fromProto(message) {
      const out: Record<string, unknown> = {};
      let plan: FieldPlan | undefined;
      try {
        for (plan of plans) {
          const v = plan.read(message);
          if (v !== undefined) out[plan.segment.json] = v;
        }
      } catch (err) {
        rethrowWithin(err, plan!.segment);
      }
      return out;
    },
  };
  ctx.memo.set(type, converter);
  for (const field of type.fieldsArray) {
    const resolved = field.resolve();
    plans.push(fieldPlan(type, resolved, required.has(jsonName(resolved)), ctx));
  }
  return converter;
}

function fieldPlan(owner: protobuf.Type, field: protobuf.Field, required: boolean, ctx: ConverterContext): FieldPlan {
  const value = valueConverter(owner, field, ctx);
  const segment = { field: field.name, json: jsonName(field) };
  const name = field.name;

  // An empty list or map looks the same as an absent one on the wire: optional ones come out absent.
  if (field.map) {
    return {
      segment,
      required,
      toProto: (v) => convertMap(v, value),
      read: (m) => emptyToAbsent(readMap(m[name] as Record<string, unknown> | undefined, value), required),
    };
  }
  if (field.repeated) {
    return {
      segment,
      required,
      toProto: (v) => convertArray(v, value),
      read: (m) => emptyToAbsent(readArray(m[name] as unknown[] | undefined, value), required),
    };
  }
  // proto3 leaves default values off the wire: a required scalar or enum that is absent was its
  // zero (for an enum, UNSPECIFIED: strict decoding rejects it like any other number without a value).
  const absent = !required ? () => undefined : field.resolvedType instanceof protobuf.Enum ? () => value.fromProto(0) : constant(zeroOf(owner, field));
  return {
    segment,
    required,
    toProto: value.toProto,
    read: (m) => (Object.prototype.hasOwnProperty.call(m, name) && m[name] !== null ? value.fromProto(m[name]) : absent()),
  };
}

function constant(value: unknown): () => unknown {
  return () => value;
}

function emptyToAbsent<T extends object>(value: T, required: boolean): T | undefined {
  return required || Object.keys(value).length > 0 ? value : undefined;
}

function convertArray(v: unknown, item: ValueConverter): unknown[] {
  if (!Array.isArray(v)) throw new ConversionError(`expected an array, got ${shown(v)}`);
  const out = new Array<unknown>(v.length);
  let i = 0;
  try {
    for (; i < v.length; i++) out[i] = item.toProto(v[i]);
  } catch (err) {
    rethrowWithin(err, { index: i });
  }
  return out;
}

function convertMap(v: unknown, item: ValueConverter): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new ConversionError(`expected an object (a map), got ${shown(v)}`);
  const out: Record<string, unknown> = {};
  let key = '';
  try {
    for (key of Object.keys(v)) out[key] = item.toProto((v as Record<string, unknown>)[key]);
  } catch (err) {
    rethrowWithin(err, { key });
  }
  return out;
}

function readArray(v: unknown[] | undefined, item: ValueConverter): unknown[] {
  const out: unknown[] = [];
  if (v === undefined) return out;
  let i = 0;
  try {
    for (; i < v.length; i++) {
      const converted = item.fromProto(v[i]);
      if (converted !== undefined) out.push(converted);
    }
  } catch (err) {
    rethrowWithin(err, { index: i });
  }
  return out;
}

function readMap(v: Record<string, unknown> | undefined, item: ValueConverter): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (v === undefined) return out;
  let key = '';
  try {
    for (key of Object.keys(v)) {
      const converted = item.fromProto(v[key]);
      if (converted !== undefined) out[key] = converted;
    }
  } catch (err) {
    rethrowWithin(err, { key });
  }
  return out;
}

function valueConverter(owner: protobuf.Type, field: protobuf.Field, ctx: ConverterContext): ValueConverter {
  const target = field.resolvedType;
  if (target instanceof protobuf.Type) {
    const nested = messageConverter(target, ctx.required(ctx.keyOf(target)), ctx);
    return { toProto: (v) => nested.toProto(v), fromProto: (v) => nested.fromProto(v as Record<string, unknown>) };
  }
  if (target instanceof protobuf.Enum) return enumConverter(ctx.enumTable(target), target, ctx.strict);
  return scalarConverter(owner, field);
}

function enumConverter(table: EnumTable, type: protobuf.Enum, strict: boolean): ValueConverter {
  const specValues = table.values.map((v) => JSON.stringify(v)).join(', ');
  const protoNames = table.values.map((_, i) => type.valuesById[i + 1]).join(', ');
  return {
    toProto(v) {
      const n = typeof v === 'string' ? table.numbers.get(v) : undefined;
      if (n === undefined) throw new ConversionError(`${shown(v)} is not a value of ${type.name}: expected one of ${specValues}`);
      return n;
    },
    fromProto(v) {
      if (typeof v === 'number' && v > 0 && v <= table.values.length) return table.values[v - 1];
      if (!strict) return undefined;
      const got = v === 0 ? `${type.valuesById[0]} (0)` : typeof v === 'number' ? String(v) : shown(v);
      throw new ConversionError(`${got} is not a value of ${type.name}: expected one of ${protoNames}`);
    },
  };
}

function scalarConverter(owner: protobuf.Type, field: protobuf.Field): ValueConverter {
  switch (field.type) {
    case 'string':
      return { toProto: check('a string', (v) => typeof v === 'string'), fromProto: (v) => v };
    case 'bool':
      return { toProto: check('a boolean', (v) => typeof v === 'boolean'), fromProto: (v) => v };
    case 'double':
      return { toProto: check('a number', (v) => typeof v === 'number'), fromProto: (v) => v };
    case 'int64':
      return { toProto: check('an integer', Number.isInteger), fromProto: longToNumber };
    default:
      throw new Error(`${owner.name}.${field.name}: proto type ${field.type} is not one meshspec emits`);
  }
}

function zeroOf(owner: protobuf.Type, field: protobuf.Field): unknown {
  switch (field.type) {
    case 'string':
      return '';
    case 'bool':
      return false;
    case 'double':
    case 'int64':
      return 0;
    default:
      // A required message field: absent stays absent (validation then says it is missing).
      if (field.resolvedType instanceof protobuf.Type) return undefined;
      throw new Error(`${owner.name}.${field.name}: proto type ${field.type} is not one meshspec emits`);
  }
}

function check(expected: string, ok: (v: unknown) => boolean): (v: unknown) => unknown {
  return (v) => {
    if (!ok(v)) throw new ConversionError(`expected ${expected}, got ${shown(v)}`);
    return v;
  };
}

/** protobufjs decodes int64 to a Long when the `long` package is present, else to a number. */
function longToNumber(v: unknown): number {
  return typeof v === 'number' ? v : (v as { toNumber(): number }).toNumber();
}
