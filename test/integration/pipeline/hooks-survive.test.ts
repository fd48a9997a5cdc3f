// The user's code survives spec changes: edit a hook, add an endpoint, regenerate; the edit is
// intact, the new stub is there, and everything type-checks. Dropping an endpoint keeps the code and
// lets the type checker point at it.
import { readFile, writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generate } from '../../../generator/generate.js';
import { tempProject, type TempProject } from '../../support/project.js';
import { tsFilesIn, typecheck } from '../../support/typecheck.js';

let project: TempProject;
const run = () => generate({ root: project.root, specDir: 'spec', outDir: 'generated', hooksDir: 'hooks', check: false });
const edit = async (file: string, change: (text: string) => string) => {
  const text = await readFile(project.file(file), 'utf8');
  const changed = change(text);
  expect(changed).not.toBe(text);
  await writeFile(project.file(file), changed);
};

beforeAll(async () => {
  project = await tempProject('hooks-survive');
  expect((await run()).ok).toBe(true);
});
afterAll(async () => {
  await project.remove();
});

describe('hooks survive regeneration', () => {
  it('keeps a hand edit byte for byte, adds the new endpoint stub and type-checks', async () => {
    await edit('hooks/users.ts', (t) =>
      t.replace("if (!rows[0]) throw new NotFound(`no user ${input.id}`);", "// looked up by id (edited by hand)\n    if (!rows[0]) throw new NotFound(`user ${input.id} does not exist`);"));
    const edited = await project.read('hooks/users.ts');

    await edit('spec/services/users.yaml', (t) =>
      t.replace('\nerrors:', '  RenameUser:\n    fields:\n      id: { type: string, format: uuid, field: 1 }\n      name: { type: string, minLength: 1, field: 2 }\n\nerrors:')
        .replace('  deleteUser:', '  renameUser:\n    http: PATCH /users/{id}\n    input: RenameUser\n    output: User\n    errors: [NotFound]\n  deleteUser:'));
    const result = await run();
    expect(result.ok).toBe(true);
    expect(result.ok && result.hookChanges.join('\n')).toMatch(/hooks\/users\.ts.*renameUser/);

    const after = await project.read('hooks/users.ts');
    expect(after).toContain('// looked up by id (edited by hand)');
    expect(after).toMatch(/async renameUser\(_input, _ctx\) \{\s*throw new NotImplemented\('users\.renameUser'\);/);
    // Every character of the edited file is still there, in order: only text was inserted.
    expect(isSubsequence(edited, after)).toBe(true);
    expect(await project.read('generated/users/handlers.ts')).toContain('renameUser(input: RenameUser, ctx: UsersContext): Promise<User>;');

    expect(typecheck(tsFilesIn(project.file('generated'), project.file('hooks')))).toEqual([]);
  });

  it('keeps the code of an endpoint the spec dropped, warns, and the type checker points at it', async () => {
    await edit('spec/services/users.yaml', (t) => t.replace(/  listUsers:\n    http: GET \/users\n    output: User\[\]\n/, ''));
    const before = await project.read('hooks/users.ts');
    const result = await run();
    expect(result.ok && result.hookWarnings.join('\n')).toMatch(/hooks\/users\.ts.*listUsers/);
    expect(await project.read('hooks/users.ts')).toBe(before);
    const problems = typecheck(tsFilesIn(project.file('generated'), project.file('hooks')));
    expect(problems.some((p) => /hooks\/users\.ts.*listUsers/.test(p))).toBe(true);
  });
});

function isSubsequence(original: string, updated: string): boolean {
  let i = 0;
  for (const char of updated) if (char === original[i]) i++;
  return i === original.length;
}
