// Compiles a project's generated code and hooks to JavaScript: one TypeScript program over the .ts
// files of both folders, with the project's tsconfig.json options (what `npm run typecheck` holds
// them to) and the output laid out as the sources are, so relative imports between the two hold.
import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { strictConsumerOptions } from '../../init/project-files.js';
import { filesUnder } from './assets.js';
import type { TypeScriptApi } from './typescript-compiler.js';

/** What to compile and where to. All paths absolute. */
export interface CompileRequest {
  root: string;
  sourceFolders: readonly string[];
  outDir: string;
}

/** A type error, as the CLI prints it: `path:line:col: error TS2322: message` (path relative to the root). */
export type CompileResult = { ok: true; emitted: string[] } | { ok: false; errors: string[] };

const isSource = (file: string) => /\.(m|c)?ts$/.test(file) && !/\.d\.(m|c)?ts$/.test(file);

/**
 * Type-checks the TypeScript files of `sourceFolders` and, only when there is no error, empties
 * `outDir` (a file whose source is gone must not linger there, still importable) and emits them
 * (with source maps) into it. On an error `outDir` is left as it was.
 *
 * @param ts the compiler (loadTypeScript)
 * @param request the project root, the folders to compile and the output folder
 * @example compileProject(ts, { root, sourceFolders: [root + '/generated', root + '/hooks'], outDir: root + '/build' }) // { ok: true, emitted: ['build/generated/main.js', ...] }
 */
export function compileProject(ts: TypeScriptApi, request: CompileRequest): CompileResult {
  const rootNames = request.sourceFolders.flatMap((folder) =>
    filesUnder(request.root, path.relative(request.root, folder)).filter(isSource).map((f) => path.join(request.root, f)),
  );
  const program = ts.createProgram({ rootNames, options: buildOptions(ts, request) });
  const diagnostics = ts.getPreEmitDiagnostics(program).filter((d) => d.category === ts.DiagnosticCategory.Error);
  if (diagnostics.length > 0) return { ok: false, errors: diagnostics.map((d) => formatError(ts, request.root, d)) };
  rmSync(request.outDir, { recursive: true, force: true });
  const emitted: string[] = [];
  const result = program.emit(undefined, (file, text) => {
    ts.sys.writeFile(file, text);
    if (file.endsWith('.js')) emitted.push(path.relative(request.root, file));
  });
  const emitErrors = result.diagnostics.filter((d) => d.category === ts.DiagnosticCategory.Error);
  if (emitErrors.length > 0) return { ok: false, errors: emitErrors.map((d) => formatError(ts, request.root, d)) };
  return { ok: true, emitted: emitted.sort() };
}

/**
 * The project's compiler options (tsconfig.json, else init's strict defaults), made to emit: into
 * `outDir` mirroring the root, no declarations, no incremental state, and without `paths` entries for
 * meshspec (a repository may map them to sources; the compiled code must import the package).
 */
function buildOptions(ts: TypeScriptApi, request: CompileRequest): import('typescript').CompilerOptions {
  const tsconfig = path.join(request.root, 'tsconfig.json');
  let options: import('typescript').CompilerOptions;
  if (existsSync(tsconfig)) {
    const read = ts.readConfigFile(tsconfig, (file) => ts.sys.readFile(file));
    const parsed = ts.parseJsonConfigFileContent(read.config ?? {}, ts.sys, request.root, undefined, tsconfig);
    options = parsed.options;
  } else {
    options = ts.convertCompilerOptionsFromJson(strictConsumerOptions, request.root).options;
  }
  const paths = Object.fromEntries(Object.entries(options.paths ?? {}).filter(([pattern]) => !pattern.startsWith('meshspec')));
  const { paths: _dropped, tsBuildInfoFile: _noState, ...kept } = options;
  return {
    ...kept,
    ...(Object.keys(paths).length > 0 && { paths }),
    noEmit: false,
    noEmitOnError: true,
    rootDir: request.root,
    outDir: request.outDir,
    declaration: false,
    declarationMap: false,
    emitDeclarationOnly: false,
    composite: false,
    incremental: false,
    sourceMap: true,
    inlineSourceMap: false,
  };
}

/** One diagnostic as `path:line:col: error TS<code>: message`, the message's chain on indented lines. */
function formatError(ts: TypeScriptApi, root: string, diagnostic: import('typescript').Diagnostic): string {
  const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n  ');
  const code = `error TS${diagnostic.code}: ${message}`;
  if (diagnostic.file === undefined || diagnostic.start === undefined) return code;
  const { line, character } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start);
  return `${path.relative(root, diagnostic.file.fileName)}:${line + 1}:${character + 1}: ${code}`;
}
