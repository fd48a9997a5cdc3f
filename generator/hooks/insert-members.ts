// Where and how stub members go into an existing object literal: at its end, after any comments
// that follow the last member, indented like the members already there.
import type { Insertion } from './edits.js';
import type { ObjectShape } from './parse.js';
import type { StubLayout } from './stubs.js';
import { joinStubs } from './stubs.js';
import { indentAt, lineStart, startsLine, type Style } from './style.js';

/** Indentation of the object's members, taken from the first one that starts its own line. */
export function memberLayout(text: string, shape: ObjectShape, style: Style): StubLayout {
  const base = indentAt(text, shape.open);
  const first = shape.starts.find((start) => startsLine(text, start));
  const seen = first === undefined ? undefined : indentAt(text, first);
  const unit = seen !== undefined && seen.length > base.length && seen.startsWith(base) ? seen.slice(base.length) : style.unit;
  return { indent: seen ?? base + unit, unit, eol: style.eol, quote: style.quote };
}

/**
 * Insertions that append `stubs` (rendered with `memberLayout`) to the object: a comma after the
 * last member when it has none, then the stubs on their own lines just before the closing brace.
 */
export function appendMembers(text: string, shape: ObjectShape, stubs: string[], style: Style): Insertion[] {
  if (stubs.length === 0) return [];
  const out: Insertion[] = [];
  if (shape.last && !shape.last.comma) out.push({ at: shape.last.end, text: ',' });
  const block = joinStubs(stubs, style.eol, shape.last !== null);
  if (startsLine(text, shape.close)) {
    // `}` on its own line: the stubs become whole lines just above it.
    out.push({ at: lineStart(text, shape.close), text: block });
  } else {
    // `{}` or `{ a }` on one line: break before the stubs and put `}` back at the object's indentation.
    out.push({ at: shape.close, text: style.eol + block + indentAt(text, shape.open) });
  }
  return out;
}
