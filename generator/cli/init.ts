// `meshspec init [DIR]`: plans the project (refusing before anything is written), writes it, runs
// generate in-process, then npm install, and prints the next steps.
import { statSync } from 'node:fs';
import path from 'node:path';
import { generate } from '../generate.js';
import { examples, findMeshspecPackage, INSTALL_COMMAND, planInit, runInstall, scriptsSpelledOut, SPEC_DIR, writeInit, type InitPlan } from '../init/index.js';
import { defaultLayout } from '../naming/index.js';
import { parseWithPositionals } from './args.js';
import { complain, plural, printDiagnostics, say } from './output.js';
import { UsageError } from './usage-error.js';

const exampleNames = Object.keys(examples).sort();

export const initUsage = `Usage: meshspec init [DIR] [--example NAME] [--no-install]

Starts a meshspec project in DIR (default: the current folder; created when missing): package.json
with meshspec and the scripts dev, generate, test and build; tsconfig.json with strict settings; a
one-service starter spec (spec/) with its hook (hooks/) and a test (test/); .gitignore; a README.
Then generates the code (generated/) and runs npm install.

In a folder that has a package.json, init adds the scripts and dependencies it lacks and never
replaces a script; an existing tsconfig.json, .gitignore or README.md is kept. When the folder
already has a spec, init refuses and writes nothing.

Options:
  --example NAME  scaffold a full example instead of the starter (${exampleNames.join(', ')})
  --no-install    do not run npm install
  -h, --help      show this help`;

export async function initCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseWithPositionals(
    args,
    { example: { type: 'string' }, 'no-install': { type: 'boolean', default: false } },
    initUsage,
  );
  if (values.help) return say(initUsage), 0;
  if (positionals.length > 1) throw new UsageError(`init takes one folder, not ${positionals.length} (${positionals.join(', ')})\n\n${initUsage}`);
  const example = values.example as string | undefined;
  if (example !== undefined && !Object.hasOwn(examples, example)) {
    throw new UsageError(`unknown example \`${example}\`: the examples are ${exampleNames.map((n) => `\`${n}\``).join(', ')}`);
  }
  const dir = positionals[0] ?? '.';
  const root = path.resolve(dir);
  if (isFile(root)) throw new UsageError(`${dir} is a file: init needs a folder (a new one, or a project to add meshspec to)`);

  const planned = planInit({ root, example, meshspec: findMeshspecPackage() });
  if (!planned.ok) {
    for (const refusal of planned.refusals) complain(refusal);
    process.stderr.write('nothing was written\n');
    return 1;
  }
  const { plan } = planned;
  const shown = shownPath(root);
  say(`meshspec init: ${example === undefined ? 'a starter mesh' : `the ${example} example`} in ${shown}`);
  try {
    await writeInit(plan);
  } catch (error) {
    // The folder cannot be written (permissions, a full disk): the writer has put everything back.
    complain(`cannot write in ${shown}: ${(error as Error).message}; nothing was written`);
    return 1;
  }
  report(plan);

  // The same code path as `meshspec generate`, so generated/ is there before the first `npm run dev`.
  const generated = await generate({ root, specDir: SPEC_DIR, outDir: defaultLayout.outDir, hooksDir: defaultLayout.hooksDir, check: false });
  const { errors } = printDiagnostics(generated.diagnostics);
  if (!generated.ok) {
    complain(`${plural(errors, 'error')} in ${SPEC_DIR}/: the project's files are written; fix the spec and run \`meshspec generate\``);
    return 1;
  }
  for (const warning of generated.hookWarnings) process.stderr.write(`warning: ${warning}\n`);
  for (const file of generated.plan.foreign) {
    process.stderr.write(`warning: ${file} is in the output folder but was not written by meshspec: left alone, and \`generate --check\` fails until it is moved or deleted\n`);
  }
  for (const change of generated.hookChanges) say(`hooks    ${change}`);
  say(`generated ${defaultLayout.outDir}/: ${plural(generated.fileCount, 'file')} (${generated.lineCount} lines)`);

  const install = !(values['no-install'] as boolean);
  if (install) {
    say(`running  ${INSTALL_COMMAND}${root === process.cwd() ? '' : ` (in ${shown})`}`);
    const outcome = await runInstall(root);
    if ('error' in outcome || outcome.code !== 0) {
      const why = 'error' in outcome ? outcome.error : `exit code ${outcome.code}`;
      const where = root === process.cwd() ? '' : ` in ${shown}`;
      complain(`${INSTALL_COMMAND} failed (${why}); the project's files are written: fix the problem above and run \`${INSTALL_COMMAND}\`${where}`);
      return 1;
    }
  }
  say(`\n${nextSteps(root, shown, plan, install)}`);
  return 0;
}

/** What init wrote, kept and skipped, one line each. */
function report(plan: InitPlan): void {
  for (const file of plan.create) say(`created  ${file.path}`);
  if (plan.packageJson.merged) {
    const { addedScripts, addedDependencies, skippedScripts, typeWas } = plan.packageJson.changes;
    const added = [
      addedScripts.length > 0 ? `added ${addedScripts.length === 1 ? 'script' : 'scripts'} ${addedScripts.join(', ')}` : '',
      addedDependencies.length > 0 ? `added ${addedDependencies.join(', ')}` : '',
      typeWas !== null ? `"type": "module" (was ${typeWas === undefined ? 'unset' : JSON.stringify(typeWas)}: generated code is ES modules; a .js file of yours that uses require() needs the .cjs extension now)` : '',
    ].filter((part) => part !== '');
    say(added.length > 0 ? `updated  package.json: ${added.join('; ')}` : 'kept     package.json (nothing to add)');
    for (const skipped of skippedScripts) {
      say(`skipped  script "${skipped.name}": package.json's runs \`${skipped.theirs}\`; meshspec's would run \`${skipped.ours}\``);
    }
  }
  for (const { path: file, note } of plan.kept) say(`kept     ${file} (it exists: not changed${note ? `; ${note}` : ''})`);
}

function nextSteps(root: string, shown: string, plan: InitPlan, installed: boolean): string {
  // A script the project kept with its own command would not do what the step says: spell ours out.
  const skipped = new Set(plan.packageJson.merged ? plan.packageJson.changes.skippedScripts.map((s) => s.name) : []);
  const run = (script: string, npm: string) => (skipped.has(script) ? scriptsSpelledOut[script]! : npm);
  const steps: [command: string, comment: string][] = [
    ...(root === process.cwd() ? [] : [[`cd ${shellQuote(shown)}`, ''] as [string, string]]),
    ...(installed ? [] : [[INSTALL_COMMAND, ''] as [string, string]]),
    [run('dev', 'npm run dev'), 'regenerates and runs the mesh; Ctrl-C stops it'],
    [`curl -s ${plan.tryIt.url}`, `in another terminal: ${plan.tryIt.answer}`],
    [run('test', 'npm test'), 'type-check, generate --check and the tests in test/'],
  ];
  const width = Math.max(...steps.map(([command]) => command.length));
  const lines = steps.map(([command, comment]) => (comment === '' ? command : `${command.padEnd(width)}   # ${comment}`));
  return `Next:\n${lines.map((line) => `  ${line}`).join('\n')}`;
}

function isFile(target: string): boolean {
  try {
    return !statSync(target).isDirectory();
  } catch {
    return false; // missing: init creates it
  }
}

/** The folder as the user would type it: relative to the working folder when inside it. */
function shownPath(root: string): string {
  const relative = path.relative(process.cwd(), root);
  return relative === '' ? '.' : relative.startsWith('..') || path.isAbsolute(relative) ? root : relative;
}

function shellQuote(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replaceAll("'", "'\\''")}'`;
}
