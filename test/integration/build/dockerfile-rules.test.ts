// The generated Dockerfile against the rules a linter such as hadolint would hold it to, and the ones
// the issue asks for (hadolint is not in Debian's packages, and no container engine runs here): a
// checklist over the parsed file, for the example and for the snapshot cases whose layout differs.
// The build itself is replayed in dockerfile-replay.test.ts.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { execForm, inContext, parseDockerfile, type Stage } from '../../support/dockerfile.js';
import { repoRoot } from '../../support/project.js';

const cases = [
  { name: 'the example', folder: 'generated', hooks: 'hooks', build: 'build' },
  { name: 'a mesh with groups', folder: 'test/snapshots/groups/out/generated', hooks: 'hooks', build: 'build' },
  { name: 'a layout with build/gen and src/hooks', folder: 'test/snapshots/layout/out/build/gen', hooks: 'src/hooks', build: 'meshspec-build' },
];

describe.each(cases)('the Dockerfile of $name', ({ folder, hooks, build }) => {
  const text = readFileSync(path.join(repoRoot, folder, 'Dockerfile'), 'utf8');
  const ignore = readFileSync(path.join(repoRoot, folder, 'Dockerfile.dockerignore'), 'utf8');
  const file = parseDockerfile(text);
  const generated = folder.replace(/^test\/snapshots\/\w+\/out\//, '');
  const [first, last] = [file.stages[0]!, file.stages.at(-1)!];
  const all = (stage: Stage, keyword: string) => stage.instructions.filter((i) => i.keyword === keyword);

  it('has a build stage and a runtime stage, both named, the runtime copying only from the build stage and package files', () => {
    expect(file.stages.map((s) => s.name)).toEqual(['build', 'runtime']);
    const copies = all(last, 'COPY');
    expect(copies.filter((c) => c.flags['from'] !== undefined).map((c) => c.flags['from'])).toEqual(['build']);
    expect(copies.filter((c) => c.flags['from'] === undefined).map((c) => c.args)).toEqual(['package.json package-lock.json ./']);
  });

  it('starts both stages from the official Node image pinned to a supported major and a Debian release, never latest', () => {
    for (const stage of file.stages) {
      const [, major, variant] = /^node:(\d+)-([a-z]+-slim)$/.exec(stage.from) ?? [];
      expect(Number(major), stage.from).toBeGreaterThanOrEqual(20);
      expect(variant).toBe('bookworm-slim');
    }
  });

  it('installs every dependency to build, production dependencies only to run, and runs meshspec build', () => {
    const runs = (stage: Stage) => all(stage, 'RUN').map((r) => r.args);
    expect(runs(first)).toContainEqual(expect.stringMatching(/^npm ci\b(?!.*--omit)/));
    expect(runs(first)).toContainEqual(expect.stringMatching(new RegExp(`^npx --no-install meshspec build --out ${build}\\b`)));
    expect(runs(last)).toContainEqual(expect.stringMatching(/^npm ci --omit=dev\b/));
    // The npm cache stays in a cache mount, out of the layers.
    for (const run of [...all(first, 'RUN'), ...all(last, 'RUN')].filter((r) => r.args.startsWith('npm '))) expect(run.flags['mount']).toMatch(/^type=cache,target=/);
  });

  it('runs as the non-root node user with NODE_ENV=production', () => {
    expect(all(last, 'ENV').map((e) => e.args)).toContain('NODE_ENV=production');
    const users = all(last, 'USER');
    expect(users.map((u) => u.args)).toEqual(['node']);
    // USER after every RUN, so nothing of the image is written as the runtime user would need root for.
    const index = (keyword: string) => last.instructions.findLastIndex((i) => i.keyword === keyword);
    expect(index('USER')).toBeGreaterThan(index('RUN'));
  });

  it('keeps to hadolint\'s rules: no ADD, absolute WORKDIR, apt without recommends and without its lists, exec-form ENTRYPOINT and CMD', () => {
    for (const stage of file.stages) {
      expect(all(stage, 'ADD')).toEqual([]);
      for (const dir of all(stage, 'WORKDIR')) expect(dir.args).toMatch(/^\//);
      for (const run of all(stage, 'RUN').filter((r) => r.args.includes('apt-get install'))) {
        expect(run.args).toMatch(/apt-get install -y --no-install-recommends /);
        expect(run.args).toMatch(/apt-get update && .* && rm -rf \/var\/lib\/apt\/lists\/\*$/);
      }
      for (const keyword of ['ENTRYPOINT', 'CMD']) expect(all(stage, keyword).length).toBeLessThanOrEqual(1);
    }
    expect(all(last, 'ENTRYPOINT').map(execForm)).not.toContain(null);
    expect(all(last, 'CMD').map(execForm)).toEqual([[]]);
  });

  it('enters through tini, which forwards signals to node running the built entry of every workload', () => {
    const entrypoint = execForm(all(last, 'ENTRYPOINT')[0]!);
    expect(entrypoint).toEqual(['/usr/bin/tini', '--', 'node', `${build}/${generated}/main.js`]);
    expect(all(last, 'RUN').some((r) => /apt-get install .*\btini\b/.test(r.args))).toBe(true);
    // The entry is inside what the runtime stage copies from the build stage.
    expect(all(last, 'COPY').find((c) => c.flags['from'] === 'build')?.args).toBe(`/app/${build}/ ./${build}/`);
  });

  it('sends the builder only what the Dockerfile copies: no node_modules, .git, local data, build output or secrets', () => {
    for (const kept of ['package.json', 'package-lock.json', 'tsconfig.json', `${generated}/main.ts`, `${generated}/Dockerfile`, `${hooks}/users.ts`, `${hooks}/migrations/users/0001_init.sql`]) {
      expect(inContext(ignore, kept), kept).toBe(true);
    }
    for (const left of ['node_modules/meshspec/package.json', `${hooks}/node_modules/x/index.js`, '.git/HEAD', '.meshspec/data/users/PG_VERSION', 'build/generated/main.js', 'meshspec-build/x.js', 'dist/index.js', '.env', `${hooks}/.env.local`, 'npm-debug.log', 'spec/mesh.yaml', 'test/a.test.ts', 'README.md']) {
      expect(inContext(ignore, left), left).toBe(false);
    }
    // Every context path the Dockerfile copies is in the context.
    for (const copy of all(first, 'COPY').filter((c) => c.flags['from'] === undefined)) {
      for (const source of copy.args.split(/\s+/).slice(0, -1)) expect(inContext(ignore, source.replace(/\/$/, '')), source).toBe(true);
    }
  });
});
