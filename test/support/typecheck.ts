// Type-checks TypeScript files with the repository's strict compiler options, through the compiler
// API (no child process), and returns the diagnostics as `file:line:col message` lines.
import path from 'node:path';
import ts from 'typescript';
import { repoRoot } from './project.js';

export function typecheck(files: string[]): string[] {
  const config = ts.readConfigFile(path.join(repoRoot, 'tsconfig.json'), ts.sys.readFile);
  const { options } = ts.parseJsonConfigFileContent(config.config, ts.sys, repoRoot);
  const program = ts.createProgram(files, { ...options, noEmit: true });
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
