// Values that need quotes. Unquoted, a value ends at a `,` or `}` inside `{ ... }`, makes a key at
// `: `, stops at ` #`, and may not start with characters YAML reserves. The fix is always the same
// (quote the value), so the message shows the line as it should be written.
import { isPair, isScalar, Scalar, visit, type Document } from 'yaml';
import { code } from '../diagnostics.js';
import { RepairCheck, SourceLines, type ParseBudget } from './source.js';

export interface Unquoted {
  key: string;
  /** The offset of the character YAML misread. */
  culprit: number;
  /** Why the value needs quotes. */
  reason: string;
  /** `key: "value"`, as it should be written. */
  written: string;
  /** The file with the value quoted. */
  text: string;
}

const RESERVED_START = /^[`@%&*!|>'"]/;
/** Where a value may start and end, nearest first: enough for any line a person writes. */
const MAX_STARTS = 6;
const MAX_ENDS = 12;

/**
 * The value on the error's line (or the line before, for errors noticed at the next line) that reads
 * once quoted, and contains a character that explains why it needs quotes.
 */
export function findUnquotedValue(source: SourceLines, errorOffset: number, budget: ParseBudget): Unquoted | undefined {
  const errorLine = source.lineOf(errorOffset);
  const lines = [errorLine, source.previousContent(errorLine)].filter((l): l is number => l !== undefined && !source.isBlank(l));
  for (const line of lines) {
    const check = new RepairCheck(source, line, errorLine, budget);
    const text = source.lines[line]!;
    const errorCol = line === errorLine ? source.colOf(errorOffset) : text.length;
    for (const start of valueStarts(text, errorCol)) {
      for (const end of valueEnds(text, start)) {
        const value = text.slice(start, end).trimEnd();
        const culprit = misreadCharacter(value, inFlow(text, start));
        if (culprit === undefined) continue;
        const written = quote(value);
        const lineStart = source.offsetOf(line, 0);
        const fixed = new SourceLines(source.withRange(lineStart + start, lineStart + start + value.length, written));
        if (!check.holds(fixed, Math.max(line, errorLine))) continue;
        const key = keyBefore(text, start);
        return { key, culprit: lineStart + start + culprit.at, reason: culprit.reason, written: `${key}: ${written}`, text: fixed.text };
      }
    }
  }
  return undefined;
}

/** A value cut short by a comma inside `{ ... }`: the rest became keys with no value. */
export interface SplitValue {
  key: string;
  comma: number;
  /** The first piece cut off, which became a key. */
  piece: string;
  written: string;
  text: string;
}

/** Values in `{ ... }` that a comma cut short (they read, but not as written). */
export function findSplitValues(doc: Document.Parsed, source: SourceLines): SplitValue[] {
  const found: SplitValue[] = [];
  visit(doc, {
    Map(_, map) {
      if (!map.flow) return;
      const items = map.items;
      for (let i = 1; i < items.length; i++) {
        const pair = items[i]!;
        const previous = items[i - 1]!;
        if (!isPair(pair) || pair.value !== null || !isScalar(pair.key) || pair.key.type !== Scalar.PLAIN) continue;
        if (!isScalar(previous.value) || previous.value.type !== Scalar.PLAIN || !isScalar(previous.key)) continue;
        // The cut-off pieces run until the next item with a value.
        let last = i;
        while (last + 1 < items.length && isPair(items[last + 1]) && (items[last + 1] as { value: unknown }).value === null) last++;
        const start = previous.value.range![0];
        const end = (items[last]!.key as Scalar).range![1];
        const value = source.text.slice(start, end);
        const comma = start + value.indexOf(',');
        const written = quote(value.replace(/\s+$/, ''));
        found.push({
          key: String(previous.key.value),
          comma,
          piece: String(pair.key.value),
          written: `${String(previous.key.value)}: ${written}`,
          text: source.withRange(start, start + value.replace(/\s+$/, '').length, written),
        });
      }
    },
  });
  return found;
}

/** `"value"`, or `'value'` when the value holds a double quote or a backslash. */
export function quote(value: string): string {
  if (!/["\\]/.test(value)) return `"${value}"`;
  if (!value.includes("'")) return `'${value}'`;
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** Where a value may start on a line: after each `key: `, the ones before the error first, nearest first. */
function valueStarts(text: string, errorCol: number): number[] {
  const starts: number[] = [];
  for (const match of text.matchAll(/:[ \t]+(?=\S)/g)) starts.push(match.index! + match[0].length);
  return [...starts.filter((s) => s <= errorCol).reverse(), ...starts.filter((s) => s > errorCol)].slice(0, MAX_STARTS);
}

/** Where a value may end: at each `,`, `}` or `]` after its start, or at the end of the line. */
function valueEnds(text: string, start: number): number[] {
  const ends: number[] = [];
  for (let i = start + 1; i < text.length && ends.length < MAX_ENDS - 1; i++) if (',}]'.includes(text[i]!)) ends.push(i);
  ends.push(text.replace(/\s+$/, '').length);
  return ends;
}

/** Whether `start` lies inside `{ ... }` or `[ ... ]` opened earlier on the line. */
function inFlow(text: string, start: number): boolean {
  let depth = 0;
  for (let i = 0; i < start; i++) {
    if (text[i] === '{' || text[i] === '[') depth++;
    else if ((text[i] === '}' || text[i] === ']') && depth > 0) depth--;
  }
  return depth > 0;
}

/** The first character of an unquoted value that YAML reads as something else, and why. */
function misreadCharacter(value: string, flow: boolean): { at: number; reason: string } | undefined {
  if (value === '' || /^["']/.test(value) || /^[{[]/.test(value)) return undefined;
  const reserved = RESERVED_START.exec(value);
  if (reserved) return { at: 0, reason: `a value may not start with ${code(reserved[0])}, which YAML reserves` };
  const candidates: { at: number; reason: string }[] = [];
  const colon = value.search(/:(\s|$)/);
  if (colon >= 0) candidates.push({ at: colon, reason: '`: ` inside a value makes YAML read a key' });
  const comment = value.search(/\s#/);
  if (comment >= 0) candidates.push({ at: comment + 1, reason: '` #` starts a comment, so YAML ignores the rest of the line' });
  if (flow) {
    const structure = value.search(/[{}[\],]/);
    if (structure >= 0) {
      const c = value[structure]!;
      candidates.push({ at: structure, reason: c === ',' ? 'inside `{ ... }` a comma ends the value' : `inside \`{ ... }\` YAML reads ${code(c)} as structure, not as text` });
    }
  }
  return candidates.sort((a, b) => a.at - b.at)[0];
}

/** The key whose value starts at `start` (`http` in `{ http: GET /x }`). */
function keyBefore(text: string, start: number): string {
  const match = /([^\s{},[\]]+)\s*:[ \t]*$/.exec(text.slice(0, start));
  return match?.[1] ?? 'the value';
}
