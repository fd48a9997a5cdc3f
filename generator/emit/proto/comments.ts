// Spec descriptions as `//` comments, one per line, so multi-line descriptions stay comments.

/** Comment lines for a description (none when there is no description). */
export function comment(description: string | undefined, indent: string): string[] {
  if (description === undefined || description.trim() === '') return [];
  return description
    .trim()
    .split(/\r?\n/)
    .map((line) => line.trimEnd())
    .map((line) => (line === '' ? `${indent}//` : `${indent}// ${line}`));
}
