// Spec text (descriptions) split into lines for generated comments, in one place: every line
// terminator a reader or a parser knows counts (LF, CRLF, CR, and U+2028/U+2029, which end a `//`
// comment in JavaScript), so that an emitter can prefix each line and no text escapes its comment.

/** LF, CRLF, CR, U+2028 (line separator) and U+2029 (paragraph separator). */
export const LINE_TERMINATOR = /\r\n|[\n\r\u2028\u2029]/;

/**
 * The lines of `text`, or of every element of it (an element may hold line breaks of its own),
 * right-trimmed, without leading or trailing blank lines; none for no text.
 */
export function textLines(text: string | readonly string[] | undefined): string[] {
  const parts = text === undefined ? [] : typeof text === 'string' ? [text] : text;
  const lines = parts.flatMap((part) => part.split(LINE_TERMINATOR)).map((line) => line.trimEnd());
  let start = 0;
  let end = lines.length;
  while (start < end && lines[start] === '') start++;
  while (end > start && lines[end - 1] === '') end--;
  return lines.slice(start, end);
}
