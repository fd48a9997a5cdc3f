// Changes to an enum's values. Proto numbers follow the declared order (value i is number i + 1), so
// a value removed or inserted before the end renumbers the ones after it for gRPC clients.
import type { EnumTypeModel } from '../model/types.js';
import type { DiffContext } from './context.js';
import type { Finding, Position } from './finding.js';
import { typeChange } from './report.js';
import type { TypeUse } from './usage.js';

export function compareEnum(context: DiffContext, before: EnumTypeModel, after: EnumTypeModel, use: TypeUse): Finding[] {
  const findings: Finding[] = [];
  const { locator } = context;
  const path = ['types', after.name, 'enum'];
  const declared = !after.inline && locator.has(after.owner, path);
  const valueAt = (value: string): Position => (declared ? locator.at(after.owner, [...path, after.values.indexOf(value)]) : locator.source(after.source));
  const listAt = declared ? locator.at(after.owner, path) : locator.source(after.source);
  const of = `of enum \`${after.name}\``;

  for (const value of before.values.filter((v) => !after.values.includes(v))) {
    findings.push(typeChange(context, use, { input: 'breaking', output: 'breaking' }, listAt, 'enum-value-removed', `value \`${value}\` ${of} removed`,
      `keep \`${value}\` and refuse it in the hook; values after it would also change their proto numbers`));
  }
  const added = after.values.filter((v) => !before.values.includes(v));
  const kept = after.values.filter((v) => before.values.includes(v));
  // Old values keep their proto numbers only when the new list starts with the old one, in order.
  const renumbered = kept.some((v) => after.values.indexOf(v) !== before.values.indexOf(v));
  if (renumbered) {
    const moved = kept.filter((v) => after.values.indexOf(v) !== before.values.indexOf(v));
    findings.push(typeChange(context, use, { input: 'breaking', output: 'breaking' }, valueAt(moved[0]!), 'enum-values-renumbered',
      `values ${moved.map((v) => `\`${v}\``).join(', ')} ${of} changed their proto numbers (the declared order)`,
      `keep the earlier values in their order and add new ones at the end`));
  }
  for (const value of added) {
    // Clients that switch over every value they know may fail on a new one they receive.
    findings.push(typeChange(context, use, { input: 'safe', output: 'warning' }, valueAt(value), 'enum-value-added', `value \`${value}\` ${of} added`,
      `clients that read \`${after.name}\` and handle every value they know must accept unknown ones before the service answers \`${value}\``));
  }
  return findings;
}
