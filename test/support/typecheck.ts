// Type-checks TypeScript files through the compiler API (no child process), with the repository's
// strict compiler options or with those of a demanding consumer, and returns the diagnostics as
// `file:line:col message` lines.
import path from 'node:path';
import ts from 'typescript';
import { strictConsumerOptions } from '../../generator/init/project-files.js';
import { repoRoot } from './project.js';

export function typecheck(files: string[]): string[] {
  const config = ts.readConfigFile(path.join(repoRoot, 'tsconfig.json'), ts.sys.readFile);
  const { options } = ts.parseJsonConfigFileContent(config.config, ts.sys, repoRoot);
  return diagnosticsOf(ts.createProgram(files, { ...options, noEmit: true }));
}

/**
 * The compiler options of a project that consumes generated code and the runtime with every
 * strictness flag a careful team turns on: those of the project `meshspec init` makes.
 */
export const consumerOptions: ts.CompilerOptions = {
  ...ts.convertCompilerOptionsFromJson(strictConsumerOptions, repoRoot).options,
  noEmit: true,
};

export function typecheckAsConsumer(files: string[]): string[] {
  return diagnosticsOf(ts.createProgram(files, consumerOptions));
}

function diagnosticsOf(program: ts.Program): string[] {
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const message = ts.flattenDiagnosticMessageText(d.messageText, '\n');
    if (!d.file || d.start === undefined) return message;
    const { line, character } = d.file.getLineAndCharacterOfPosition(d.start);
    return `${path.relative(repoRoot, d.file.fileName)}:${line + 1}:${character + 1} ${message}`;
  });
}

/** Every .ts file below the given folders. */
export function tsFilesIn(...dirs: string[]): string[] {
  return dirs.flatMap((dir) => ts.sys.readDirectory(dir, ['.ts']));
}
