// Proto message and enum blocks.
import type { EnumTypeModel, FieldModel } from '../../model/types.js';
import { enumValueName, enumZeroName } from '../../naming/index.js';
import { comment } from './comments.js';
import { fieldLines } from './fields.js';
import type { ProtoScope } from './scope.js';

export interface MessageShape {
  name: string;
  description?: string;
  fields: readonly FieldModel[];
  reserved: readonly number[];
}

/** `message X { ... }`, or `message X {}` when it has neither fields nor reserved numbers. */
export function messageBlock(message: MessageShape, scope: ProtoScope): string[] {
  const lead = comment(message.description, '');
  if (message.fields.length === 0 && message.reserved.length === 0) return [...lead, `message ${message.name} {}`];
  const body = message.fields.flatMap((f) => fieldLines(f, scope, message.name));
  if (message.reserved.length > 0) body.push(`  reserved ${message.reserved.join(', ')};`);
  return [...lead, `message ${message.name} {`, ...body, '}'];
}

/** `enum X { X_UNSPECIFIED = 0; X_<VALUE> = i + 1; ... }` in spec order. */
export function enumBlock(type: EnumTypeModel): string[] {
  const values = type.values.map((v, i) => `  ${enumValueName(type.name, v)} = ${i + 1};`);
  return [...comment(type.description, ''), `enum ${type.name} {`, `  ${enumZeroName(type.name)} = 0;`, ...values, '}'];
}
