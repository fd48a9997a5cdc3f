// Mermaid's own parser, headless in Node, for the tests that check every diagram meshspec writes.
// Parsing needs no layout and no browser: only DOMPurify, which mermaid cleans labels with, needs a
// window, and it binds to the global one when it is first imported. So a jsdom window goes on
// globalThis before mermaid is imported, once per test file (each file runs in its own worker).
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';

type Mermaid = (typeof import('mermaid'))['default'];

/** What the tests use of jsdom, whose types (with the DOM library) would leak into the whole program. */
interface JsdomModule {
  JSDOM: new (html: string) => { window: object };
}

let loaded: Promise<Mermaid> | undefined;

async function load(): Promise<Mermaid> {
  const specifier = 'jsdom';
  const { JSDOM } = (await import(specifier)) as JsdomModule;
  Object.assign(globalThis, { window: new JSDOM('').window });
  const mermaid = (await import('mermaid')).default;
  mermaid.initialize({ startOnLoad: false, securityLevel: 'strict' });
  return mermaid;
}

/**
 * Parses a diagram with mermaid, as a viewer would before drawing it; the first call loads the
 * parser, later ones reuse it.
 *
 * @param source - the diagram's Mermaid source (without the code fence)
 * @returns the diagram type mermaid detected (`flowchart-v2`, `sequence`)
 * @throws Error with mermaid's message (line and what it expected) when the source is not valid
 * @example
 * await expect(parseMermaid('flowchart LR\n  a --> b')).resolves.toBe('flowchart-v2');
 */
export async function parseMermaid(source: string): Promise<string> {
  loaded ??= load();
  const mermaid = await loaded;
  return (await mermaid.parse(source)).diagramType;
}

/**
 * The Mermaid diagrams of a Markdown text: the content of each ```` ```mermaid ```` fence, in order.
 *
 * @param markdown - the document
 * @example mermaidBlocks('# T\n\n```mermaid\nflowchart LR\n  a --> b\n```\n') // ['flowchart LR\n  a --> b']
 */
export function mermaidBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/^```mermaid\n([\s\S]*?)^```$/gm)].map((m) => (m[1] ?? '').trimEnd());
}

/**
 * Every Markdown file in a `docs/` folder below `dir` (any depth), relative to `dir`, sorted.
 *
 * @param dir - where to look, e.g. test/snapshots
 * @example docsFiles('test/snapshots') // ['gateway-security/out/generated/docs/topology.md', ...]
 */
export function docsFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.md') && path.basename(e.parentPath) === 'docs')
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)).split(path.sep).join('/'))
    .sort();
}
