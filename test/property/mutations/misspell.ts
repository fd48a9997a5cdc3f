// Typos of a name that keep it in its grammar (PascalCase, camelCase, lowercase, dotted) and make it
// name nothing: a swapped pair, a dropped or a doubled letter.
import type { Choose } from '../arbitraries/choose.js';

/** A typo of `name` that matches `grammar` and is none of `taken`; null when no such typo exists. */
export function misspell(choose: Choose, name: string, grammar: RegExp, taken: ReadonlySet<string>): string | null {
  const candidates = typos(name).filter((t) => t !== name && grammar.test(t) && !taken.has(t) && !taken.has(t.toLowerCase()));
  return candidates.length === 0 ? null : choose.pick(candidates);
}

function typos(name: string): string[] {
  const out = new Set<string>();
  for (let i = 1; i < name.length; i++) {
    // Swap a pair, but not across a dot or the first letter (its case carries the grammar).
    if (i >= 2 && name[i] !== '.' && name[i - 1] !== '.') out.add(name.slice(0, i - 1) + name[i] + name[i - 1] + name.slice(i + 1));
    if (name[i] !== '.') {
      out.add(name.slice(0, i) + name.slice(i + 1));
      out.add(name.slice(0, i) + name[i] + name.slice(i));
    }
  }
  return [...out].sort();
}

export const GRAMMAR = {
  type: /^[A-Z][A-Za-z0-9]*$/,
  error: /^[A-Z][a-z0-9]*([A-Z][a-z0-9]*)*$/,
  service: /^[a-z][a-z0-9]*$/,
  event: /^[a-z][a-z0-9]*(\.[a-z][a-z0-9]*)+$/,
} as const;
