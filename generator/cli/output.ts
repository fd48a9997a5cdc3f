// How the CLI prints: diagnostics to stderr in the compiler format, everything else to stdout.
import { formatDiagnostic, type Diagnostic } from '../language/diagnostics.js';

export function printDiagnostics(diagnostics: Diagnostic[]): { errors: number; warnings: number } {
  for (const d of diagnostics) process.stderr.write(`${formatDiagnostic(d)}\n`);
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  return { errors, warnings: diagnostics.length - errors };
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

export function complain(line: string): void {
  process.stderr.write(`meshspec: ${line}\n`);
}
