// `meshspec diff` as CI runs it: the CLI in a child process, in a git repository made for the test
// (a committed spec, then an edit in the work tree), against HEAD and against a folder; the proto
// check by the real `buf`; the exit codes of a break, of a safe edit and of an earlier spec that
// cannot be read.
import { execFileSync } from 'node:child_process';
import { cp, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { baseSpec, baseUsers, edited, writeSpec } from '../../support/diff-spec.js';
import { runToEnd } from '../../support/processes.js';
import { repoRoot } from '../../support/project.js';

const folders: string[] = [];
let repo: string;

function git(args: string[], cwd = repo): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8' });
}

async function diff(cwd: string, args: string[], env: NodeJS.ProcessEnv = {}) {
  return runToEnd([path.join(repoRoot, 'bin/meshspec.js'), 'diff', ...args], env, cwd);
}

/** A repository whose HEAD holds the base spec (after a first commit without one), and `files` in its work tree. */
async function repoWith(files: Record<string, string>): Promise<string> {
  const root = await writeSpec({});
  folders.push(root);
  git(['init', '-q', '-b', 'main'], root);
  git(['config', 'user.email', 'test@example.com'], root);
  git(['config', 'user.name', 'test'], root);
  // A developer's global signing setting must not stop the test's commits.
  git(['config', 'commit.gpgsign', 'false'], root);
  await writeFile(path.join(root, 'README.md'), 'no spec yet\n');
  git(['add', '.'], root);
  git(['commit', '-q', '-m', 'before the spec'], root);
  const spec = await writeSpec(baseSpec);
  folders.push(spec);
  await cp(path.join(spec, 'spec'), path.join(root, 'spec'), { recursive: true });
  git(['add', '.'], root);
  git(['commit', '-q', '-m', 'the spec'], root);
  for (const [name, text] of Object.entries(files)) await writeFile(path.join(root, 'spec', name), text);
  return root;
}

/** The base spec with User.name renumbered (2 -> 5): breaking in the model, and for buf. */
const renumbered = edited([['services/users.yaml', '      name: { type: string, maxLength: 100, field: 2 }', '      name: { type: string, maxLength: 100, field: 5 }']]);

beforeAll(async () => {
  repo = await repoWith(renumbered);
});

afterAll(async () => {
  await Promise.all(folders.map((f) => rm(f, { recursive: true, force: true })));
});

describe('meshspec diff --against a git ref', () => {
  it('reports a renumbered field as breaking, positioned in the new spec with a hint, buf agreeing; exit 1; the work tree untouched', async () => {
    const { code, stdout, stderr } = await diff(repo, ['--against', 'HEAD']);
    expect(stderr).toBe('');
    expect(code).toBe(1);
    expect(stdout).toContain('spec/services/users.yaml:7:7: error field-number-changed: field `name` of `User`: number 2 -> 5');
    expect(stdout).toContain('  hint: keep `field: 2`');
    // buf breaking on the generated protos, its findings mapped to the same field.
    expect(stdout).toMatch(/^spec\/services\/users\.yaml:7:7: error proto-field-no-delete-unless-number-reserved: buf FIELD_NO_DELETE_UNLESS_NUMBER_RESERVED: .*"User"/m);
    expect(stdout).toMatch(/against HEAD: \d+ breaking changes, 0 warnings, 0 safe changes\n$/);
    expect(git(['status', '--porcelain'])).toBe(' M spec/services/users.yaml\n');
    expect(await readFile(path.join(repo, 'spec/services/users.yaml'), 'utf8')).toBe(renumbered['services/users.yaml']);
  });

  it('prints the findings as JSON with --json', async () => {
    const { code, stdout } = await diff(repo, ['--against', 'HEAD', '--json']);
    expect(code).toBe(1);
    const report = JSON.parse(stdout) as { breaking: number; protos: string; findings: { classification: string; code: string; file: string; line: number; col: number; hint?: string }[] };
    expect(report.protos).toBe('compared');
    expect(report.breaking).toBe(report.findings.length);
    expect(report.findings).toContainEqual(expect.objectContaining({ classification: 'breaking', code: 'field-number-changed', file: 'spec/services/users.yaml', line: 7, col: 7 }));
    expect(report.findings.filter((f) => f.code.startsWith('proto-')).length).toBeGreaterThan(0);
  });

  it('goes on without buf, saying so in one line', async () => {
    const { code, stdout, stderr } = await diff(repo, ['--against', 'HEAD'], { MESHSPEC_BUF: path.join(repo, 'no-buf-here') });
    expect(code).toBe(1);
    expect(stderr).toBe('meshspec: buf is not installed (npm install --save-dev @bufbuild/buf): the protos were not compared\n');
    expect(stdout).toContain('error field-number-changed');
    expect(stdout).not.toContain('proto-');
  });

  it('answers exit 2 for a ref that does not exist, and for one without the spec', async () => {
    const missing = await diff(repo, ['--against', 'no-such-branch']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--against no-such-branch: no such folder, nor a commit, branch or tag of this repository');
    const before = await diff(repo, ['--against', 'HEAD~1']);
    expect(before.code).toBe(2);
    expect(before.stderr).toContain('--against HEAD~1: HEAD~1 has no spec at spec/ (no mesh.yaml there)');
  });

  it('exits 0 on a safe edit, listing it', async () => {
    const safe = await repoWith(edited([['services/users.yaml', '      nickname: { type: string, optional: true, field: 3 }', '      nickname: { type: string, optional: true, field: 3 }\n      email: { type: string, optional: true, field: 5 }']]));
    const { code, stdout } = await diff(safe, ['--against', 'HEAD']);
    expect(code).toBe(0);
    expect(stdout).toBe('spec/services/users.yaml:16:7: note field-added: optional field `email` of `CreateUser` added (travels in inputs)\nagainst HEAD: 0 breaking changes, 0 warnings, 1 safe change\n');
  });
});

describe('meshspec diff --against a folder', () => {
  it('compares with a spec folder or a project folder holding one', async () => {
    const earlier = await writeSpec(baseSpec);
    folders.push(earlier);
    for (const against of [earlier, path.join(earlier, 'spec')]) {
      const { code, stdout } = await diff(repo, ['--against', against]);
      expect(code, against).toBe(1);
      expect(stdout).toContain('spec/services/users.yaml:7:7: error field-number-changed');
    }
  });

  it('exits 2 when the earlier spec does not compile, 1 with positioned errors when the current one does not', async () => {
    const broken = await writeSpec({ ...baseSpec, 'services/users.yaml': baseUsers.replace('output: User\n', 'output: Usr\n') });
    folders.push(broken);
    const earlier = await diff(repo, ['--against', broken]);
    expect(earlier.code).toBe(2);
    expect(earlier.stderr).toContain(`the earlier spec (${broken}) does not compile`);
    expect(earlier.stderr).toContain('unknown-type');

    const current = await writeSpec({ ...baseSpec, 'services/users.yaml': baseUsers.replace('output: User\n', 'output: Usr\n') });
    folders.push(current);
    const invalid = await diff(current, ['--against', repo]);
    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toMatch(/^spec\/services\/users\.yaml:\d+:\d+: error unknown-type: /m);
  });
});
