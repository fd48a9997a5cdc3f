// `meshspec build`: the project's generated code and hooks as JavaScript under build/, with the files
// they read at run time, so that production runs `node build/generated/main.js <workload>` with no
// TypeScript loader. The runtime is not compiled here: the compiled code imports it as
// `meshspec/runtime/...`, the installed package's dist/.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { buildFolder, defaultLayout } from '../naming/index.js';
import { parse } from './args.js';
import { assetSources, copyAssets } from './build/assets.js';
import { compileProject } from './build/compile.js';
import { loadTypeScript } from './build/typescript-compiler.js';
import { say } from './output.js';
import { UsageError } from './usage-error.js';

export const buildUsage = `Usage: meshspec build [--out DIR] [--generated DIR] [--hooks DIR]

Compiles generated/ and hooks/ to JavaScript under build/ (type errors are reported as
file:line:col and build/ is left as it was), and copies beside it what the code reads at run time:
the .proto files of generated/proto and every non-TypeScript file of hooks/ (SQL migrations).
Run a workload with plain node: node build/generated/main.js <service|group|gateway>.
Exit 0 when built, 1 on a type error.

Options:
  --out DIR         build folder, emptied first (default: build; meshspec-build when the
                    generated or hooks folder is in build/)
  --generated DIR   generated code's folder, as generate --out (default: ${defaultLayout.outDir})
  --hooks DIR       hooks folder (default: ${defaultLayout.hooksDir})
  -h, --help        show this help`;

const options = {
  out: { type: 'string' },
  generated: { type: 'string', default: defaultLayout.outDir },
  hooks: { type: 'string', default: defaultLayout.hooksDir },
} as const;

/**
 * Runs `meshspec build` in the working folder.
 *
 * @param args the command's arguments (after `build`)
 * @returns the exit code: 0 built, 1 a type error (a usage error throws UsageError: exit 2)
 * @example await buildCommand(['--out', 'dist/app']) // 0
 */
export async function buildCommand(args: string[]): Promise<number> {
  const values = parse(args, options, buildUsage);
  if (values.help) return say(buildUsage), 0;
  const started = performance.now();
  const root = process.cwd();
  const generatedDir = values.generated as string;
  const hooksDir = values.hooks as string;
  const outDir = path.resolve(root, (values.out as string | undefined) ?? buildFolder({ outDir: generatedDir, hooksDir }));
  checkFolders(root, outDir, generatedDir, hooksDir);

  const ts = await loadTypeScript(root);
  const sourceFolders = [generatedDir, hooksDir].map((folder) => path.resolve(root, folder)).filter(existsSync);
  const result = compileProject(ts, { root, sourceFolders, outDir });
  if (!result.ok) {
    for (const error of result.errors) process.stderr.write(`${error}\n`);
    process.stderr.write(`build failed: ${result.errors.length} TypeScript error${result.errors.length === 1 ? '' : 's'}${missingRuntimeHint(result.errors)}\n`);
    return 1;
  }
  const copied = copyAssets(root, outDir, assetSources(generatedDir, hooksDir));
  const shown = path.relative(root, outDir) || '.';
  say(`built ${result.emitted.length} JavaScript files and copied ${copied.length} run-time files into ${shown}/ in ${Math.round(performance.now() - started)} ms`);
  say(`run a workload: node ${shown}/${generatedDir}/main.js <service|group|gateway>`);
  return 0;
}

/** The folders must exist and the build folder must be one of its own, not a folder with sources in it. */
function checkFolders(root: string, outDir: string, generatedDir: string, hooksDir: string): void {
  if (!existsSync(path.join(root, generatedDir, 'main.ts'))) {
    throw new UsageError(`${generatedDir}/main.ts not found: run \`meshspec generate\` first (or pass --generated DIR)`);
  }
  if (hooksDir === '' || hooksDir === '.') throw new UsageError('meshspec build needs the hooks in a folder of their own (--hooks DIR)');
  for (const source of [root, path.resolve(root, generatedDir), path.resolve(root, hooksDir), path.resolve(root, 'spec')]) {
    const inside = path.relative(outDir, source);
    if (inside === '' || !inside.startsWith('..')) {
      throw new UsageError(`--out ${path.relative(root, outDir) || '.'} would empty a folder holding sources: choose a folder of its own (default: build)`);
    }
  }
}

/** Help for the usual cause of "Cannot find module 'meshspec/runtime/...'". */
function missingRuntimeHint(errors: readonly string[]): string {
  if (!errors.some((e) => e.includes('TS2307') && e.includes("'meshspec/"))) return '';
  return "\nmeshspec's runtime was not found: install the project's dependencies (npm ci); in meshspec's own repository, run `npm run build` first";
}
