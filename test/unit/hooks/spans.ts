// Checking that an edited hook file is the original plus inserted text, nothing else.
import { expect } from 'vitest';

/** `text` with the one occurrence of `span` cut out; fails when `span` is absent or appears twice. */
export function cut(text: string, span: string): string {
  const at = text.indexOf(span);
  expect(at, `inserted text not found:\n${span}`).toBeGreaterThanOrEqual(0);
  expect(text.indexOf(span, at + 1), 'inserted text found twice').toBe(-1);
  return text.slice(0, at) + text.slice(at + span.length);
}

/** `text` with `insert` spliced in right after the first occurrence of `anchor`. */
export function spliceAfter(text: string, anchor: string, insert: string): string {
  const at = text.indexOf(anchor);
  expect(at, `anchor not found: ${anchor}`).toBeGreaterThanOrEqual(0);
  return text.slice(0, at + anchor.length) + insert + text.slice(at + anchor.length);
}
