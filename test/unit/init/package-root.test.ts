// init finds meshspec's package.json by walking up from its own module, in the source checkout and
// in an installed package (code under dist/generator/init/), past package.json files of others.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findMeshspecPackage } from '../../../generator/package.js';
import { repoRoot } from '../../support/project.js';

describe('findMeshspecPackage', () => {
  it('finds this repository from the source checkout', () => {
    const found = findMeshspecPackage();
    expect(found.root).toBe(repoRoot);
    expect(found.devDependencies['typescript']).toMatch(/^\^/);
  });

  it('finds an installed package from dist/generator/init/, past a package.json of another name', async () => {
    const project = await mkdtemp(path.join(tmpdir(), 'meshspec-root-'));
    try {
      const installed = path.join(project, 'node_modules/meshspec');
      await mkdir(path.join(installed, 'dist/generator/init'), { recursive: true });
      await writeFile(path.join(project, 'package.json'), '{ "name": "app", "version": "1.0.0" }');
      await writeFile(path.join(installed, 'package.json'), '{ "name": "meshspec", "version": "9.8.7", "devDependencies": { "vitest": "^4.0.0" } }');
      await writeFile(path.join(installed, 'dist/package.json'), '{ "type": "module" }');
      expect(findMeshspecPackage(path.join(installed, 'dist/generator/init'))).toEqual({
        root: installed,
        version: '9.8.7',
        devDependencies: { vitest: '^4.0.0' },
      });
      expect(() => findMeshspecPackage(project)).toThrow(/no package\.json of meshspec above/);
    } finally {
      await rm(project, { recursive: true, force: true });
    }
  });
});
