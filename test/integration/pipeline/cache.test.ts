// meshspec's cache (node_modules/.cache/meshspec: hook verdicts and the up-to-date stamp) only saves
// time: with it, without it, warm or corrupt, `generate` writes the same bytes.
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generate } from '../../../generator/generate.js';
import { tempProject, type TempProject } from '../../support/project.js';

let cached: TempProject;
let plain: TempProject;
const run = (project: TempProject) => generate({ root: project.root, specDir: 'spec', outDir: 'generated', hooksDir: 'hooks', check: false });
const cacheDir = (project: TempProject) => project.file('node_modules/.cache/meshspec');
const cacheFiles = async (project: TempProject) => (await readdir(cacheDir(project))).sort();

/** The project's generated/ and hooks/ files with their contents. */
async function tree(project: TempProject): Promise<Map<string, string>> {
  return new Map([...(await project.snapshot('generated')), ...(await project.snapshot('hooks'))]);
}

beforeAll(async () => {
  cached = await tempProject('cache');
  await mkdir(cached.file('node_modules'));
  plain = await tempProject('no-cache');
});
afterAll(async () => {
  await cached.remove();
  await plain.remove();
});

describe('the cache', () => {
  it('is kept in node_modules/.cache/meshspec, and only when the project has node_modules', async () => {
    expect((await run(cached)).ok).toBe(true);
    expect((await run(plain)).ok).toBe(true);
    expect(await cacheFiles(cached)).toEqual([expect.stringMatching(/^hooks-[0-9a-f]{16}\.json$/), expect.stringMatching(/^stamp-[0-9a-f]{16}\.json$/)]);
    expect(await readdir(plain.root)).not.toContain('node_modules');
  });

  it('gives the same bytes as no cache, cold and warm, after a spec change', async () => {
    expect(await tree(cached)).toEqual(await tree(plain));
    const warm = await run(cached);
    expect(warm.ok && warm.hookChanges).toEqual([]);
    expect(await tree(cached)).toEqual(await tree(plain));

    for (const project of [cached, plain]) {
      const file = project.file('spec/services/users.yaml');
      await writeFile(file, (await readFile(file, 'utf8')).replace('  listUsers:', '  countUsers:\n    http: GET /users/count\n  listUsers:'));
      const result = await run(project);
      expect(result.ok && result.hookChanges).toContain('hooks/users.ts: added stub for endpoint `countUsers`');
    }
    expect(await tree(cached)).toEqual(await tree(plain));
  });

  it('ignores a corrupt cache file, and replaces it', async () => {
    await run(cached); // the verdict on hooks/users.ts, which the last run wrote
    const before = await tree(cached);
    const [hooksFile, stampFile] = (await cacheFiles(cached)).map((name) => path.join(cacheDir(cached), name));
    // Well-formed JSON from this very generator, with one verdict of the wrong shape; and half a stamp.
    const verdicts = JSON.parse(await readFile(hooksFile!, 'utf8')) as { hooks: Record<string, { warnings: unknown }> };
    verdicts.hooks['hooks/users.ts']!.warnings = 42;
    await writeFile(hooksFile!, JSON.stringify(verdicts));
    const stamp = await readFile(stampFile!, 'utf8');
    await writeFile(stampFile!, stamp.slice(0, stamp.length / 2));

    const result = await run(cached);
    expect(result.ok && [result.hookChanges, result.hookWarnings]).toEqual([[], []]);
    expect(await tree(cached)).toEqual(before);
    const rewritten = JSON.parse(await readFile(hooksFile!, 'utf8')) as typeof verdicts;
    expect(rewritten.hooks['hooks/users.ts']!.warnings).toEqual([]);
    expect(JSON.parse(await readFile(stampFile!, 'utf8'))).toMatchObject({ format: 1 });
  });
});
