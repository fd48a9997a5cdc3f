// Same input, same bytes: twice from the same spec, and from the same spec with every map's keys
// and the spec files in another order.
import { readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isMap, parseDocument } from 'yaml';
import { generate } from '../../../generator/generate.js';
import { tempProject, type TempProject } from '../../support/project.js';

let a: TempProject;
let b: TempProject;

beforeAll(async () => {
  [a, b] = await Promise.all([tempProject('determinism-a'), tempProject('determinism-b')]);
});
afterAll(async () => {
  await Promise.all([a.remove(), b.remove()]);
});

const run = (project: TempProject) => generate({ root: project.root, specDir: 'spec', outDir: 'generated', hooksDir: 'hooks', check: false });

/** Reverses the key order of every map in a YAML document (lists keep their order: it can mean something). */
function reverseKeys(text: string): string {
  const doc = parseDocument(text);
  const visit = (node: unknown) => {
    if (!isMap(node)) return;
    node.items.reverse();
    for (const pair of node.items) visit(pair.value);
  };
  visit(doc.contents);
  return doc.toString();
}

describe('determinism', () => {
  it('gives identical bytes when run twice', async () => {
    await run(a);
    const first = await a.snapshot('generated');
    await Promise.all([...first.keys()].map((file) => writeFile(a.file(file), '')));
    await run(a);
    expect(await a.snapshot('generated')).toEqual(first);
  });

  it('gives identical output when keys and files are in another order', async () => {
    await run(a);
    for (const file of ['spec/mesh.yaml', ...(await readdir(b.file('spec/services'))).map((f) => `spec/services/${f}`)]) {
      await writeFile(b.file(file), reverseKeys(await readFile(b.file(file), 'utf8')));
    }
    // Rename service files so that they sort in reverse; a file's name is not part of its meaning.
    const services = (await readdir(b.file('spec/services'))).sort();
    for (const [i, file] of services.entries()) await rename(b.file(`spec/services/${file}`), b.file(`spec/services/${services.length - i}-${file}`));
    expect(await b.read('spec/services/4-inventory.yaml')).not.toEqual(await a.read('spec/services/inventory.yaml'));

    const result = await run(b);
    expect(result.ok).toBe(true);
    const withoutHeader = (files: Map<string, string>) => new Map([...files].map(([k, v]) => [k, v.slice(v.indexOf('\n') + 1)]));
    const expected = await a.snapshot('generated');
    const actual = await b.snapshot('generated');
    expect([...actual.keys()]).toEqual([...expected.keys()]);
    // Headers name the spec files, whose names differ here; everything below them is identical.
    expect(withoutHeader(actual)).toEqual(withoutHeader(expected));
  });
});
