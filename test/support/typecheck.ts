// Type-checks TypeScript files through the compiler API (no child process), with the repository's
// strict compiler options or with those of a demanding consumer, and returns the diagnostics as
// `file:line:col message` lines.
import path from 'node:path';
import ts from 'typescript';
import { repoRoot } from './project.js';

export function typecheck(files: string[]): string[] {
  const config = ts.readConfigFile(path.join(repoRoot, 'tsconfig.json'), ts.sys.readFile);
  const { options } = ts.parseJsonConfigFileContent(config.config, ts.sys, repoRoot);
  return diagnosticsOf(ts.createProgram(files, { ...options, noEmit: true }));
}

/**
 * The compiler options of a project that consumes generated code and the runtime (as TypeScript
 * source, through `meshspec/runtime`) with every strictness flag a careful team turns on.
 */
export const consumerOptions: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  lib: ['lib.es2023.d.ts'],
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  strict: true,
  exactOptionalPropertyTypes: true,
  noUncheckedIndexedAccess: true,
  noUnusedLocals: true,
  noUnusedParameters: true,
  noImplicitOverride: true,
  noImplicitReturns: true,
  noFallthroughCasesInSwitch: true,
  noPropertyAccessFromIndexSignature: true,
  verbatimModuleSyntax: true,
  skipLibCheck: true,
  types: ['node'],
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
