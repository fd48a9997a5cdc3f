// Every Mermaid diagram meshspec writes, parsed by mermaid itself (headless, test/support/mermaid.ts):
// the README's, the example's generated/docs/, the bench mesh's, every snapshot's, and the docs of meshes whose
// names and descriptions try to break them. A diagram mermaid rejects would show as an error box
// where the reader expects the picture.
import path from 'node:path';
import { readFileSync, rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { choreographyDiagram } from '../../../generator/emit/docs/choreography-diagram.js';
import { eventsDiagram } from '../../../generator/emit/docs/events-diagram.js';
import { emitDocs } from '../../../generator/emit/docs/index.js';
import { sagaDiagram } from '../../../generator/emit/docs/saga-diagram.js';
import { topologyDiagram } from '../../../generator/emit/docs/topology-diagram.js';
import { meshSagas } from '../../../generator/emit/docs/sagas-doc.js';
import type { MeshModel } from '../../../generator/model/types.js';
import { defaultLayout } from '../../../generator/naming/index.js';
import { compiled, HOSTILE_NAMES, hostileModel, hostileSpecs } from '../../support/hostile-docs.js';
import { docsFiles, mermaidBlocks, parseMermaid } from '../../support/mermaid.js';
import { repoRoot } from '../../support/project.js';

/** The README's pictures and the committed docs of the example, the bench mesh and every snapshot, relative to the repository. */
const committed = [
  'README.md',
  ...docsFiles(path.join(repoRoot, 'generated')).map((f) => `generated/${f}`),
  ...docsFiles(path.join(repoRoot, 'bench/generated')).map((f) => `bench/generated/${f}`),
  ...docsFiles(path.join(repoRoot, 'test/snapshots')).map((f) => `test/snapshots/${f}`),
];

/** Specs written to scratch folders, removed after the tests. */
const specs = hostileSpecs();
afterAll(() => {
  for (const { dir } of specs) rmSync(path.dirname(dir), { recursive: true, force: true });
});

/** Parses every diagram of a set of docs and returns how many there were. */
async function parseAll(docs: readonly { path: string; content: string }[]): Promise<number> {
  let count = 0;
  for (const doc of docs) {
    for (const [i, block] of mermaidBlocks(doc.content).entries()) {
      await parseMermaid(block).catch((err: Error) => {
        throw new Error(`${doc.path}, diagram ${i + 1}:\n${block}\n\n${err.message}`);
      });
      count++;
    }
  }
  return count;
}

/** The number of diagrams a mesh's docs hold: topology, events when it has any, one per saga. */
function expectedDiagrams(model: MeshModel): number {
  return 1 + (model.events.length > 0 ? 1 : 0) + meshSagas(model).length;
}

describe('mermaid parses every diagram meshspec writes', () => {
  it('finds the committed docs (so an empty search cannot pass)', () => {
    expect(committed).toEqual(expect.arrayContaining(['README.md', 'generated/docs/topology.md', 'generated/docs/events.md', 'generated/docs/sagas.md', 'test/snapshots/groups/out/generated/docs/events.md']));
  });

  it.each(committed)('%s', async (file) => {
    const content = readFileSync(path.join(repoRoot, file), 'utf8');
    expect(await parseAll([{ path: file, content }])).toBeGreaterThan(0);
  });

  it.each(HOSTILE_NAMES.map((name) => [JSON.stringify(name).slice(0, 60), name] as const))('names no schema allows: %s', async (_, name) => {
    const model = hostileModel(name);
    const docs = emitDocs(model, { layout: defaultLayout });
    expect(docs.map((d) => d.path)).toEqual(['docs/events.md', 'docs/sagas.md', 'docs/topology.md']);
    expect(await parseAll(docs)).toBe(expectedDiagrams(model));
    // The diagram functions on their own, as the docs embed them.
    await parseMermaid(topologyDiagram(model));
    await parseMermaid(eventsDiagram(model) ?? '');
    for (const saga of meshSagas(model)) await parseMermaid(saga.kind === 'orchestrated' ? sagaDiagram(saga) : choreographyDiagram(saga));
  });

  it.each(specs.map(({ name, dir }) => [name, dir] as const))('a spec with %s and hostile descriptions', async (_, dir) => {
    const model = await compiled(dir);
    const docs = emitDocs(model, { layout: defaultLayout });
    expect(await parseAll(docs)).toBe(expectedDiagrams(model));
    expect(meshSagas(model).length).toBeGreaterThan(0);
  });
});

describe('the parse check can fail', () => {
  it('rejects a diagram with a syntax error, with mermaid\'s message', async () => {
    await expect(parseMermaid('flowchart LR\n  a["unclosed --> b')).rejects.toThrow(/Parse error on line \d+:\n.*a\["unclosed --> b/);
    await expect(parseMermaid('sequenceDiagram\n  participant p1 as a\n  p1->>p1: one; two')).rejects.toThrow(/Parse error/);
    await expect(parseMermaid('not a diagram')).rejects.toThrow(/No diagram type detected/);
  });

  it('rejects a label written without the escaper, so the escaper is what keeps the docs valid', async () => {
    const name = HOSTILE_NAMES[0]!;
    await expect(parseMermaid(`flowchart LR\n  svc1["${name}"] --> svc2`)).rejects.toThrow(/Parse error/);
    await expect(parseMermaid(topologyDiagram(hostileModel(name)))).resolves.toBe('flowchart-v2');
  });

  it('fails a document whose diagram is broken, naming the file and the diagram', async () => {
    const content = '# Doc\n\n```mermaid\nflowchart LR\n  a --> b\n```\n\n```mermaid\nflowchart LR\n  a[ --> b\n```\n';
    await expect(parseAll([{ path: 'docs/broken.md', content }])).rejects.toThrow(/docs\/broken\.md, diagram 2/);
  });
});
