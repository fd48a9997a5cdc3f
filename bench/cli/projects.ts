// Throwaway projects for the CLI benchmark, in the system's temporary folder: a copy of the example
// (spec/ and hooks/) or a synthetic mesh. Each has an empty node_modules/, as an installed project
// has one, so that meshspec keeps its cache there (node_modules/.cache/meshspec/).
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { writeSyntheticSpec } from './synthetic-spec.js';

export const repoRoot = path.resolve(import.meta.dirname, '../..');

export interface BenchProject {
  root: string;
  /** Removes generated/ and meshspec's cache: the state of a fresh clone after `npm ci`. */
  makeCold(): Promise<void>;
  /** Edits the spec so that a run regenerates a few files and asks nothing new of the hooks (a service's description). */
  editSpec(): Promise<void>;
  remove(): Promise<void>;
}

async function project(name: string, fill: (root: string) => Promise<void>): Promise<BenchProject> {
  const root = await mkdtemp(path.join(tmpdir(), `meshspec-bench-${name}-`));
  await mkdir(path.join(root, 'node_modules'));
  await fill(root);
  return {
    root,
    makeCold: async () => {
      await rm(path.join(root, 'generated'), { recursive: true, force: true });
      await rm(path.join(root, 'node_modules', '.cache'), { recursive: true, force: true });
    },
    editSpec: async () => {
      const file = path.join(root, 'spec/services', (await readdir(path.join(root, 'spec/services'))).sort()[0]!);
      const text = await readFile(file, 'utf8');
      const edited = text.replace(/^description: (.*?)( \(edited\))?$/m, (_, words: string, edited?: string) => `description: ${words}${edited ? '' : ' (edited)'}`);
      if (edited === text) throw new Error(`${file} has no description to edit`);
      await writeFile(file, edited);
    },
    remove: () => rm(root, { recursive: true, force: true }),
  };
}

/** A copy of this repository's example: its spec and hooks. */
export function exampleProject(): Promise<BenchProject> {
  return project('example', async (root) => {
    for (const folder of ['spec', 'hooks']) await cp(path.join(repoRoot, folder), path.join(root, folder), { recursive: true });
  });
}

/** A synthetic mesh of `services` services (spec only: the first `generate` writes the hooks). */
export function syntheticProject(services: number): Promise<BenchProject> {
  return project(`synthetic${services}`, (root) => writeSyntheticSpec(root, services));
}
