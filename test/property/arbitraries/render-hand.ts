// Printing a spec the way a person writes one: block maps, one-line flow maps for fields, flow lists
// for names, blank lines between sections, comments here and there, plain scalars wherever YAML reads
// them back unchanged. It records where every key and value lands, so that a mutation knows the line
// and column of what it changed.
import { isMap, isScalar, parseDocument } from 'yaml';
import { specDocuments, type Data } from './documents.js';
import type { RenderStyle, SpecFiles, SpecPlan } from './plan.js';

type HandStyle = Extract<RenderStyle, { kind: 'hand' }>;

export interface Position {
  line: number;
  col: number;
}

/** Where one node was printed: its key (for map entries) and its value. */
export interface Placed {
  key?: Position;
  value: Position;
}

export interface RenderedFile {
  text: string;
  /** By `pathKey(path)`: every map entry and list item. */
  positions: Map<string, Placed>;
}

export function pathKey(path: readonly (string | number)[]): string {
  return JSON.stringify(path);
}

export function renderByHand(plan: SpecPlan, style: HandStyle): SpecFiles {
  return Object.fromEntries(Object.entries(renderByHandWithPositions(plan, style)).map(([file, r]) => [file, r.text]));
}

export function renderByHandWithPositions(plan: SpecPlan, style: HandStyle): Record<string, RenderedFile> {
  const out: Record<string, RenderedFile> = {};
  for (const { file, data } of specDocuments(plan)) out[file] = new Printer(style).document(data);
  return out;
}

/** Keys whose map values print on one line (`{ a: 1, b: 2 }`) in the flow style: field declarations. */
function isFieldDeclaration(path: readonly (string | number)[]): boolean {
  return path.length >= 2 && path[path.length - 2] === 'fields';
}

class Printer {
  private readonly lines: string[] = [];
  private readonly positions = new Map<string, Placed>();

  constructor(private readonly style: HandStyle) {}

  document(data: Record<string, Data>): RenderedFile {
    if (this.style.comments) this.lines.push('# yaml-language-server: $schema=../generator/language/schema/meshspec.schema.json');
    let first = true;
    for (const [key, value] of Object.entries(data)) {
      const composite = typeof value === 'object';
      if (!first && composite) this.lines.push('');
      if (this.style.comments && composite) this.lines.push(`# ${key}`);
      this.entry([key], key, value, 0);
      first = false;
    }
    return { text: `${this.lines.join('\n')}\n`, positions: this.positions };
  }

  private get line(): number {
    return this.lines.length + 1;
  }

  /** `key: value` at `indent`, its value below it when it is a block. */
  private entry(path: (string | number)[], key: string, value: Data, indent: number): void {
    const pad = ' '.repeat(indent);
    const keyPos = { line: this.line, col: indent + 1 };
    const head = `${pad}${scalar(key, false)}:`;
    const empty = typeof value === 'object' && Object.keys(value).length === 0;
    const scalarList = Array.isArray(value) && value.every((v) => typeof v !== 'object');
    if (typeof value !== 'object' || empty || scalarList || (this.style.flowFields && isFieldDeclaration(path))) {
      const valueCol = head.length + 2;
      const text = this.flow(path, value, { line: this.line, col: valueCol });
      const comment = this.style.comments && typeof value !== 'object' && path.length === 1 ? '  # set here' : '';
      this.lines.push(`${head} ${text}${comment}`);
      this.positions.set(pathKey(path), { key: keyPos, value: { line: keyPos.line, col: valueCol } });
      return;
    }
    this.lines.push(head);
    const childIndent = indent + this.style.indent;
    this.positions.set(pathKey(path), { key: keyPos, value: { line: this.line, col: childIndent + 1 } });
    if (Array.isArray(value)) this.blockList(path, value, childIndent);
    else for (const [k, v] of Object.entries(value)) this.entry([...path, k], k, v, childIndent);
  }

  /** A list of maps, one `- ` item each. */
  private blockList(path: (string | number)[], items: Data[], indent: number): void {
    items.forEach((item, i) => {
      const pad = ' '.repeat(indent);
      if (typeof item !== 'object' || Array.isArray(item)) {
        const col = indent + 3;
        this.lines.push(`${pad}- ${this.flow([...path, i], item, { line: this.line, col })}`);
        this.positions.set(pathKey([...path, i]), { value: { line: this.line - 1, col } });
        return;
      }
      // `- key: value` then the other keys under the first one.
      const entries = Object.entries(item);
      this.positions.set(pathKey([...path, i]), { value: { line: this.line, col: indent + 3 } });
      entries.forEach(([k, v], j) => {
        const before = this.lines.length;
        this.entry([...path, i, k], k, v, indent + 2);
        if (j === 0) {
          this.lines[before] = `${pad}- ${this.lines[before]!.slice(indent + 2)}`;
        }
      });
    });
  }

  /**
   * A value on one line, recording where each nested entry lands (`at` is where the value starts).
   * Scalars inside `[...]` or `{...}` (`nested`) are in flow context, where `,` and brackets end them.
   */
  private flow(path: (string | number)[], value: Data, at: Position, nested = false): string {
    if (typeof value !== 'object') return scalar(value, nested);
    const parts: string[] = [];
    let col = at.col + (Array.isArray(value) ? 1 : 2);
    if (Array.isArray(value)) {
      value.forEach((item, i) => {
        const text = this.flow([...path, i], item, { line: at.line, col }, true);
        this.positions.set(pathKey([...path, i]), { value: { line: at.line, col } });
        parts.push(text);
        col += text.length + 2;
      });
      return `[${parts.join(', ')}]`;
    }
    for (const [k, v] of Object.entries(value)) {
      const keyText = `${scalar(k, true)}: `;
      const valueCol = col + keyText.length;
      const text = this.flow([...path, k], v, { line: at.line, col: valueCol }, true);
      this.positions.set(pathKey([...path, k]), { key: { line: at.line, col }, value: { line: at.line, col: valueCol } });
      parts.push(keyText + text);
      col += keyText.length + text.length + 2;
    }
    return parts.length === 0 ? '{}' : `{ ${parts.join(', ')} }`;
  }
}

/** A scalar as YAML text: plain when YAML reads it back as the same value, else double-quoted. */
export function scalar(value: string | number | boolean, inFlow: boolean): string {
  if (typeof value !== 'string') return String(value);
  const plain = inFlow ? `{ k: ${value} }` : `k: ${value}`;
  try {
    const doc = parseDocument(plain);
    const clean = doc.errors.length === 0 && doc.warnings.length === 0 && !/[\r\n\t]/.test(value) && value.trim() === value && value !== '';
    const node = clean && isMap(doc.contents) && doc.contents.items.length === 1 ? doc.get('k', true) : undefined;
    if (isScalar(node) && node.value === value) return value;
  } catch {
    // not readable as plain: quote it
  }
  return JSON.stringify(value);
}
