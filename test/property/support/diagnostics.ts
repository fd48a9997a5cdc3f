// What every diagnostic must be, whatever the spec: in a file of the spec, at a line and column
// inside that file, with a code the language declares.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { formatDiagnostic, type Diagnostic } from '../../../generator/language/diagnostics.js';
import { repoRoot } from '../../support/project.js';
import type { SpecFiles } from '../arbitraries/plan.js';

/**
 * Every kebab-case string literal of generator/language and generator/model (whose example check
 * needs the built model): a code a diagnostic carries is one of them.
 */
export const languageCodes: ReadonlySet<string> = (() => {
  const codes = new Set<string>();
  const dirs = ['generator/language', 'generator/model'].map((d) => path.join(repoRoot, d));
  for (const entry of dirs.flatMap((dir) => readdirSync(dir, { recursive: true, withFileTypes: true }))) {
    if (!entry.isFile() || !entry.name.endsWith('.ts')) continue;
    const text = readFileSync(path.join(entry.parentPath, entry.name), 'utf8');
    for (const m of text.matchAll(/'([a-z]+(?:-[a-z]+)+)'/g)) codes.add(m[1]!);
  }
  return codes;
})();

/** Problems with the diagnostics of a spec folder given as `files` (paths relative to `specDir`). */
export function misplacedDiagnostics(diagnostics: readonly Diagnostic[], files: SpecFiles, specDir: string): string[] {
  const problems: string[] = [];
  for (const d of diagnostics) {
    const relative = path.posix.relative(specDir, d.file);
    const text = files[relative];
    const shown = formatDiagnostic(d);
    if (text === undefined) {
      problems.push(`not in a spec file: ${shown}`);
      continue;
    }
    const lines = text.split('\n');
    const line = lines[d.line - 1];
    if (line === undefined || d.line < 1) problems.push(`line outside the file: ${shown}`);
    else if (d.col < 1 || d.col > line.length + 1) problems.push(`column outside line ${d.line} (${JSON.stringify(line)}): ${shown}`);
    if (!languageCodes.has(d.code)) problems.push(`unknown code: ${shown}`);
  }
  return problems;
}
