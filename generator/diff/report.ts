// Turns a change to a type into a finding: judged by where the type travels, with the hint that fits.
import { bumpHint, judge, type DiffContext, type Rule } from './context.js';
import type { Finding, Position } from './finding.js';
import { describeUse, type TypeUse } from './usage.js';

/**
 * A finding for a change to a type used as `use`. `hint` says how to avoid the break; a payload
 * change left at the same event version also gets "bump the version".
 */
export function typeChange(context: DiffContext, use: TypeUse, rule: Rule, at: Position, code: string, message: string, hint: string): Finding {
  const { classification, unbumped, bumped } = judge(context, use, rule);
  let text = `${message} (travels in ${describeUse(use)})`;
  if (bumped.length > 0) text += `; ${bumped.map((b) => `event \`${b.event}\` is now version ${b.version}`).join(', ')}, so subscribers can tell the payloads apart`;
  const hints = classification === 'safe' ? [] : [...(rule.input !== 'safe' || rule.output !== 'safe' ? [hint] : []), ...(unbumped.length > 0 ? [bumpHint(unbumped)] : [])];
  return { classification, code, message: text, ...(hints.length > 0 && { hint: hints.join('; or ') }), ...at };
}
