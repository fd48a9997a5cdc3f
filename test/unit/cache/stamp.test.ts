// The up-to-date stamp holds only while every input and every output file is what the stamped run
// read and left: any edit, addition or removal on either side makes it miss.
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrationsRoot, readStamp, stampInputs, writeStamp, type StampSummary } from '../../../generator/cache/stamp.js';
import { migrationsRoot as namedMigrationsRoot } from '../../../generator/naming/index.js';

let root: string;
const layout = () => ({ root, specDir: 'spec', outDir: 'generated', hooksDir: 'hooks' });
const summary: StampSummary = {
  diagnostics: [{ severity: 'warning', code: 'w', message: 'kept', file: 'spec/mesh.yaml', line: 1, col: 1 }],
  hookWarnings: ['hooks/x.ts: kept'],
  fileCount: 2,
  lineCount: 3,
};
const outputs = [
  { path: 'generated/a.ts', content: '// a\n' },
  { path: 'generated/sub/b.yaml', content: '# b\nc: 1\n' },
];

async function put(file: string, text: string): Promise<void> {
  await mkdir(path.dirname(path.join(root, file)), { recursive: true });
  await writeFile(path.join(root, file), text);
}

beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'meshspec-stamp-'));
  await mkdir(path.join(root, 'node_modules'));
  await put('spec/mesh.yaml', 'mesh: m\n');
  await put('spec/services/s.yaml', 'service: s\n');
  await put('hooks/s.ts', 'export const handlers = {};\n');
  for (const f of outputs) await put(f.path, f.content);
  writeStamp(stampInputs(layout())!, outputs, summary);
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('the up-to-date stamp', () => {
  it('holds while nothing changed, and gives back what the run reported', () => {
    expect(readStamp(layout())).toEqual(summary);
  });

  it.each([
    ['an edited spec file', () => put('spec/services/s.yaml', 'service: s \n')],
    ['a new spec file', () => put('spec/services/t.yaml', 'service: t\n')],
    ['a removed spec file', () => rm(path.join(root, 'spec/services/s.yaml'))],
    ['an edited hook file', () => put('hooks/s.ts', 'export const handlers = { };\n')],
    ['a new file in the hooks folder', () => put('hooks/helpers.ts', '\n')],
    ['a new migration', () => put('hooks/migrations/s/0001_init.sql', '-- s\n')],
    ['an edited output file', () => put('generated/sub/b.yaml', '# b\nc: 2\n')],
    ['an extra file in the output folder', () => put('generated/notes.txt', 'mine\n')],
    ['a removed output file', () => rm(path.join(root, 'generated/a.ts'))],
  ])('misses after %s', async (_, change) => {
    await change();
    expect(readStamp(layout())).toBeUndefined();
  });

  it('reads the migrations folders where the generator writes them', () => {
    for (const hooksDir of ['hooks', 'src/hooks', '']) expect(migrationsRoot(hooksDir)).toBe(namedMigrationsRoot(hooksDir));
  });

  it('misses after a migrations folder is removed (its starter migration is due again)', async () => {
    await put('hooks/migrations/s/0001_init.sql', '-- s\n');
    writeStamp(stampInputs(layout())!, outputs, summary);
    expect(readStamp(layout())).toEqual(summary);
    await rm(path.join(root, 'hooks/migrations/s'), { recursive: true });
    expect(readStamp(layout())).toBeUndefined();
  });

  it('follows symbolic links, as the generator reads through them', async () => {
    await rm(path.join(root, 'spec/services'), { recursive: true });
    await put('shared/services/s.yaml', 'service: s\n');
    await symlink(path.join(root, 'shared/services'), path.join(root, 'spec/services'), 'dir');
    writeStamp(stampInputs(layout())!, outputs, summary);
    expect(readStamp(layout())).toEqual(summary);
    await put('shared/services/s.yaml', 'service: s2\n');
    expect(readStamp(layout())).toBeUndefined();
  });

  it('is per layout, and absent without node_modules', async () => {
    expect(readStamp({ ...layout(), outDir: 'generated/' })).toBeUndefined();
    await rm(path.join(root, 'node_modules'), { recursive: true });
    expect(stampInputs(layout())).toBeUndefined();
    expect(readStamp(layout())).toBeUndefined();
  });
});
