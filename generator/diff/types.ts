// Types compared by their key (owner + name) across the two specs, and named types compared where an
// endpoint, an event or a field now refers to a type of another name.
import { keyOf, resolveType } from '../model/lookup.js';
import type { TypeModel } from '../model/types.js';
import type { DiffContext } from './context.js';
import { compareEnum } from './enums.js';
import { compareRecord } from './fields.js';
import type { Finding, Position } from './finding.js';
import { typeChange } from './report.js';
import type { TypeUse } from './usage.js';

/** Every type declared in both specs, compared with itself. Added and removed types show where they are used. */
export function compareTypes(context: DiffContext): Finding[] {
  const findings: Finding[] = [];
  const synthesized = synthesizedInputs(context);
  for (const before of context.before.types) {
    const after = context.after.types.find((t) => keyOf(t) === keyOf(before));
    // An input made of path parameters only: its changes are the path's (generator/diff/endpoints.ts).
    if (after && !synthesized.has(keyOf(before))) findings.push(...comparePair(context, before, after, context.useOf(keyOf(before)), undefined));
  }
  return findings;
}

/**
 * Two named types at the same place (an endpoint's input, a field's type) whose names differ: the
 * shape decides, as if they were one type renamed.
 */
export function compareNamedTypes(
  context: DiffContext, before: { scope: string | null; name: string }, after: { scope: string | null; name: string }, use: TypeUse, at: Position,
): Finding[] {
  const a = resolveType(context.before, before.scope, before.name);
  const b = resolveType(context.after, after.scope, after.name);
  return comparePair(context, a, b, use, at);
}

function comparePair(context: DiffContext, before: TypeModel, after: TypeModel, use: TypeUse, at: Position | undefined): Finding[] {
  const pair = `${keyOf(before)} -> ${keyOf(after)}`;
  if (context.compared.has(pair)) return [];
  context.compared.add(pair);
  if (before.kind === 'record' && after.kind === 'record') return compareRecord(context, before, after, use);
  if (before.kind === 'enum' && after.kind === 'enum') return compareEnum(context, before, after, use);
  return [typeChange(context, use, { input: 'breaking', output: 'breaking' }, at ?? context.locator.source(after.source), 'type-kind-changed',
    `\`${after.name}\` was ${before.kind === 'enum' ? 'an enum' : 'a record'} and is now ${after.kind === 'enum' ? 'an enum' : 'a record'}`,
    `declare a new type and a new field or endpoint that uses it`)];
}

/** Keys of the inputs synthesized from path parameters, in either spec. */
function synthesizedInputs(context: DiffContext): Set<string> {
  const keys = new Set<string>();
  for (const model of [context.before, context.after]) {
    for (const service of model.services) {
      for (const e of service.endpoints) if (e.inputSynthesized) keys.add(keyOf(resolveType(model, service.name, e.input)));
    }
  }
  return keys;
}
