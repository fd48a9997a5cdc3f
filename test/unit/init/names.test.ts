// The names a new project takes from its folder: a valid npm name, and a mesh name the spec
// language accepts, whatever the folder is called.
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { meshNameFor, packageNameFor } from '../../../generator/init/names.js';
import { starterTemplate } from '../../../generator/init/starter.js';
import { compileSpec } from '../../../generator/pipeline.js';

describe('packageNameFor', () => {
  it.each([
    ['hello-world', 'hello-world'],
    ['Hello World', 'hello-world'],
    ['My_App.v2', 'my_app.v2'],
    ['.hidden', 'hidden'],
    ['café (new)', 'caf-new'],
    ['@@@', 'meshspec-project'],
    ['', 'meshspec-project'],
  ])('%j -> %j', (folder, name) => {
    expect(packageNameFor(folder)).toBe(name);
  });
});

describe('meshNameFor', () => {
  const folders = ['hello-world', 'Hello World', '2024-shop', '123', '', 'x'.repeat(60), 'greeter', 'gateway', 'types', 'Ünïcode'];

  it.each([
    ['hello-world', 'helloworld'],
    ['2024-shop', 'shop'],
    ['123', 'mesh'],
    ['x'.repeat(60), 'x'.repeat(40)],
  ])('%j -> %j', (folder, name) => {
    expect(meshNameFor(folder)).toBe(name);
  });

  it('gives a starter spec that compiles, whatever the folder is called', async () => {
    const root = await mkdtemp(path.join(tmpdir(), 'meshspec-names-'));
    try {
      for (const folder of folders) {
        const dir = path.join(root, String(folders.indexOf(folder)));
        for (const file of starterTemplate(meshNameFor(folder)).files.filter((f) => f.path.startsWith('spec/'))) {
          await mkdir(path.dirname(path.join(dir, file.path)), { recursive: true });
          await writeFile(path.join(dir, file.path), file.content);
        }
        const { model, diagnostics } = await compileSpec('spec', dir);
        expect(diagnostics, folder).toEqual([]);
        expect(model?.name).toBe(meshNameFor(folder));
      }
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
