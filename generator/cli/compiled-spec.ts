// What commands that read the spec without generating (`db`, `sagas`) do first: compile it, print
// its diagnostics, and stop with one line when it has errors.
import { compileSpec, type CompileResult } from '../pipeline.js';
import { complain, plural, printDiagnostics } from './output.js';

/** The model of a spec that compiled. */
export type CompiledModel = NonNullable<CompileResult['model']>;

/**
 * Compiles the spec in `specDir`, printing every diagnostic; resolves with its model, or with null
 * after a line saying how many errors to fix (the command then exits 1).
 *
 * @param specDir - the spec folder
 * @example
 * const model = await compiledSpecOrComplain('spec');
 * if (!model) return 1;
 */
export async function compiledSpecOrComplain(specDir: string): Promise<CompiledModel | null> {
  const result = await compileSpec(specDir);
  const { errors } = printDiagnostics(result.diagnostics);
  if (errors > 0 || !result.model) {
    complain(`${plural(errors, 'error')} in the spec: fix them and run again`);
    return null;
  }
  return result.model;
}
