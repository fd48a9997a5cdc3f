// Finding the mis-indented line. The parser notices a wrong indentation where the structure stops
// making sense, often lines later (at the next sibling of a key indented too little) or a line
// early (a key indented under a plain value). So the lines around the error are re-indented one at
// a time, to the indentations of the lines around them, and the parser says which change reads.
import { parseProblems, parseYaml, RepairCheck, Section, SourceLines, type ParseBudget } from './source.js';

/** The mistake: `line` is indented `from` spaces and reads when indented `to`; `text` is the repaired file. */
export interface Misindented {
  line: number;
  from: number;
  to: number;
  text: string;
}

// Where the mis-indented line may be: near the first error, or back over the block of a key indented
// too little (the parser notices at its next sibling), or a line ahead (a key indented under a value).
const NEAR = 4;
const LOOK_BACK = 60;
const LOOK_AHEAD = 3;

/**
 * Judges a re-indented text: how many problems it leaves, or undefined when the change does not
 * hold (it does not clear the problem, or it makes new ones).
 */
type Judge = (fixed: SourceLines, line: number) => number | undefined;

/** The re-indentation that makes the YAML read, for a parse error first noticed at `errorLine`. */
export function findMisindentedYaml(source: SourceLines, errorLine: number, budget: ParseBudget): Misindented | undefined {
  const check = new RepairCheck(source, Math.max(0, errorLine - LOOK_BACK), Math.min(source.lines.length - 1, errorLine + LOOK_AHEAD), budget);
  return findMisindentedLine(source, errorLine, errorLine, (fixed, line) => check.remainingErrors(fixed, Math.max(line, errorLine)));
}

/**
 * The re-indentation that makes a document the schema rejects acceptable, for a problem first
 * noticed at `errorLine`: a key indented wrong can still be YAML, and then lands in the wrong map.
 */
export function findMisindentedKey(source: SourceLines, errorLines: number[], accepts: (data: unknown) => boolean, budget: ParseBudget): Misindented | undefined {
  const errorLine = Math.min(...errorLines);
  const lastLine = Math.min(Math.max(...errorLines), errorLine + LOOK_BACK);
  return findMisindentedLine(source, errorLine, lastLine, (fixed) => {
    if (!budget.take(fixed.text.length)) return undefined;
    const { doc } = parseYaml(fixed.text);
    if (parseProblems(doc).length > 0) return undefined;
    try {
      return accepts(doc.toJS({ maxAliasCount: 100 })) ? 0 : undefined;
    } catch {
      return undefined;
    }
  });
}

/**
 * The one line (0-based) whose re-indentation the judge likes best, for problems noticed from
 * `errorLine` to `lastLine`.
 */
function findMisindentedLine(source: SourceLines, errorLine: number, lastLine: number, judge: Judge): Misindented | undefined {
  const first = Math.max(0, errorLine - LOOK_BACK);
  const last = Math.min(source.lines.length - 1, lastLine + LOOK_AHEAD);
  const section = new Section(source, first, last);
  const step = indentStep(source) || 2;
  const keyIndents = indentsByKey(source);

  let best: { fix: Misindented; score: number[] } | undefined;
  for (const line of candidates(source, first, last, errorLine)) {
    for (const to of targets(source, line, step)) {
      const fixed = new SourceLines(source.withIndent(line, to));
      const remaining = judge(fixed, line);
      if (remaining === undefined) continue;
      // Prefer the change that leaves the fewest errors, then the fewest keys without a value; then
      // the one that keeps the file's own style: its indentation step, the indentation its other
      // keys of the same name have, neighbours indented alike with keys of the same kind (type
      // names, event names, ...); then the nearest line.
      const from = source.indent(line);
      const key = source.keyOf(line);
      const familiar = key === undefined ? 0 : (keyIndents.get(`${to}:${key}`) ?? 0) - (keyIndents.get(`${from}:${key}`) ?? 1) + 1;
      const neighbours = [source.previousContent(line), source.nextContent(line)]
        .filter((n) => n !== undefined && source.indent(n) === to && shape(source.keyOf(n)) === shape(key)).length;
      const score = [remaining, section.emptyKeys(fixed), section.offStepLines(fixed, step), -familiar, -neighbours, Math.abs(line - errorLine)];
      if (!best || compareScores(score, best.score) < 0) best = { fix: { line, from, to, text: fixed.text }, score };
    }
  }
  return best?.fix;
}

/**
 * Lines that may be the mis-indented one: those near the error, the lines just after it, and before
 * it the lines the block just before the error hangs from (a key indented wrong takes its block along,
 * and the parser notices at the line after the block).
 */
function candidates(source: SourceLines, first: number, last: number, errorLine: number): number[] {
  const lines = new Set<number>();
  let below = Infinity;
  for (let line = errorLine; line >= first; line--) {
    if (source.isBlank(line)) continue;
    const opensBlock = /:\s*(#.*)?\r?$/.test(source.lines[line]!);
    if (errorLine - line <= NEAR || source.indent(line) < below || (source.indent(line) === below && opensBlock)) lines.add(line);
    if (line < errorLine) below = Math.min(below, source.indent(line));
  }
  for (let line = errorLine + 1; line <= last; line++) lines.add(line);
  return [...lines].filter((line) => !source.isBlank(line) && (source.keyOf(line) !== undefined || /^\s*-(\s|$)/.test(source.lines[line]!)));
}

/** The kind of a key, as names of one map share it: `order.created`, `OrderItem`, `userId`. */
function shape(key: string | undefined): string {
  if (key === undefined) return 'none';
  if (key.includes('.')) return 'dotted';
  return /^[A-Z]/.test(key) ? 'capital' : 'lower';
}

/** How many lines have each key at each indentation (`4:http`). */
function indentsByKey(source: SourceLines): Map<string, number> {
  const counts = new Map<string, number>();
  source.lines.forEach((_, line) => {
    const key = source.keyOf(line);
    if (key !== undefined) counts.set(`${source.indent(line)}:${key}`, (counts.get(`${source.indent(line)}:${key}`) ?? 0) + 1);
  });
  return counts;
}

/** What is wrong with the line and where it should start. */
export function misindentation(source: SourceLines, fix: Misindented): string {
  const key = source.keyOf(fix.line);
  const what = key !== undefined ? `\`${key}\`` : 'this line';
  const direction = fix.to < fix.from ? 'deeper' : 'less';
  return `${what} is indented ${direction} than the keys around it${likeLine(source, fix)}; start it at column ${fix.to + 1}`;
}

/** ` (like \`id\` at line 6)`: a line of the same block already indented as the fix wants. */
export function likeLine(source: SourceLines, fix: Misindented): string {
  const like = lineIndentedAs(new SourceLines(fix.text), fix.line, fix.to);
  return like === undefined ? '' : ` (like \`${source.keyOf(like)}\` at line ${like + 1})`;
}

/** The nearest line indented `indent` spaces in the block around `line`, to show as an example. */
function lineIndentedAs(source: SourceLines, line: number, indent: number): number | undefined {
  for (const direction of [-1, 1]) {
    for (let i = line + direction; i >= 0 && i < source.lines.length; i += direction) {
      if (source.isBlank(i)) continue;
      if (source.indent(i) === indent && source.keyOf(i) !== undefined) return i;
      if (source.indent(i) < indent) break;
    }
  }
  return undefined;
}

/** The indentations a line may have been meant to have: those of the lines before and after it, and of their parents. */
function targets(source: SourceLines, line: number, step: number): number[] {
  const found = new Set<number>();
  const previous = source.previousContent(line);
  const next = source.nextContent(line);
  if (previous === undefined) found.add(0);
  else {
    found.add(source.indent(previous));
    if (/:\s*(#.*)?\r?$/.test(source.lines[previous]!)) found.add(source.indent(previous) + Math.max(step, 1));
    let level = source.indent(previous);
    for (let i = previous - 1; i >= 0 && level > 0; i--) {
      if (source.isBlank(i) || source.indent(i) >= level) continue;
      level = source.indent(i);
      found.add(level);
      found.add(level + Math.max(step, 1));
    }
  }
  if (next !== undefined) found.add(source.indent(next));
  const current = source.lines[line]!.startsWith('\t') ? -1 : source.indent(line);
  found.delete(current);
  return [...found].sort((a, b) => Math.abs(a - current) - Math.abs(b - current) || a - b);
}

/** The indentation step the file uses most (2 in most YAML), or 0 when it never nests. */
function indentStep(source: SourceLines): number {
  const counts = new Map<number, number>();
  let previous: number | undefined;
  for (let i = 0; i < source.lines.length; i++) {
    if (source.isBlank(i)) continue;
    const indent = source.indent(i);
    if (previous !== undefined && indent > previous) counts.set(indent - previous, (counts.get(indent - previous) ?? 0) + 1);
    previous = indent;
  }
  let best = 0;
  for (const [delta, count] of counts) {
    const bestCount = counts.get(best) ?? 0;
    if (count > bestCount || (count === bestCount && delta < best)) best = delta;
  }
  return best;
}

function compareScores(a: number[], b: number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}
