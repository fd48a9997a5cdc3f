// `meshspec init` from the command line: its options, its usage errors (exit 2, nothing written),
// the current folder as the default, and a failed npm install (exit 1, files kept).
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { start } from '../../support/processes.js';
import { repoRoot } from '../../support/project.js';
import { emptyFolder } from '../../support/package.js';
import { filesBelow } from '../../support/project.js';
import { removeFolder, runInit } from './run-init.js';

let root: string;
beforeEach(async () => {
  root = await emptyFolder('init');
});
afterEach(() => removeFolder(root));

const STACK_FRAME = /\n\s+at .+:\d+:\d+\)?\n/;

describe('meshspec init usage', () => {
  it('explains itself with --help and -h', async () => {
    for (const flag of ['--help', '-h']) {
      const run = await runInit(flag);
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/^Usage: meshspec init \[DIR\] \[--example NAME\] \[--no-install\]/);
      expect(run.stdout).toContain('--example NAME  scaffold a full example instead of the starter (shop)');
    }
  });

  it('is listed in meshspec --help', async () => {
    const { main } = await import('../../../generator/cli/main.js');
    let out = '';
    const write = process.stdout.write;
    process.stdout.write = ((chunk: string) => ((out += chunk), true)) as typeof process.stdout.write;
    try {
      expect(await main(['--help'])).toBe(0);
    } finally {
      process.stdout.write = write;
    }
    expect(out).toMatch(/^ {2}init {7}start a project/m);
  });

  const mistakes: [string, (dir: string) => string[], RegExp][] = [
    ['an unknown example, naming the known ones', (dir) => [dir, '--example', 'bakery'], /unknown example `bakery`: the examples are `shop`/],
    ['an unknown option, with the usage', (dir) => [dir, '--force'], /Unknown option '--force'[\s\S]*Usage: meshspec init/],
    ['two folders', (dir) => [dir, `${dir}-2`], /init takes one folder, not 2/],
    ['--example without a name', () => ['--example'], /Option '--example <value>' argument missing/],
  ];
  for (const [what, args, message] of mistakes) {
    it(`answers ${what} with exit 2 and writes nothing`, async () => {
      const dir = path.join(root, 'project');
      const run = await runInit(...args(dir));
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(message);
      expect(run.stderr).not.toMatch(STACK_FRAME);
      expect(existsSync(dir)).toBe(false);
    });
  }

  it('answers a DIR that is a file with exit 2', async () => {
    const file = path.join(root, 'notes.txt');
    await writeFile(file, 'hello\n');
    const run = await runInit(file, '--no-install');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`${file} is a file: init needs a folder`);
    expect([...(await filesBelow(root)).keys()]).toEqual(['notes.txt']);
  });
});

describe('meshspec init where it cannot write', () => {
  it('says so, exits 1 and leaves nothing behind', async () => {
    await writeFile(path.join(root, 'notes.txt'), 'hello\n');
    const run = await runInit(path.join(root, 'notes.txt', 'app'), '--no-install'); // a folder inside a file
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^meshspec: cannot write in .*notes\.txt\/app: .*ENOTDIR.*; nothing was written\n$/);
    expect(run.stderr).not.toMatch(STACK_FRAME);
    expect([...(await filesBelow(root)).keys()]).toEqual(['notes.txt']);
  });
});

describe('meshspec init as a command', () => {
  it('scaffolds the current folder by default, and the next steps need no cd', async () => {
    const child = start([path.join(repoRoot, 'bin/meshspec.js'), 'init', '--no-install'], {}, root);
    expect(await child.exited).toBe(0);
    expect(child.output()).toContain('a starter mesh in .\n');
    expect(child.output()).not.toMatch(/^ {2}cd /m);
    expect(existsSync(path.join(root, 'spec/services/greeter.yaml'))).toBe(true);
    expect(existsSync(path.join(root, 'generated/stack.ts'))).toBe(true);
  }, 60_000);

  it('says what it runs, and when npm install fails, says so, exits 1 and keeps the files', async () => {
    // A meshspec tarball that is not there: npm fails at once, and offline it could not reach the network anyway.
    await mkdir(path.join(root, 'app'));
    await writeFile(path.join(root, 'app/package.json'), '{ "name": "app", "dependencies": { "meshspec": "file:./no-such-meshspec.tgz" } }\n');
    const child = start([path.join(repoRoot, 'bin/meshspec.js'), 'init', 'app'], { npm_config_offline: 'true' }, root);
    expect(await child.exited).toBe(1);
    expect(child.output()).toContain('running  npm install (in app)\n');
    expect(child.output()).toMatch(/meshspec: npm install failed \(exit code \d+\); the project's files are written: fix the problem above and run `npm install` in app\n/);
    expect(child.output()).not.toContain('Next:');
    const files = await filesBelow(path.join(root, 'app'));
    expect(files.has('package.json')).toBe(true);
    expect(files.has('generated/stack.ts')).toBe(true);
  }, 120_000);
});
