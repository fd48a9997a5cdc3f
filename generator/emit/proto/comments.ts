// Spec descriptions as `//` comments, one per line (any kind of line break), so multi-line
// descriptions stay comments.
import { textLines } from '../text-lines.js';

/** Comment lines for a description (none when there is no description). */
export function comment(description: string | undefined, indent: string): string[] {
  return textLines(description?.trimStart()).map((line) => (line === '' ? `${indent}//` : `${indent}// ${line}`));
}
