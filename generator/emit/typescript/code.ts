// A tiny printer for generated TypeScript: literals, JSDoc and imports in a prettier-like style
// (2-space indent, single quotes, trailing commas, break only what does not fit). Hand-rolled rather
// than ts-morph so the output is byte-stable and does not depend on a formatter's version.
import { compare } from '../../model/order.js';
import { RUNTIME_MODULES } from '../../naming/index.js';
import { textLines } from '../text-lines.js';

/** Line width used to decide whether a literal or import fits on one line. */
export const WIDTH = 100;

/** A piece of code printed verbatim inside a literal (an identifier, a call). */
export class Code {
  constructor(readonly text: string) {}
}

export const code = (text: string): Code => new Code(text);

export type Literal =
  | string
  | number
  | boolean
  | null
  | Code
  | readonly Literal[]
  | { readonly [key: string]: Literal | undefined };

/** Quotes a string the way prettier does: single quotes, unless double ones need fewer escapes. */
export function quote(text: string): string {
  const singles = text.split("'").length - 1;
  const doubles = text.split('"').length - 1;
  const q = singles > doubles ? '"' : "'";
  let out = '';
  for (const ch of text) {
    if (ch === '\\') out += '\\\\';
    else if (ch === q) out += `\\${q}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (ch < ' ' || ch === '\u2028' || ch === '\u2029') {
      out += `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`;
    } else out += ch;
  }
  return q + out + q;
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** An object key or interface member name: bare when it is an identifier, else quoted. */
export function propertyName(name: string): string {
  return IDENTIFIER.test(name) ? name : quote(name);
}

function entries(value: { readonly [key: string]: Literal | undefined }): [string, Literal][] {
  return Object.entries(value).filter((e): e is [string, Literal] => e[1] !== undefined);
}

function isList(value: Literal): value is readonly Literal[] {
  return Array.isArray(value);
}

function inline(value: Literal): string {
  if (value === null) return 'null';
  if (value instanceof Code) return value.text;
  if (typeof value === 'string') return quote(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (isList(value)) return `[${value.map(inline).join(', ')}]`;
  const props = entries(value).map(([k, v]) => `${propertyName(k)}: ${inline(v)}`);
  return props.length === 0 ? '{}' : `{ ${props.join(', ')} }`;
}

/** `inline(value)` when it is at most `max` characters long, else undefined (found once `max` is passed). */
function inlineUpTo(value: Literal, max: number): string | undefined {
  if (max < 0) return undefined;
  if (typeof value !== 'object' || value === null || value instanceof Code) {
    const flat = inline(value);
    return flat.length <= max ? flat : undefined;
  }
  const list = isList(value);
  const parts = list ? value : entries(value);
  if (parts.length === 0) return list ? '[]' : '{}';
  // `[a, b]` and `{ k: a, l: b }`: brackets, then each part and its separator.
  let out = list ? '[' : '{ ';
  for (const [i, part] of parts.entries()) {
    const head = (i > 0 ? ', ' : '') + (list ? '' : `${propertyName((part as [string, Literal])[0])}: `);
    const tail = list ? ']' : ' }';
    const item = inlineUpTo(list ? (part as Literal) : (part as [string, Literal])[1], max - out.length - head.length - tail.length);
    if (item === undefined) return undefined;
    out += head + item;
  }
  out += list ? ']' : ' }';
  return out.length <= max ? out : undefined;
}

/**
 * Prints `value` starting at `column` of a line indented by `indent` spaces. Objects and arrays
 * stay on one line when they fit (with room for a trailing comma), else get one entry per line.
 * `expand` forces the outermost level onto several lines (top-level constants read better so).
 */
export function printLiteral(value: Literal, indent = 0, column = indent, expand = false): string {
  const composite = typeof value === 'object' && value !== null && !(value instanceof Code);
  if (!composite) return inline(value);
  // Room for a trailing comma. A long value is not printed flat just to find that it does not fit.
  const flat = expand ? undefined : inlineUpTo(value, WIDTH - column - 1);
  if (flat !== undefined && !flat.includes('\n')) return flat;
  const inner = ' '.repeat(indent + 2);
  const lines = isList(value)
    ? value.map((item) => inner + printLiteral(item, indent + 2))
    : entries(value).map(([k, v]) => {
        const key = `${propertyName(k)}: `;
        return inner + key + printLiteral(v, indent + 2, indent + 2 + key.length);
      });
  if (lines.length === 0) return inline(value);
  const [open, close] = isList(value) ? ['[', ']'] : ['{', '}'];
  return `${open}\n${lines.map((l) => `${l},\n`).join('')}${' '.repeat(indent)}${close}`;
}

/**
 * A JSDoc block for `text` at `indent`; empty when there is no text. Text may come as one string or
 * as lines, and any of them may hold line breaks of any kind (generator/emit/text-lines.ts): every
 * line gets its ` * `, and a `*\/` in the text cannot close the comment early.
 */
export function jsdoc(text: string | readonly string[] | undefined, indent = 0): string {
  const lines = textLines(text).map((l) => l.replaceAll('*/', '*\\/'));
  if (lines.length === 0) return '';
  const pad = ' '.repeat(indent);
  const single = `${pad}/** ${lines[0]} */`;
  if (lines.length === 1 && single.length <= WIDTH) return `${single}\n`;
  return `${pad}/**\n${lines.map((l) => (l === '' ? `${pad} *\n` : `${pad} * ${l}\n`)).join('')}${pad} */\n`;
}

/**
 * An import (or `export … from`) of `names` from `from`, broken over lines when too long; a name with
 * an entry in `aliases` is imported under it (`User as UsersUser`), sorted by its exported name.
 */
export function importDecl(
  names: readonly string[],
  from: string,
  {
    typeOnly = false,
    keyword = 'import',
    aliases = {},
  }: { typeOnly?: boolean; keyword?: 'import' | 'export'; aliases?: Readonly<Record<string, string>> } = {},
): string {
  const sorted = [...new Set(names)].sort(compare).map((n) => (Object.hasOwn(aliases, n) ? `${n} as ${aliases[n]}` : n));
  const head = `${keyword} ${typeOnly ? 'type ' : ''}`;
  const flat = `${head}{ ${sorted.join(', ')} } from ${quote(from)};`;
  if (flat.length <= WIDTH) return `${flat}\n`;
  return `${head}{\n${sorted.map((n) => `  ${n},\n`).join('')}} from ${quote(from)};\n`;
}

/** Joins top-level blocks with one blank line between them; ends with a single newline. */
export function joinBlocks(blocks: readonly (string | false | null | undefined)[]): string {
  return `${blocks
    .filter((b): b is string => typeof b === 'string' && b.trim() !== '')
    .map((b) => b.replace(/\n+$/, ''))
    .join('\n\n')}\n`;
}

/**
 * An interface method signature at `indent`, parameters one per line when it does not fit. A method
 * named `new` is quoted: bare, `new(...)` in an interface declares a construct signature.
 */
export function methodSignature(name: string, params: readonly string[], returns: string, indent = 2): string {
  const pad = ' '.repeat(indent);
  const member = name === 'new' ? quote(name) : propertyName(name);
  const flat = `${pad}${member}(${params.join(', ')}): ${returns};`;
  if (flat.length <= WIDTH) return `${flat}\n`;
  return `${pad}${member}(\n${params.map((p) => `${pad}  ${p},\n`).join('')}${pad}): ${returns};\n`;
}

export interface ImportSpec {
  names: readonly string[];
  from: string;
  typeOnly?: boolean;
  /** Local names of imported names that would clash under their own (see typeImports in names.ts). */
  aliases?: Readonly<Record<string, string>>;
}

/** Rank of a module specifier: `node:` builtins, then packages, then relative paths. */
function moduleRank(from: string): number {
  if (from.startsWith('node:')) return 0;
  return from.startsWith('.') ? 2 : 1;
}

/**
 * The import lines of a file: empty specs dropped, sorted by module (value before type import).
 * Names from the runtime must be listed in generator/naming (RUNTIME_MODULES) with the subpath they are
 * imported from: the semantic checks keep spec types from taking them, which only works if that
 * table is complete.
 */
export function importBlock(specs: readonly ImportSpec[]): string {
  for (const spec of specs) {
    if (!spec.from.startsWith('meshspec/')) continue;
    const unlisted = spec.names.filter((n) => (RUNTIME_MODULES as Record<string, string>)[n] !== spec.from);
    if (unlisted.length > 0) throw new Error(`internal: ${unlisted.join(', ')} imported from ${spec.from} but not listed for it in RUNTIME_MODULES`);
  }
  return specs
    .filter((s) => s.names.length > 0)
    .sort(
      (a, b) =>
        moduleRank(a.from) - moduleRank(b.from) ||
        compare(a.from, b.from) ||
        Number(a.typeOnly ?? false) - Number(b.typeOnly ?? false),
    )
    .map((s) => importDecl(s.names, s.from, { typeOnly: s.typeOnly ?? false, aliases: s.aliases ?? {} }))
    .join('');
}

/** Converts JSON data (e.g. a JSON Schema) into a printable literal, rejecting anything else. */
export function jsonLiteral(value: unknown): Literal {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (Array.isArray(value)) return value.map(jsonLiteral);
  if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const out: Record<string, Literal> = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = jsonLiteral(v);
    return out;
  }
  throw new Error(`meshspec: cannot print ${String(value)} as a literal`);
}
