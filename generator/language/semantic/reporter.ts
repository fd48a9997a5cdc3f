// Collects the diagnostics of the semantic checks, located in their documents.
import type { Diagnostic, Severity } from '../diagnostics.js';
import { locate, type LocateOptions, type SpecDocument, type SpecPath } from '../load.js';

export class Reporter {
  readonly diagnostics: Diagnostic[] = [];

  error(doc: SpecDocument, path: SpecPath, code: string, message: string, options: LocateOptions = {}): void {
    this.add('error', doc, path, code, message, options);
  }

  warning(doc: SpecDocument, path: SpecPath, code: string, message: string, options: LocateOptions = {}): void {
    this.add('warning', doc, path, code, message, options);
  }

  /** `file:line:col` of a place, for messages that point at a second place. */
  where(doc: SpecDocument, path: SpecPath, key = true): string {
    const { line, col } = locate(doc, path, { key });
    return `${doc.file}:${line}:${col}`;
  }

  private add(severity: Severity, doc: SpecDocument, path: SpecPath, code: string, message: string, options: LocateOptions) {
    this.diagnostics.push({ severity, code, message, file: doc.file, ...locate(doc, path, options) });
  }
}
