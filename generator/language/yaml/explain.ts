// What each error of the `yaml` parser means for someone writing a spec, and the fix. The parser
// reports where its reading broke, which is often not where the mistake is, and one mistake often
// breaks the reading of everything after it. So each explanation looks for the mistake itself (a
// value that needs quotes, a missing colon, a mis-indented line, an unclosed `{`) by asking the
// parser whether the repaired text reads, and hands the repaired text on to look for the next one.
import { isScalar, Scalar, visit, type Document, type ErrorCode, type YAMLError } from 'yaml';
import { code } from '../diagnostics.js';
import { findMisindentedYaml, likeLine, misindentation, type Misindented } from './indentation.js';
import { findUnquotedValue } from './quoting.js';
import { RepairCheck, SourceLines, type ParseBudget } from './source.js';

export interface Explanation {
  /** Where the mistake is, as an offset into the text. */
  offset: number;
  message: string;
  /** The text with this mistake repaired, to look for the next one; absent when the rest cannot be trusted. */
  repaired?: string | undefined;
  /** The parser read on past this error by itself: the errors after it are worth explaining as they are. */
  recovered?: boolean;
  /** The mistake is a line's indentation. */
  indentation?: boolean;
}

interface Context {
  source: SourceLines;
  doc: Document.Parsed;
  budget: ParseBudget;
}

type Explain = (error: YAMLError, context: Context) => Explanation;

/**
 * Every error code of the `yaml` parser and how it is explained. Errors where the reading broke
 * (`structural`) look for the mistake first and say what the parser saw only when none is found.
 */
const EXPLAIN: Record<ErrorCode, Explain> = {
  // Structure: the mistake may be a value needing quotes, a missing colon, an indentation or an unclosed bracket.
  BAD_INDENT: structural((e) => (/^Flow (map|sequence)/.test(e.message)
    ? `a \`${e.message.includes('map') ? '{' : '['}\` before this line is never closed on its line`
    : 'this line does not line up with the lines before it: the keys of one map start at the same column')),
  BLOCK_AS_IMPLICIT_KEY: structural(() => 'a value on the same line as its key cannot hold `key: value`; quote the value, or put the map on indented lines of its own'),
  MULTILINE_IMPLICIT_KEY: structural(() => 'a key must fit on one line, and this one runs into the next line; check that it ends with `:` and how the next line is indented'),
  BLOCK_IN_FLOW: structural(() => 'inside `{ ... }` or `[ ... ]` a value cannot hold an indented block; quote values that contain `: `, and close the brackets on the line they open'),
  UNEXPECTED_TOKEN: structural((e, c) => `YAML did not expect ${shown(c.source.text, e.pos)} here; check the quotes, brackets and indentation of this line`),
  MISSING_CHAR: missingChar,
  KEY_OVER_1024_CHARS: structural(() => 'this key is longer than 1024 characters: is a `:` missing after a key, or a quote after a value?'),
  TAB_AS_INDENT: tabIndent,
  DUPLICATE_KEY: duplicateKey,
  BAD_SCALAR_START: structural((e, c) => `a value may not start with ${shown(c.source.text, e.pos)}, which YAML reserves; quote the value`),
  BAD_DQ_ESCAPE: badEscape,
  MULTIPLE_DOCS: (e, { source }) => ({
    offset: source.offsetOf(source.lineOf(e.pos[0]), 0),
    message: 'a spec file holds one YAML document, and `---` starts a second one; remove it (each service goes in a file of its own)',
  }),
  TAG_RESOLVE_FAILED: (e, { source }) => ({
    offset: e.pos[0],
    message: `${shown(source.text, e.pos)} is a YAML tag, which no spec needs; remove it`,
    repaired: source.withRange(e.pos[0], e.pos[1], ' '.repeat(e.pos[1] - e.pos[0])),
  }),
  BAD_ALIAS: (e) => ({ offset: e.pos[0], message: 'an anchor (`&name`) or alias (`*name`) needs a name without a trailing `:`; quote the value if `&` or `*` is text' }),
  ALIAS_PROPS: (e) => ({ offset: e.pos[0], message: 'an alias (`*name`) stands for a value written elsewhere and may not carry its own tag or anchor' }),
  MULTIPLE_ANCHORS: (e) => ({ offset: e.pos[0], message: 'a value may have one anchor (`&name`); remove the others' }),
  MULTIPLE_TAGS: (e) => ({ offset: e.pos[0], message: 'a value may have one YAML tag, and no spec needs any; remove them' }),
  BAD_PROP_ORDER: (e) => ({ offset: e.pos[0], message: 'an anchor (`&name`) goes after the `-` or `?` of its item; quote the value if `&` is text' }),
  BAD_DIRECTIVE: (e) => ({ offset: e.pos[0], message: 'a line starting with `%` is a YAML directive, which no spec needs; remove it, or quote the value' }),
  NON_STRING_KEY: (e) => ({ offset: e.pos[0], message: 'a key must be a name, not a list or a map' }),
  BAD_COLLECTION_TYPE: (e) => ({ offset: e.pos[0], message: 'a YAML tag here does not fit its value, and no spec needs one; remove it' }),
  RESOURCE_EXHAUSTION: (e) => ({ offset: e.pos[0], message: 'the aliases (`*name`) here expand to too much data; write the values out' }),
  IMPOSSIBLE: (e) => ({ offset: e.pos[0], message: 'YAML cannot read this line; check its quotes, brackets and indentation' }),
};

export function explain(error: YAMLError, context: Context): Explanation {
  return EXPLAIN[error.code](error, context);
}

/** Looks for the mistake behind a broken reading, in the order the fixes are likeliest; else says what the parser saw. */
function structural(fallback: (error: YAMLError, context: Context) => string): Explain {
  return (error, context) => {
    const { source, budget } = context;
    const errorLine = source.lineOf(error.pos[0]);
    const unquoted = findUnquotedValue(source, error.pos[0], budget);
    if (unquoted) {
      return { offset: unquoted.culprit, message: `the value of \`${unquoted.key}\` needs quotes: ${unquoted.reason}; write ${code(unquoted.written)}`, repaired: unquoted.text };
    }
    const colon = findMissingColon(source, errorLine, budget);
    if (colon) return colon;
    const misindented = findMisindentedYaml(source, errorLine, budget);
    if (misindented) return indentation(source, misindented);
    const unclosed = findUnclosedBracket(source, errorLine, budget);
    if (unclosed) return unclosed;
    return { offset: firstCharacter(source, error.pos[0]), message: fallback(error, context) };
  };
}

function missingChar(error: YAMLError, context: Context): Explanation {
  const { source, doc } = context;
  if (/closing .?quote/.test(error.message)) {
    const mark = error.message.includes('"') ? '"' : "'";
    const open = lastQuotedBefore(doc, error.pos[0], mark);
    return {
      offset: open ?? error.pos[0],
      message: `the quoted value that starts here is never closed; end it with \`${mark}\` on its line` +
        (mark === '"' ? ' (a `"` inside it is written `\\"`)' : " (a `'` inside it is written `''`)"),
    };
  }
  return structural(() => (/Implicit map keys/.test(error.message)
    ? 'this line is neither a `key: value` nor a list item; is its `:` missing?'
    : 'YAML expected a `,` or `:` here; quote values that contain `{ } [ ] , :`'))(error, context);
}

function tabIndent(error: YAMLError, { source, budget }: Context): Explanation {
  const line = source.lineOf(error.pos[0]);
  const fix = findMisindentedYaml(source, line, budget);
  const key = source.keyOf(line);
  const where = fix ? `: start it at column ${fix.to + 1}${likeLine(source, fix)}` : '';
  return {
    offset: source.offsetOf(line, 0),
    message: `${key === undefined ? 'this line' : `\`${key}\``} is indented with a tab, and YAML indents with spaces only; use spaces${where}`,
    repaired: fix?.text,
    indentation: true,
  };
}

function duplicateKey(error: YAMLError, { source, doc, budget }: Context): Explanation {
  const duplicate = duplicateKeys(doc).find((d) => d.second >= source.offsetOf(source.lineOf(error.pos[0]), 0)) ?? duplicateKeys(doc)[0];
  if (!duplicate) return { offset: error.pos[0], message: 'a key appears twice in this map; remove one of them', recovered: true };
  // A key indented too deep or too little joins the map of its neighbours, where its own keys repeat theirs.
  // Then the mis-indented line is one between the two that opens a map of its own (`getCartItems:`);
  // moving either occurrence instead would only hide a plain duplicate.
  const misindented = findMisindentedYaml(source, source.lineOf(duplicate.second), budget);
  if (misindented && opensMapBetween(source, misindented.line, duplicate)) return indentation(source, misindented);
  return {
    offset: duplicate.second,
    message: `\`${duplicate.key}\` is already a key of this map (line ${source.lineOf(duplicate.first) + 1}); a map holds each key once: remove one of them`,
    recovered: true,
  };
}

/** `line` lies strictly between the two occurrences and is a key with no value on its line (`name:`). */
function opensMapBetween(source: SourceLines, line: number, duplicate: { first: number; second: number }): boolean {
  return line > source.lineOf(duplicate.first) && line < source.lineOf(duplicate.second) && /^\s*[^\s#:][^:#]*:\s*(#.*)?\r?$/.test(source.lines[line]!);
}

function badEscape(error: YAMLError, { source, doc }: Context): Explanation {
  const scalar = quotedScalarAt(doc, error.pos[0]);
  const raw = scalar ? source.text.slice(scalar.range![0] + 1, scalar.range![1] - 1).replace(/"\s*$/, '') : '';
  const single = scalar && !raw.includes("'") ? `'${raw}'` : undefined;
  return {
    offset: error.pos[0],
    message: `${code(source.text.slice(error.pos[0], error.pos[0] + 2))} is not an escape sequence: in double quotes a backslash starts one; write \`\\\\\` for a backslash` +
      (single ? `, or use single quotes: ${code(single)}` : ''),
    repaired: scalar && single ? source.withRange(scalar.range![0], scalar.range![0] + raw.length + 2, single) : undefined,
  };
}

/** `key` written without its colon: the line reads once the colon is added. */
function findMissingColon(source: SourceLines, errorLine: number, budget: ParseBudget): Explanation | undefined {
  for (const line of [errorLine, source.previousContent(errorLine)]) {
    if (line === undefined || source.isBlank(line)) continue;
    const match = /^(\s*(?:-\s+)?)([A-Za-z_][\w.-]*)\s*(#.*)?\r?$/.exec(source.lines[line]!);
    if (!match) continue;
    const end = match[1]!.length + match[2]!.length;
    const fixed = new SourceLines(source.withLine(line, `${source.lines[line]!.slice(0, end)}:${source.lines[line]!.slice(end)}`));
    if (!new RepairCheck(source, line, errorLine, budget).holds(fixed, Math.max(line, errorLine))) continue;
    return { offset: source.offsetOf(line, match[1]!.length), message: `\`${match[2]}\` needs a colon after it: write \`${match[2]}:\``, repaired: fixed.text };
  }
  return undefined;
}

/** A `{` or `[` never closed on its line, for an error the parser notices on the next one. */
function findUnclosedBracket(source: SourceLines, errorLine: number, budget: ParseBudget): Explanation | undefined {
  for (const line of [errorLine, source.previousContent(errorLine)]) {
    if (line === undefined || source.isBlank(line)) continue;
    const text = source.lines[line]!;
    const open: number[] = [];
    for (let i = 0; i < text.length; i++) {
      if (text[i] === '{' || text[i] === '[') open.push(i);
      else if ((text[i] === '}' || text[i] === ']') && open.length > 0) open.pop();
    }
    const at = open[open.length - 1];
    if (at === undefined) continue;
    const closer = text[at] === '{' ? '}' : ']';
    const end = text.replace(/\s+$/, '').length;
    const fixed = new SourceLines(source.withLine(line, `${text.slice(0, end)} ${closer}${text.slice(end)}`));
    if (!new RepairCheck(source, line, errorLine, budget).holds(fixed, Math.max(line, errorLine))) continue;
    return {
      offset: source.offsetOf(line, at),
      message: `this \`${text[at]}\` is never closed; end it with \`${closer}\` on the same line`,
      repaired: fixed.text,
    };
  }
  return undefined;
}

function indentation(source: SourceLines, fix: Misindented): Explanation {
  return { offset: source.offsetOf(fix.line, source.indent(fix.line)), message: misindentation(source, fix), repaired: fix.text, indentation: true };
}

/** Key pairs written twice in one map: the offsets of both keys. */
function duplicateKeys(doc: Document.Parsed): { key: string; first: number; second: number }[] {
  const found: { key: string; first: number; second: number }[] = [];
  visit(doc, {
    Map(_, map) {
      const seen = new Map<string, number>();
      for (const pair of map.items) {
        if (!isScalar(pair.key) || !pair.key.range) continue;
        const key = String(pair.key.value);
        const first = seen.get(key);
        if (first === undefined) seen.set(key, pair.key.range[0]);
        else found.push({ key, first, second: pair.key.range[0] });
      }
    },
  });
  return found.sort((a, b) => a.second - b.second);
}

/** The offset of the opening quote of the last `mark`-quoted value that starts before `offset`. */
function lastQuotedBefore(doc: Document.Parsed, offset: number, mark: string): number | undefined {
  let found: number | undefined;
  const type = mark === '"' ? Scalar.QUOTE_DOUBLE : Scalar.QUOTE_SINGLE;
  visit(doc, {
    Scalar(_, scalar) {
      if (scalar.type === type && scalar.range && scalar.range[0] < offset && (found === undefined || scalar.range[0] > found)) found = scalar.range[0];
    },
  });
  return found;
}

function quotedScalarAt(doc: Document.Parsed, offset: number): Scalar | undefined {
  let found: Scalar | undefined;
  visit(doc, {
    Scalar(_, scalar) {
      if (scalar.type === Scalar.QUOTE_DOUBLE && scalar.range && scalar.range[0] <= offset && offset < scalar.range[1]) found = scalar;
    },
  });
  return found;
}

/** The text the parser stopped at, quoted for a message (`` `,` ``), or a description of it. */
function shown(text: string, pos: [number, number]): string {
  const piece = text.slice(pos[0], Math.max(pos[1], pos[0] + 1)).split('\n')[0]!.trim();
  if (piece === '') return 'the end of the line';
  return code(piece.length > 40 ? `${piece.slice(0, 40)}…` : piece);
}

/** The first character of the line an offset points into, when it points at the indentation. */
function firstCharacter(source: SourceLines, offset: number): number {
  const line = source.lineOf(offset);
  const col = source.colOf(offset);
  const indent = source.indent(line);
  return col <= indent && !source.isBlank(line) ? source.offsetOf(line, indent) : offset;
}
