// The choreography fixture (test/fixtures/choreography) as a project of its own: its spec, the code
// generated from it and its hand-written hooks, in a scratch folder, for tests that run it.
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { renderProject } from '../../generator/generate.js';
import { defaultLayout } from '../../generator/naming/index.js';
import { compileSpec } from '../../generator/pipeline.js';
import { repoRoot } from './project.js';

const FIXTURE = path.join(repoRoot, 'test/fixtures/choreography');

/**
 * Writes the fixture's spec, generated code and hooks under `root` (created if missing).
 *
 * @param root - the scratch project's folder (inside the repository, so its imports of `meshspec/runtime` resolve)
 * @param meshYamlTail - YAML appended to its spec/mesh.yaml (e.g. a `runtime:` block); default none
 * @throws when the spec does not compile
 * @example
 * await writeChoreographyProject(path.join(repoRoot, '.tmp', 'choreo'), 'runtime:\n  bus:\n    kind: redis\n');
 */
export async function writeChoreographyProject(root: string, meshYamlTail = ''): Promise<void> {
  cpSync(path.join(FIXTURE, 'spec'), path.join(root, 'spec'), { recursive: true });
  const mesh = path.join(root, 'spec/mesh.yaml');
  writeFileSync(mesh, readFileSync(mesh, 'utf8') + meshYamlTail);
  const compiled = await compileSpec(path.join(root, 'spec'), root);
  if (!compiled.model) throw new Error(`the choreography fixture does not compile: ${JSON.stringify(compiled.diagnostics)}`);
  const { desired } = renderProject(compiled.model, defaultLayout, { read: () => undefined, list: () => [] });
  for (const file of desired) {
    mkdirSync(path.dirname(path.join(root, file.path)), { recursive: true });
    writeFileSync(path.join(root, file.path), file.content);
  }
  cpSync(path.join(FIXTURE, 'hooks'), path.join(root, 'hooks'), { recursive: true });
}
