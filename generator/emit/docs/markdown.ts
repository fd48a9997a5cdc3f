// Spec text (descriptions, names) inside generated Markdown: shown as written, never read as markup.
// A description could otherwise open a code fence that swallows the diagram, start a heading or a
// table row, or carry raw HTML.
import { textLines } from '../text-lines.js';

/**
 * `text` as Markdown that renders as the text itself: HTML's `&`, `<`, `>` as entities, every other
 * character Markdown gives a meaning (`\`, backticks, `*`, `_`, brackets, `#`, `|`, `~`, `+`, `-`, `!`,
 * `=`) backslash-escaped, and each line trimmed (no indented code block).
 *
 * @param text - the text; its line breaks of any kind stay line breaks
 * @example markdownText('a <b> | `c`') // 'a &lt;b&gt; \\| \\`c\\`'
 */
export function markdownText(text: string): string {
  return textLines(text)
    .map((line) =>
      line
        .trim()
        .replace(/[\\`*_{}[\]()#|~+\-!=]/g, (c) => `\\${c}`)
        .replace(/[&<>]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;' })[c] ?? c),
    )
    .join('\n');
}

/**
 * `text` on one line, for a table cell or a heading: its lines joined with spaces.
 *
 * @param text - the text
 * @example markdownInline('one\ntwo') // 'one two'
 */
export function markdownInline(text: string): string {
  return markdownText(text).split('\n').filter((l) => l !== '').join(' ');
}
