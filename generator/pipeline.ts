// The generator's pipeline: compile (load -> schema -> semantic checks -> model), then generate
// (emitters -> hook plan), leaving the writing to generator/writer.
import { createRequire } from 'node:module';
import { collect } from './spec/collect.js';
import { hasErrors, sortDiagnostics, type Diagnostic } from './spec/diagnostics.js';
import { loadSpec } from './spec/load.js';
import { checkSchema } from './spec/schema-check.js';
import { checkSemantics } from './spec/semantic/index.js';
import { buildModel } from './model/build.js';
import type { MeshModel } from './model/types.js';

const require = createRequire(import.meta.url);
export const generatorVersion: string = (require('../package.json') as { version: string }).version;

export interface CompileResult {
  /** Null when any error was found. */
  model: MeshModel | null;
  /** Every problem found, errors and warnings, sorted by file and position. */
  diagnostics: Diagnostic[];
}

export async function compileSpec(specDir: string, cwd: string = process.cwd()): Promise<CompileResult> {
  const loaded = await loadSpec(specDir, cwd);
  const diagnostics = [...loaded.diagnostics];
  for (const document of loaded.documents) diagnostics.push(...checkSchema(document));
  // Semantic checks read the documents as the schema describes them: only run them on valid ones.
  if (hasErrors(diagnostics)) return { model: null, diagnostics: sortDiagnostics(diagnostics) };

  const { index, diagnostics: collected } = collect(loaded.documents);
  diagnostics.push(...collected, ...checkSemantics(index));
  if (!index.mesh && !hasErrors(diagnostics)) {
    throw new Error('internal: no mesh document and no diagnostic');
  }
  if (hasErrors(diagnostics)) return { model: null, diagnostics: sortDiagnostics(diagnostics) };
  return { model: buildModel(index, generatorVersion), diagnostics: sortDiagnostics(diagnostics) };
}
