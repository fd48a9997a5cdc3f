// The formatting a file already uses, so inserted code looks like the user's own: line endings,
// indentation unit, quotes and semicolons. Detection only reads the text.

export interface Style {
  eol: '\n' | '\r\n';
  /** One level of indentation: a tab or some spaces. */
  unit: string;
  quote: "'" | '"';
  semi: boolean;
}

/** What meshspec writes in a file it creates. */
export const defaultStyle: Style = { eol: '\n', unit: '  ', quote: "'", semi: true };

/** CRLF when most line breaks are CRLF, so a file checked out on Windows stays consistent. */
export function detectEol(text: string): Style['eol'] {
  const crlf = text.split('\r\n').length - 1;
  const lf = text.split('\n').length - 1 - crlf;
  return crlf > lf ? '\r\n' : '\n';
}

/**
 * Tabs when most indented lines start with a tab, else the smallest space indentation seen
 * (2 when none). Lines starting with `*` are skipped: they continue a block comment at one space.
 */
export function detectUnit(text: string): string {
  let tabs = 0;
  let spaced = 0;
  let smallest = Infinity;
  for (const line of text.split(/\r?\n/)) {
    const lead = /^[\t ]*/.exec(line)?.[0] ?? '';
    const rest = line.slice(lead.length);
    if (lead === '' || rest === '' || rest.startsWith('*')) continue;
    if (lead.startsWith('\t')) tabs++;
    else {
      spaced++;
      smallest = Math.min(smallest, lead.length);
    }
  }
  if (tabs > spaced) return '\t';
  return smallest === Infinity ? defaultStyle.unit : ' '.repeat(Math.min(smallest, 8));
}

/** Leading whitespace of the line that holds `pos`. */
export function indentAt(text: string, pos: number): string {
  const start = lineStart(text, pos);
  return /^[\t ]*/.exec(text.slice(start, pos))?.[0] ?? '';
}

/** Offset of the first character of the line that holds `pos`. */
export function lineStart(text: string, pos: number): number {
  return text.lastIndexOf('\n', pos - 1) + 1;
}

/** True when only spaces or tabs precede `pos` on its line. */
export function startsLine(text: string, pos: number): boolean {
  return /^[\t ]*$/.test(text.slice(lineStart(text, pos), pos));
}
