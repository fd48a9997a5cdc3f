// Problems found in a spec, reported all together in the compiler format editors parse:
//   spec/services/orders.yaml:12:11: error unknown-type: type `Ordr` is not declared; did you mean `Order`?

import { closest } from '../../common/closest.js';
import { compare } from '../naming/index.js';

export type Severity = 'error' | 'warning';

export interface Diagnostic {
  severity: Severity;
  /** Stable kebab-case code, e.g. `unknown-type`; tests and docs refer to it. */
  code: string;
  message: string;
  /** Path of the spec file as shown to the user (relative to the working folder). */
  file: string;
  line: number;
  col: number;
}

export function formatDiagnostic(d: Diagnostic): string {
  return `${d.file}:${d.line}:${d.col}: ${d.severity} ${d.code}: ${d.message}`;
}

/** Sorted by file, then position, then code: the order does not depend on which check ran first. */
export function sortDiagnostics(list: Diagnostic[]): Diagnostic[] {
  return [...list].sort(
    (a, b) =>
      compare(a.file, b.file) || a.line - b.line || a.col - b.col || compare(a.code, b.code) || compare(a.message, b.message),
  );
}


/** Text quoted as code in a message: `x`, or `` `x` `` when the text holds a backquote itself. */
export function code(text: string): string {
  return text.includes('`') ? `\`\` ${text} \`\`` : `\`${text}\``;
}

export function hasErrors(list: Diagnostic[]): boolean {
  return list.some((d) => d.severity === 'error');
}

/** `; did you mean `x`?` when a candidate is close enough to be a likely typo, else ''. */
export function didYouMean(name: string, candidates: Iterable<string>): string {
  const best = closest(name, candidates);
  return best === undefined ? '' : `; did you mean \`${best}\`?`;
}

