// The one escaper of every Mermaid diagram meshspec draws (topology, events, sagas): spec text goes
// into a diagram only through these two functions, so no name can add syntax to it. Node and
// participant ids are never spec text: each diagram makes its own (`svc1`, `ev1`, `p1`).

const ENTITIES: Record<string, string> = { '"': '#quot;', '#': '#35;', '%': '#37;', '&': '#amp;', '<': '#lt;', '>': '#gt;', '`': '#96;', ';': '#59;' };

/** `text` on one line, with the characters of `special` as Mermaid entity codes. */
function escaped(text: string, special: RegExp): string {
  return text.replace(/\r\n|[\n\r\u2028\u2029]/g, ' ').replace(special, (c) => ENTITIES[c] ?? c);
}

/**
 * `text` as a quoted Mermaid label (a flowchart node, edge or subgraph title): `"`, `#`, `&`, `<`,
 * `>`, backticks and `%` as entity codes (mermaid strips a `%%{...}%%` directive or a `%%` comment
 * before it reads the quotes), line breaks as spaces (a label is one line).
 *
 * @param text - the label's text
 * @example mermaidLabel('say "hi"') // '"say #quot;hi#quot;"'
 */
export function mermaidLabel(text: string): string {
  return `"${escaped(text, /["#%&<>`]/g)}"`;
}

/**
 * `text` as the unquoted text of a sequence diagram (a participant's alias, a message, a note, an
 * `opt` title): as mermaidLabel, without the quotes, and `;` as an entity code too, since a sequence
 * diagram reads a bare `;` as the end of the statement.
 *
 * @param text - the text
 * @example mermaidText('a; b') // 'a#59; b'
 */
export function mermaidText(text: string): string {
  return escaped(text, /["#%&<>`;]/g);
}
