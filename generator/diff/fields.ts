// Changes to a record's fields: removed, renamed, added, renumbered, retyped, made optional or required,
// constraints narrowed or widened, reserved numbers reused.
import type { FieldModel, RecordTypeModel } from '../model/types.js';
import type { DiffContext } from './context.js';
import { constraintChanges, describeConstraint } from './constraints.js';
import type { Finding, Position } from './finding.js';
import { typeChange } from './report.js';
import { pairedRefs, refChange, showRef } from './type-refs.js';
import { compareNamedTypes } from './types.js';
import type { TypeUse } from './usage.js';

/** Findings between two versions of a record (the same type, or the types at the same place in both specs). */
export function compareRecord(context: DiffContext, before: RecordTypeModel, after: RecordTypeModel, use: TypeUse): Finding[] {
  const findings: Finding[] = [];
  const { locator } = context;
  const declared = locator.has(after.owner, ['types', after.name, 'fields']);
  const fieldAt = (name: string): Position => (declared ? locator.at(after.owner, ['types', after.name, 'fields', name]) : locator.source(after.source));
  const of = `of \`${after.name}\``;
  const report = (rule: Parameters<typeof typeChange>[2], at: Position, code: string, message: string, hint: string) =>
    findings.push(typeChange(context, use, rule, at, code, message, hint));

  const removed = before.fields.filter((f) => !after.fields.some((g) => g.name === f.name));
  const added = after.fields.filter((g) => !before.fields.some((f) => f.name === g.name));
  const renamedTo = new Map<FieldModel, FieldModel>();
  for (const f of removed) {
    const g = added.find((candidate) => candidate.number === f.number);
    if (g) renamedTo.set(f, g);
  }

  for (const f of removed) {
    const g = renamedTo.get(f);
    if (g) {
      // A path parameter renamed in every endpoint that takes the type: the URL and the proto number stay.
      const inUrl = use.pathParams.includes(f.name) && use.pathParams.includes(g.name) && !use.output && use.events.length === 0;
      const rule = inUrl ? { input: 'warning', output: 'warning' } as const : { input: 'breaking', output: 'breaking' } as const;
      report(rule, fieldAt(g.name), 'field-renamed', `field \`${f.name}\` ${of} renamed to \`${g.name}\` (number ${f.number} kept)${inUrl ? ': a path parameter, so the URL is unchanged, but JSON over gRPC names it' : ''}`,
        `a rename is a removal plus an addition for JSON clients: keep \`${f.name}\` and add \`${g.name}\` with a new number`);
      continue;
    }
    const reserved = after.reserved.includes(f.number);
    report({ input: 'breaking', output: 'breaking' }, declared ? locator.at(after.owner, ['types', after.name, 'fields', f.name]) : locator.source(after.source), 'field-removed',
      `field \`${f.name}\` (number ${f.number}) ${of} removed`,
      reserved ? `keep it, \`optional: true\`, until no client sends or reads it` : `keep it until no client sends or reads it, then reserve its number: \`reserved: [${f.number}]\``);
  }

  for (const g of added) {
    if ([...renamedTo.values()].includes(g)) continue;
    if (before.reserved.includes(g.number)) {
      report({ input: 'breaking', output: 'breaking' }, fieldAt(g.name), 'reserved-number-reused',
        `field \`${g.name}\` ${of} takes number ${g.number}, reserved in the earlier spec for a removed field`,
        `give \`${g.name}\` a number never used before and keep \`reserved: [${g.number}]\``);
    } else if (g.optional) {
      report({ input: 'safe', output: 'safe' }, fieldAt(g.name), 'field-added', `optional field \`${g.name}\` ${of} added`, '');
    } else {
      report({ input: 'breaking', output: 'safe' }, fieldAt(g.name), 'required-field-added', `required field \`${g.name}\` ${of} added`,
        `clients that do not send it, and events written before, lack it: add it with \`optional: true\``);
    }
  }
  const releasedNumbers = before.reserved.filter((n) => !after.reserved.includes(n) && !after.fields.some((g) => g.number === n));
  if (releasedNumbers.length > 0) {
    findings.push({
      classification: 'warning', code: 'reserved-number-released', message: `${releasedNumbers.length === 1 ? 'number' : 'numbers'} ${releasedNumbers.join(', ')} ${of} no longer reserved: a later field could reuse ${releasedNumbers.length === 1 ? 'it' : 'them'}`,
      hint: `keep \`reserved: [${[...after.reserved, ...releasedNumbers].sort((a, b) => a - b).join(', ')}]\``,
      ...(locator.has(after.owner, ['types', after.name]) ? locator.at(after.owner, ['types', after.name]) : locator.source(after.source)),
    });
  }

  for (const f of before.fields) {
    const g = after.fields.find((candidate) => candidate.name === f.name);
    if (!g) continue;
    const at = fieldAt(g.name);
    const name = `field \`${g.name}\` ${of}`;
    if (f.number !== g.number) {
      report({ input: 'breaking', output: 'breaking' }, at, 'field-number-changed', `${name}: number ${f.number} -> ${g.number}`,
        `keep \`field: ${f.number}\`; a new number is a new field (add one and reserve the old)`);
    }
    const change = refChange(f.type, g.type);
    if (change === 'widened') {
      report({ input: 'safe', output: 'breaking' }, at, 'field-type-widened', `${name}: ${showRef(f.type)} -> ${showRef(g.type)}`,
        `clients that parse it as ${showRef(f.type)} fail on fractions: add a new field instead`);
    } else if (change === 'changed') {
      report({ input: 'breaking', output: 'breaking' }, at, 'field-type-changed', `${name}: ${showRef(f.type)} -> ${showRef(g.type)}`,
        `add a new field with the new type and a new number, and keep this one until no client uses it`);
    } else if (change === 'renamed') {
      const [a, b] = pairedRefs(f.type, g.type)!;
      findings.push(...compareNamedTypes(context, { scope: before.owner, name: a }, { scope: after.owner, name: b }, use, at));
    }
    if (!f.optional && g.optional) {
      report({ input: 'safe', output: 'breaking' }, at, 'field-made-optional', `${name} made optional`,
        `clients that read it may find it absent: keep it required in what the service answers; add a new optional field if it may be absent`);
    } else if (f.optional && !g.optional) {
      report({ input: 'breaking', output: 'safe' }, at, 'field-made-required', `${name} made required`,
        `clients that leave it out are refused, and events written before lack it: keep \`optional: true\` and default it in the hook`);
    }
    for (const c of constraintChanges(f.constraints, g.constraints)) {
      const constraintAt = locator.has(after.owner, ['types', after.name, 'fields', g.name, c.key]) ? locator.at(after.owner, ['types', after.name, 'fields', g.name, c.key]) : at;
      if (c.direction === 'narrowed') {
        report({ input: 'breaking', output: 'safe' }, constraintAt, 'constraint-narrowed', `${name}: ${describeConstraint(c)}, accepting fewer values`,
          `keep the earlier constraint for what clients send; narrow it in a new endpoint version`);
      } else {
        report({ input: 'safe', output: 'warning' }, constraintAt, 'constraint-widened', `${name}: ${describeConstraint(c)}, accepting more values`,
          `clients that check answers against the earlier constraint may refuse the new values`);
      }
    }
    if (f.description !== g.description || JSON.stringify(f.example) !== JSON.stringify(g.example)) {
      findings.push({ classification: 'safe', code: 'field-documentation-changed', message: `${name}: description or example changed`, ...at });
    }
  }
  return findings;
}
