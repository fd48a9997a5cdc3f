// Request and response examples assembled from the spec's field examples. A record has an example
// when every required field has one: its own `example`, or, for a field holding a record (or a list
// of records that may have one item), that record's assembled example. Optional fields appear when
// they have one. Field examples are checked against their fields (generator/model/examples.ts), so
// an assembled example is valid by construction; the OpenAPI tests validate every one regardless.
import { keyOf, resolveType } from '../../model/lookup.js';
import type { FieldModel, MeshModel, RecordTypeModel } from '../../model/types.js';

type Example = Record<string, unknown>;

/** The example of `record`, or undefined when some required field has none. */
export function recordExample(model: MeshModel, record: RecordTypeModel): Example | undefined {
  return fieldsExample(model, record.owner, record.fields, new Set([keyOf(record)]));
}

/**
 * The example of an object made of `fields` (a record, or the part of one that travels in a body),
 * resolved in `scope`; `open` holds the records being assembled, so a recursive type stops.
 */
export function fieldsExample(model: MeshModel, scope: string | null, fields: FieldModel[], open = new Set<string>()): Example | undefined {
  const example: Example = {};
  for (const field of fields) {
    const value = fieldExample(model, scope, field, open);
    if (value !== undefined) example[field.name] = value;
    else if (!field.optional) return undefined;
  }
  return example;
}

/** A field's own example, or one assembled from the record it holds; undefined when there is none. */
export function fieldExample(model: MeshModel, scope: string | null, field: FieldModel, open = new Set<string>()): unknown {
  if (field.example !== undefined) return field.example;
  const { type } = field;
  if (type.kind === 'ref') return nestedExample(model, scope, type.name, open);
  if (type.kind === 'array' && type.items.kind === 'ref') {
    const { minItems = 0, maxItems = 1 } = field.constraints;
    if (minItems > 1 || maxItems < 1) return undefined;
    const item = nestedExample(model, scope, type.items.name, open);
    return item === undefined ? undefined : [item];
  }
  return undefined;
}

function nestedExample(model: MeshModel, scope: string | null, name: string, open: Set<string>): Example | undefined {
  const type = resolveType(model, scope, name);
  if (type.kind !== 'record' || open.has(keyOf(type))) return undefined;
  return fieldsExample(model, type.owner, type.fields, new Set([...open, keyOf(type)]));
}
