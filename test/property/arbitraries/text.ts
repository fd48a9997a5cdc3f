// Free text a spec carries into generated code and documents: descriptions. Each piece is something
// an emitter has to escape or keep on its line: comment ends, template syntax, quotes, line breaks,
// YAML and Markdown syntax, non-ASCII.
import type { Choose } from './choose.js';

const PIECES = [
  'A plain sentence.',
  'ends a comment */ here',
  '/* opens one',
  '// a line comment',
  'a `backtick` and ${template}',
  "single ' and double \" quotes",
  'a\nsecond line',
  'trailing newline\n',
  '\n\nblank lines above',
  'hash # not a comment',
  'key: value, [list], {map}',
  '- looks like a list item',
  '&anchor *alias !tag |',
  'tab\there',
  'carriage\r\nreturn',
  'Grüße, 日本語, emoji 🚀, עברית',
  'line\u2028separator',
  'paragraph\u2029separator',
  'next\u0085line',
  'zero\u200bwidth',
  '   leading and trailing spaces   ',
  'backslash \\ and \\n literally',
  '<script>alert(1)</script> &amp;',
  '@param x {string} and @returns',
  '%s %d {0}',
  '""" triple quotes',
  '---',
  '...',
] as const;

/** A description of one to three pieces. */
export function description(choose: Choose): string {
  const count = choose.int(1, 3);
  const parts: string[] = [];
  for (let i = 0; i < count; i++) parts.push(choose.pick(PIECES));
  return parts.join(choose.pick([' ', '\n', '']));
}

/** Sometimes a description, often none. */
export function maybeDescription(choose: Choose, p = 0.35): string | undefined {
  return choose.chance(p) ? description(choose) : undefined;
}
