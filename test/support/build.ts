// Tests that see the package as built (the tarball, and type-checks that resolve `meshspec/runtime`
// by package self-reference, through package.json's exports) read dist/, which only `npm run build`
// writes: `npm test` builds first, a file run alone does not.
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from './project.js';

/**
 * Throws a message that says what to run when dist/ is missing or older than a source of the runtime,
 * the generator or what they share; returns quietly when the build is current.
 *
 * @param reader - what reads dist/, named in the message (default: `this test`).
 * @example
 * beforeAll(() => assertBuildIsCurrent('the strict-consumer type-check'));
 */
export function assertBuildIsCurrent(reader = 'this test'): void {
  const built = statSync(path.join(repoRoot, 'dist/generator/cli/main.js'), { throwIfNoEntry: false });
  if (!built) throw new Error(`dist/ is missing and ${reader} reads it: run \`npm run build\` first (npm test does)`);
  for (const dir of ['runtime', 'generator', 'common']) {
    for (const entry of readdirSync(path.join(repoRoot, dir), { recursive: true, withFileTypes: true })) {
      if (!entry.isFile()) continue;
      const file = path.join(entry.parentPath, entry.name);
      if (statSync(file).mtimeMs > built.mtimeMs) {
        throw new Error(`dist/ is older than ${path.relative(repoRoot, file)} and ${reader} reads it: run \`npm run build\` first (npm test does)`);
      }
    }
  }
}
