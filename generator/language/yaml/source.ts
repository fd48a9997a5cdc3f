// The text of a spec file as lines, and the one way it is parsed. Explaining a YAML error means
// looking at the lines around it and asking the parser whether a small change would make it read.
import { LineCounter, parseDocument, type Document } from 'yaml';

/** Parses `text` as every spec file is parsed: duplicate keys are errors, positions are kept. */
export function parseYaml(text: string): { doc: Document.Parsed; lineCounter: LineCounter } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true, strict: true });
  return { doc, lineCounter };
}

/** The problems the parser reports, errors and warnings alike, in the order they appear in the text. */
export function parseProblems(doc: Document.Parsed) {
  return [...doc.errors, ...doc.warnings].sort((a, b) => a.pos[0] - b.pos[0]);
}

export class SourceLines {
  /** The lines without their `\n` (a `\r` stays at the end of its line). */
  readonly lines: string[];
  private readonly starts: number[];

  constructor(readonly text: string) {
    this.lines = text.split('\n');
    this.starts = [];
    let offset = 0;
    for (const line of this.lines) {
      this.starts.push(offset);
      offset += line.length + 1;
    }
  }

  /** The 0-based line of an offset. */
  lineOf(offset: number): number {
    const at = Math.max(0, Math.min(offset, this.text.length));
    let low = 0;
    let high = this.starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.starts[mid]! <= at) low = mid;
      else high = mid - 1;
    }
    return low;
  }

  /** The 0-based column of an offset. */
  colOf(offset: number): number {
    return Math.max(0, offset - this.starts[this.lineOf(offset)]!);
  }

  offsetOf(line: number, col: number): number {
    return this.starts[line]! + col;
  }

  /** Spaces before the first character of a line. */
  indent(line: number): number {
    return /^ */.exec(this.lines[line]!)![0].length;
  }

  /** A line with no content for the parser: empty, spaces, or a comment. */
  isBlank(line: number): boolean {
    return /^\s*(#.*)?\r?$/.test(this.lines[line]!);
  }

  /** The next line after `line` with content, or undefined. */
  nextContent(line: number): number | undefined {
    for (let i = line + 1; i < this.lines.length; i++) if (!this.isBlank(i)) return i;
    return undefined;
  }

  /** The previous line before `line` with content, or undefined. */
  previousContent(line: number): number | undefined {
    for (let i = line - 1; i >= 0; i--) if (!this.isBlank(i)) return i;
    return undefined;
  }

  /** The whole text with one line's leading whitespace replaced by `indent` spaces. */
  withIndent(line: number, indent: number): string {
    return this.withLine(line, ' '.repeat(indent) + this.lines[line]!.replace(/^[ \t]*/, ''));
  }

  /** The whole text with one line replaced. */
  withLine(line: number, content: string): string {
    return [...this.lines.slice(0, line), content, ...this.lines.slice(line + 1)].join('\n');
  }

  /** The whole text with `[start, end)` replaced by `replacement` (on one line). */
  withRange(start: number, end: number, replacement: string): string {
    return this.text.slice(0, start) + replacement + this.text.slice(end);
  }

  /** The key a line starts with (`name` in `  name: {...}` or `- name: x`), if it starts with one. */
  keyOf(line: number): string | undefined {
    return /^\s*(?:-\s+)?([^\s#:{}[\],'"][^:#]*?):(?:\s|$)/.exec(this.lines[line]!)?.[1];
  }
}

/**
 * The top-level blocks around some lines: from the last line at column 1 before them to the next
 * one after them. Parsed alone they read as in the whole file, and faster; and the style of the text
 * there tells a likely repair from an unlikely one.
 */
export class Section {
  readonly start: number;
  readonly end: number;

  constructor(source: SourceLines, first: number, last: number) {
    let start = first;
    while (start > 0 && (source.isBlank(start) || source.indent(start) > 0)) start--;
    let end = last + 1;
    while (end < source.lines.length && (source.isBlank(end) || source.indent(end) > 0)) end++;
    this.start = start;
    this.end = end;
  }

  /** The section's lines, each ended by a line break (a `\r` left last would not read). */
  text(lines: SourceLines): string {
    return lines.lines.slice(this.start, this.end).map((line) => `${line}\n`).join('');
  }

  /** Keys with nothing after the colon and nothing indented under them: YAML reads null, which a spec never wants. */
  emptyKeys(lines: SourceLines): number {
    let count = 0;
    for (let i = this.start; i < this.end; i++) {
      if (lines.isBlank(i) || lines.keyOf(i) === undefined || !/:\s*(#.*)?\r?$/.test(lines.lines[i]!)) continue;
      const next = lines.nextContent(i);
      if (next === undefined || lines.indent(next) <= lines.indent(i)) count++;
    }
    return count;
  }

  /** Lines not indented one `step` deeper than the line they belong under: how far the text is from the file's own style. */
  offStepLines(lines: SourceLines, step: number): number {
    let count = 0;
    const open: number[] = [];
    for (let i = this.start; i < this.end; i++) {
      if (lines.isBlank(i)) continue;
      const indent = lines.indent(i);
      while (open.length > 0 && open[open.length - 1]! >= indent) open.pop();
      if (open.length > 0 && indent - open[open.length - 1]! !== step) count++;
      open.push(indent);
    }
    return count;
  }
}

/**
 * How much text the explanations of one file may parse, in all, while trying repairs: a huge file
 * gets fewer tries and plainer messages, not a long wait.
 */
export class ParseBudget {
  constructor(private left: number) {}

  /** Takes `size` characters from the budget; false when not enough are left. */
  take(size: number): boolean {
    if (size > this.left) {
      this.left = 0;
      return false;
    }
    this.left -= size;
    return true;
  }
}

/** Tells whether a repaired text (same lines, one changed) reads where the original did not. */
export class RepairCheck {
  private readonly section: Section;
  /** The error lines of the original, parsed at the first question (many checks never ask one). */
  private before: Set<number> | undefined | null = null;

  constructor(private readonly source: SourceLines, first: number, last: number, private readonly budget: ParseBudget) {
    this.section = new Section(source, first, last);
  }

  /** The change clears every error up to line `upTo` and adds none, nor a key without a value. */
  holds(repaired: SourceLines, upTo: number): boolean {
    return this.remainingErrors(repaired, upTo) !== undefined;
  }

  /** How many error lines the change leaves (all after `upTo`, all there before); undefined when it does not hold. */
  remainingErrors(repaired: SourceLines, upTo: number): number | undefined {
    if (this.before === null) this.before = this.errorLines(this.source);
    const before = this.before;
    const after = before && this.errorLines(repaired);
    if (!before || !after || [...after].some((line) => line <= upTo || !before.has(line))) return undefined;
    if (this.section.emptyKeys(repaired) > this.section.emptyKeys(this.source)) return undefined;
    return after.size;
  }

  /** Lines with a parse error in the section; undefined when the budget cannot pay for the parse. */
  private errorLines(lines: SourceLines): Set<number> | undefined {
    const text = this.section.text(lines);
    if (!this.budget.take(text.length)) return undefined;
    const part = new SourceLines(text);
    return new Set(parseProblems(parseYaml(text).doc).map((e) => this.section.start + part.lineOf(e.pos[0])));
  }
}
