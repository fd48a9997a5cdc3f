import { diffModels, type Finding } from '../diff/index.js';
import { sortFindings } from '../diff/finding.js';
import { checkProtos } from '../diff/protos.js';
import { SpecLocator } from '../diff/locator.js';
import { formatDiagnostic } from '../language/diagnostics.js';
import { loadSpec } from '../language/load.js';
import { compileSpec } from '../pipeline.js';
import { parse } from './args.js';
import { earlierSpec } from './diff-against.js';
import { complain, plural, printDiagnostics, say } from './output.js';
import { UsageError } from './usage-error.js';

export const diffUsage = `Usage: meshspec diff --against <git-ref|dir> [--spec DIR] [--json]

Compares the spec with an earlier one and classifies each change as breaking, warning or safe for
clients already deployed and events already in flight: endpoints, fields, enum values, events, paths
and methods, field numbers, constraints, gateway routes. Also runs \`buf breaking\` on both specs'
generated protos. Each finding is positioned in the current spec, with a hint.
Exit 0 when nothing breaks, 1 when a change breaks (or the spec is invalid), 2 when the earlier spec
cannot be read or does not compile.

Options:
  --against REF|DIR  the earlier spec: a git ref (HEAD, origin/main, a tag, a commit), read from git
                     without touching the work tree; or a spec folder (or a project folder holding it)
  --spec DIR         spec folder: mesh.yaml plus services/*.yaml (default: spec)
  --json             print the findings as JSON on stdout
  -h, --help         show this help`;

export async function diffCommand(args: string[]): Promise<number> {
  const values = parse(args, { spec: { type: 'string', default: 'spec' }, against: { type: 'string' }, json: { type: 'boolean', default: false } }, diffUsage);
  if (values.help) return say(diffUsage), 0;
  if (typeof values.against !== 'string' || values.against === '') throw new UsageError(`--against is required: the git ref or folder of the earlier spec\n\n${diffUsage}`);
  const specDir = values.spec as string;
  const against = values.against;

  const current = await compileSpec(specDir);
  if (!current.model) {
    const { errors, warnings } = printDiagnostics(current.diagnostics);
    process.stderr.write(`${plural(errors, 'error')}, ${plural(warnings, 'warning')}\n`);
    return 1;
  }
  const earlier = await earlierSpec(against, specDir, process.cwd());
  try {
    const compiled = await compileSpec(earlier.specDir, earlier.cwd);
    if (!compiled.model) {
      const errors = compiled.diagnostics.filter((d) => d.severity === 'error');
      complain(`the earlier spec (${against}) does not compile, so there is nothing to compare with: ${plural(errors.length, 'error')}`);
      for (const d of errors.slice(0, 10)) process.stderr.write(`  ${against}: ${formatDiagnostic(d)}\n`);
      return 2;
    }
    const documents = (await loadSpec(specDir)).documents;
    const modelFindings = diffModels(compiled.model, current.model, documents);
    const protos = await checkProtos(compiled.model, current.model, new SpecLocator(documents));
    if (!protos.ran) complain(protos.reason);
    const findings = sortFindings([...modelFindings, ...(protos.ran ? protos.findings : [])]);
    const count = (c: Finding['classification']) => findings.filter((f) => f.classification === c).length;
    if (values.json) {
      const summary = { against, breaking: count('breaking'), warnings: count('warning'), safe: count('safe'), protos: protos.ran ? 'compared' : 'skipped', findings };
      say(JSON.stringify(summary, null, 2));
    } else {
      for (const f of findings) say(formatFinding(f));
      say(findings.length === 0
        ? `no changes against ${against}`
        : `against ${against}: ${plural(count('breaking'), 'breaking change')}, ${plural(count('warning'), 'warning')}, ${plural(count('safe'), 'safe change')}`);
    }
    return count('breaking') > 0 ? 1 : 0;
  } finally {
    await earlier.cleanup();
  }
}

/** A finding in the diagnostics' format (`file:line:col: error code: message`), a safe one as `note`, then its hint. */
export function formatFinding(f: Finding): string {
  const line = f.classification === 'safe'
    ? `${f.file}:${f.line}:${f.col}: note ${f.code}: ${f.message}`
    : formatDiagnostic({ severity: f.classification === 'breaking' ? 'error' : 'warning', code: f.code, message: f.message, file: f.file, line: f.line, col: f.col });
  return f.hint === undefined ? line : `${line}\n  hint: ${f.hint}`;
}
