// The generator's pipeline: compile (load -> schema -> semantic checks -> model), then generate
// (emitters -> hook plan), leaving the writing to generator/writer.
import { declareSagas } from './language/saga-declarations.js';
import { collect } from './language/collect.js';
import { hasErrors, sortDiagnostics, type Diagnostic } from './language/diagnostics.js';
import { loadSpec, type SpecDocument } from './language/load.js';
import { checkSchema } from './language/schema-check.js';
import { checkSemantics } from './language/semantic/index.js';
import { buildModel } from './model/build.js';
import { checkExamples } from './model/examples.js';
import type { MeshModel } from './model/types.js';
import { findMeshspecPackage } from './package.js';

export const generatorVersion: string = findMeshspecPackage().version;

export interface CompileResult {
  /** Null when any error was found. */
  model: MeshModel | null;
  /** Every problem found, errors and warnings, sorted by file and position. */
  diagnostics: Diagnostic[];
}

export async function compileSpec(specDir: string, cwd: string = process.cwd()): Promise<CompileResult> {
  const loaded = await loadSpec(specDir, cwd);
  const diagnostics = [...loaded.diagnostics];
  const failed: SpecDocument[] = [];
  for (const document of loaded.documents) {
    const { diagnostics: problems, intended } = checkSchema(document);
    diagnostics.push(...problems);
    // Names in a failed document are read as meant when a mis-indented line explains its problems.
    if (problems.length > 0) failed.push(intended === undefined ? document : { ...document, data: intended });
  }
  // Semantic checks read documents as the schema describes them, so they skip the ones that failed
  // it. They need every document parsed and the mesh file present; otherwise they would mostly
  // report the consequences of those errors.
  const meshPresent = loaded.documents.some((d) => d.kind === 'mesh');
  if (loaded.diagnostics.length > 0 || !meshPresent) return { model: null, diagnostics: sortDiagnostics(diagnostics) };

  const valid = loaded.documents.filter((d) => !failed.some((f) => f.file === d.file));
  const { index, diagnostics: collected } = collect(valid, failed);
  // Sagas' synthesized types and events join the index before anything is checked against it.
  diagnostics.push(...collected, ...declareSagas(index), ...checkSemantics(index));
  if (hasErrors(diagnostics)) return { model: null, diagnostics: sortDiagnostics(diagnostics) };
  const model = buildModel(index, generatorVersion);
  // Examples are judged by the fields' JSON Schemas, which need a sound model.
  diagnostics.push(...checkExamples(model, index));
  return { model: hasErrors(diagnostics) ? null : model, diagnostics: sortDiagnostics(diagnostics) };
}
