import { readStamp, type StampSummary } from '../cache/stamp.js';
import type { GenerateOptions, GenerateResult } from '../generate.js';
import type { Diagnostic } from '../language/diagnostics.js';
import { layoutFrom, layoutOptions, parse } from './args.js';
import { plural, printDiagnostics, say } from './output.js';

type OutputPlan = Extract<GenerateResult, { ok: true }>['plan'];

/** What the command prints from: a run's result, or the report of the stamp that stands for one. */
type Report =
  | { ok: false; diagnostics: Diagnostic[] }
  | { ok: true; diagnostics: Diagnostic[]; plan: OutputPlan; hookChanges: string[]; hookWarnings: string[]; fileCount: number; lineCount: number };

export const generateUsage = `Usage: meshspec generate [--spec DIR] [--out DIR] [--hooks DIR] [--check]

Generates TypeScript (types, servers, clients, hook interfaces), .proto files, OpenAPI documents,
the gateway's routes and Kubernetes manifests from the spec. Only changed files are rewritten;
generated files the spec no longer produces are removed. Hook files (your code) are created once;
later runs only add stubs for new endpoints and never change or delete your code.
On any spec error nothing is written. What a run needs to know that nothing changed since the
last one is kept in node_modules/.cache/meshspec (safe to delete; it never changes what is written).

Options:
  --spec DIR    spec folder (default: spec)
  --out DIR     output folder (default: generated)
  --hooks DIR   folder of your hook files (default: hooks)
  --check       write nothing (but the cache); exit 1 listing every file that differs, is missing or is extra,
                and every file in the output folder that meshspec did not write
  -h, --help    show this help`;

export async function generateCommand(args: string[]): Promise<number> {
  const values = parse(
    args,
    { ...layoutOptions, check: { type: 'boolean', default: false } },
    generateUsage,
  );
  if (values.help) return say(generateUsage), 0;
  const started = performance.now();
  const check = values.check as boolean;
  const layout = layoutFrom(values);
  // Nothing changed since an up-to-date run: say what it said, without loading the generator at all.
  const stamped = readStamp(layout);
  const result: Report = stamped ? fromStamp(stamped) : await runGenerate({ ...layout, check });
  const { errors } = printDiagnostics(result.diagnostics);
  if (!result.ok) {
    process.stderr.write(`${plural(errors, 'error')}: nothing was written\n`);
    return 1;
  }
  for (const warning of result.hookWarnings) process.stderr.write(`warning: ${warning}\n`);
  const { plan } = result;
  const elapsed = Math.round(performance.now() - started);

  if (check) {
    // Drift and foreign files fail the check alike, but need different fixes: `generate` repairs
    // drift and never touches a file it did not write, so that one only the user can move.
    const drift = [
      ...plan.create.map((f) => `missing:  ${f.path}`),
      ...plan.update.map((f) => `differs:  ${f.path}`),
      ...plan.remove.map((f) => `extra:    ${f}`),
    ];
    const foreign = plan.foreign.map((f) => `foreign:  ${f} (not written by meshspec)`);
    if (drift.length === 0 && foreign.length === 0) {
      say(`${values.out}: up to date (${plural(result.fileCount, 'file')}, ${elapsed} ms)`);
      return 0;
    }
    for (const line of [...drift, ...foreign]) process.stderr.write(`${line}\n`);
    for (const change of result.hookChanges) process.stderr.write(`would change: ${change}\n`);
    if (drift.length > 0) process.stderr.write(`${plural(drift.length, 'file')} out of date: run \`meshspec generate\`\n`);
    if (foreign.length > 0) {
      const them = foreign.length === 1 ? 'it' : 'them';
      process.stderr.write(`${plural(foreign.length, 'file')} in ${values.out} ${foreign.length === 1 ? 'was' : 'were'} not written by meshspec: move or delete ${them} (meshspec never deletes a file it did not write)\n`);
    }
    return 1;
  }

  for (const file of plan.create) say(`created  ${file.path}`);
  for (const file of plan.update) say(`updated  ${file.path}`);
  for (const file of plan.remove) say(`removed  ${file}`);
  for (const file of plan.foreign) {
    process.stderr.write(`warning: ${file} is in the output folder but was not written by meshspec: left alone, and \`generate --check\` fails until it is moved or deleted\n`);
  }
  for (const change of result.hookChanges) say(`hooks    ${change}`);
  say(`${values.out}: ${plural(result.fileCount, 'file')} (${result.lineCount} lines); ${plan.create.length} created, ${plan.update.length} updated, ${plan.remove.length} removed, ${plan.unchanged} unchanged in ${elapsed} ms`);
  return 0;
}

/** The generator, imported only for a run that has to compile the spec. */
async function runGenerate(options: GenerateOptions): Promise<GenerateResult> {
  const { generate } = await import('../generate.js');
  return generate(options);
}

/** The report of a run on a project the stamp says is unchanged: every file is as it was, nothing to do. */
function fromStamp(summary: StampSummary): Report {
  const plan: OutputPlan = { create: [], update: [], remove: [], foreign: [], unchanged: summary.fileCount };
  return { ok: true, ...summary, plan, hookChanges: [] };
}
