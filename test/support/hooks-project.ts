// A generated project on disk whose one hook file a test rewrites and type-checks again and again:
// the spec is compiled and emitted once, the other hooks are fixed, and every source file but the
// varying hook file is parsed once for all the programs.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { emitTypeScript } from '../../generator/emit/typescript/index.js';
import { defaultLayout } from '../../generator/naming/index.js';
import { compileSpec } from '../../generator/pipeline.js';
import type { MeshModel } from '../../generator/model/types.js';
import { repoRoot } from './project.js';

/** The project: the generated files by output path, and the type-check of one hook file's text. */
export interface HooksProject {
  /** Generated files by their path under `generated/`, e.g. `orders/host.ts`. */
  readonly generated: ReadonlyMap<string, string>;
  /** The compiled spec, e.g. for the hook file the planner would create. */
  readonly model: MeshModel;
  /** The project's folder (its `spec/`, `generated/` and `hooks/`). */
  readonly root: string;
  /**
   * Diagnostics of the project's own files (the runtime is the repository type-check's business) with
   * `text` as the hook file `hookFile`, as `path:line:col message` relative to the project.
   */
  check(hookFile: string, text: string): string[];
  remove(): void;
}

/**
 * Writes `spec` and `fixedHooks` under .tmp/, compiles the spec (failing on any diagnostic) and emits
 * its TypeScript next to them, type-checked with the repository's tsconfig.
 *
 * @param prefix The temporary folder's name prefix, e.g. `fallbacks-`.
 * @param spec Spec files by path relative to the project (`spec/mesh.yaml`, ...).
 * @param fixedHooks Hook files that do not vary, by path relative to the project.
 * @example
 * const project = await createHooksProject('fallbacks-', SPEC, { 'hooks/stock.ts': STOCK_HOOKS });
 * expect(project.check('hooks/orders.ts', ORDERS_HOOKS)).toEqual([]);
 */
export async function createHooksProject(
  prefix: string,
  spec: Readonly<Record<string, string>>,
  fixedHooks: Readonly<Record<string, string>>,
): Promise<HooksProject> {
  mkdirSync(path.join(repoRoot, '.tmp'), { recursive: true });
  const root = mkdtempSync(path.join(repoRoot, '.tmp', prefix));
  const write = (relative: string, content: string): string => {
    const file = path.join(root, relative);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, content);
    return file;
  };
  for (const [relative, content] of Object.entries(spec)) write(relative, content);
  const { model, diagnostics } = await compileSpec('spec', root);
  if (!model || diagnostics.length > 0) throw new Error(`the test spec does not compile:\n${JSON.stringify(diagnostics, null, 2)}`);
  const generated = new Map<string, string>();
  const files: string[] = [];
  for (const f of emitTypeScript(model, { layout: defaultLayout })) {
    generated.set(f.path, f.content);
    files.push(write(`generated/${f.path}`, f.content));
  }
  for (const [relative, content] of Object.entries(fixedHooks)) files.push(write(relative, content));

  const config = ts.readConfigFile(path.join(repoRoot, 'tsconfig.json'), ts.sys.readFile);
  const options = ts.parseJsonConfigFileContent(config.config, ts.sys, repoRoot).options;
  const parsed = new Map<string, ts.SourceFile>();

  return {
    generated,
    model,
    root,
    check(hookFile, text) {
      const varying = write(hookFile, text);
      const host = ts.createCompilerHost(options, true);
      const read = host.getSourceFile.bind(host);
      host.getSourceFile = (fileName, language, onError, shouldCreate) => {
        if (fileName === varying) return read(fileName, language, onError, shouldCreate);
        let file = parsed.get(fileName);
        if (!file) {
          file = read(fileName, language, onError, shouldCreate);
          if (file) parsed.set(fileName, file);
        }
        return file;
      };
      const program = ts.createProgram({ rootNames: [...files, varying], options, host });
      const own = program.getSourceFiles().filter((f) => f.fileName.startsWith(root + path.sep));
      const found = [...program.getGlobalDiagnostics(), ...own.flatMap((f) => [...program.getSyntacticDiagnostics(f), ...program.getSemanticDiagnostics(f)])];
      return found.map((d) => {
        const message = ts.flattenDiagnosticMessageText(d.messageText, '\n');
        if (!d.file || d.start === undefined) return message;
        const { line, character } = d.file.getLineAndCharacterOfPosition(d.start);
        return `${path.relative(root, d.file.fileName)}:${line + 1}:${character + 1} ${message}`;
      });
    },
    remove: () => rmSync(root, { recursive: true, force: true }),
  };
}
