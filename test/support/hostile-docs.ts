// Meshes whose names try to break the diagrams of generated/docs/: names no schema would let through
// (quotes, brackets, Mermaid comments and directives, `click`, HTML, unicode, line breaks, very long
// names) in a model built by hand, and real specs whose names are Mermaid's own keywords, at the
// schema's longest lengths, with descriptions that try to open a fence of their own.
import { cpSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ChoreographedSagaModel, MeshModel, OrchestratedSagaModel, SagaValue } from '../../generator/model/types.js';
import { compileSpec } from '../../generator/pipeline.js';
import { repoRoot } from './project.js';

/** Names and texts a diagram must show as text, never read as its own syntax. */
export const HOSTILE_NAMES: readonly string[] = [
  'a"]; click svc1 "https://evil.example" %%',
  '%%{init: {"theme": "dark"}}%%',
  '<img src=x onerror=alert(1)> </div>',
  'end',
  'subgraph x [y]\nend',
  'a --> b -.->|c| d ==> e',
  'x;y: z #quot; &amp; `code` ||pipes|| {braces} (parens) [[brackets]]',
  'participant p9 as Note over opt loop alt',
  '注文.作成 créé 🚀 \u2028 ∑',
  'classDef c fill:#f00; style svc1 fill:#f00; class svc1 c',
  `very${'Long'.repeat(150)}Name`,
];

const source = { file: 'mesh.yaml', line: 1, col: 1 };
const input: SagaValue = { kind: 'object', fields: [] };

/**
 * A mesh whose every name shown in a diagram is derived from `name`: two services calling each other
 * behind a gateway, in a deploy group, publishing events to each other (one with its own attempts,
 * one nobody receives), an orchestrated and a choreographed saga.
 *
 * @param name - the hostile text
 * @example topologyDiagram(hostileModel('a"]; click')) // still one valid flowchart
 */
export function hostileModel(name: string): MeshModel {
  const [a, b] = [name, `${name} (b)`];
  const event = `${name}.happened`;
  const orphan = `${name}.ignored`;
  const orchestrated: OrchestratedSagaModel = {
    kind: 'orchestrated', name, service: a, input: name, output: null, description: name, source,
    steps: [
      { name, call: { service: b, endpoint: name }, input, compensate: { service: b, endpoint: name, input }, timeoutMs: 1000, source },
      { name: `${name} 2`, call: { service: a, endpoint: name }, input, compensate: null, timeoutMs: null, source },
    ],
  };
  const choreographed: ChoreographedSagaModel = {
    kind: 'choreographed', name: `${name} choreographed`, service: a, description: name, source,
    choreography: {
      correlate: name, starts: event, completes: orphan,
      steps: [
        { name, service: b, hook: name, on: event, succeeds: `${name}.done`, fails: `${name}.broke`, compensate: name, source },
        { name: `${name} 2`, service: a, hook: name, on: `${name}.done`, succeeds: orphan, fails: `${name}.broke2`, compensate: null, source },
      ],
    },
  } as ChoreographedSagaModel;
  const service = (self: string, other: string, sagas: unknown[]) => ({
    name: self, file: `services/${self}.yaml`, description: name, endpoints: [], sagas,
    calls: [{ service: other, transport: 'http', policyName: name }],
    publishes: [event, orphan, `${name}.done`, `${name}.broke`],
    subscribes: [{ event, handler: name, maxAttempts: 3 }, { event: `${name}.done`, handler: `${name} 2` }],
  });
  const eventModel = (n: string, publishers: string[], subscribers: string[]) => ({
    name: n, description: name, payload: name, version: 2, publishers, subscribers: subscribers.map((s) => ({ service: s, handler: name })), source,
  });
  return {
    name, meshFile: 'mesh.yaml',
    runtime: { bus: { maxAttempts: 5 } },
    services: [service(a, b, [orchestrated, choreographed]), service(b, a, [])],
    groups: [{ name, services: [a, b] }],
    gateway: { port: 8080, routes: [{ prefix: `/${name}`, service: a }, { prefix: `/${name}/b`, service: b }] },
    events: [
      eventModel(event, [a, b], [a, b]),
      eventModel(orphan, [a, b], []),
      eventModel(`${name}.done`, [a, b], [a, b]),
      eventModel(`${name}.broke`, [a, b], []),
      eventModel(`${name}.unsent`, [], [a]),
    ],
  } as unknown as MeshModel;
}

/** Copies a spec folder to a scratch folder with each whole word of `renames` replaced. */
function renamedSpec(from: string, renames: Record<string, string>, describe: (yaml: string) => string): string {
  const dir = path.join(mkdtempSync(path.join(tmpdir(), 'meshspec-hostile-')), 'spec');
  cpSync(path.join(repoRoot, from), dir, { recursive: true });
  const words = new RegExp(`(?<![\\w])(${Object.keys(renames).map((w) => w.replace(/\./g, '\\.')).join('|')})(?![\\w])`, 'g');
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.yaml')) continue;
    const file = path.join(entry.parentPath, entry.name);
    writeFileSync(file, describe(readFileSync(file, 'utf8').replace(words, (w) => renames[w] ?? w)));
  }
  return dir;
}

/** A description that tries to end the document's diagram and start one of its own. */
const HOSTILE_DESCRIPTION = JSON.stringify('```\n```mermaid\nflowchart LR\n  a["broken\n```\n<script>alert(1)</script> %% click ; # | 注文 🚀');

/** Every description of a spec file, block style or inside a flow map, made hostile. */
function describedHostile(yaml: string): string {
  return yaml
    .replace(/^(\s*)description: .*$/gm, (_, indent: string) => `${indent}description: ${HOSTILE_DESCRIPTION}`)
    .replace(/([{,] )description: [^,}\n]*/g, (_, before: string) => `${before}description: ${HOSTILE_DESCRIPTION}`);
}

/**
 * Specs that compile, built from the repository's own: the choreography fixture with every service,
 * event, hook and step named after a Mermaid keyword; the orchestrated-saga fixture with the longest
 * names the schema allows; both with hostile descriptions.
 *
 * @example const [keywords, long] = hostileSpecs(); const { model } = await compileSpec(keywords, repoRoot);
 */
export function hostileSpecs(): { name: string; dir: string }[] {
  const keywords = renamedSpec(
    'test/fixtures/choreography/spec',
    {
      market: 'flowchart', orders: 'end', payments: 'participant', inventory: 'click',
      'order.created': 'end.end', 'order.confirmed': 'click.href', 'order.rejected': 'style.classdef',
      'payment.completed': 'subgraph.end', 'payment.failed': 'note.over', 'stock.reserved': 'opt.loop', 'stock.failed': 'alt.else',
      fulfilOrder: 'graph', chargeOrder: 'click', reserveStock: 'end', confirmOrder: 'subgraph', refundCharge: 'note', releaseStock: 'opt',
      charge: 'participant', reserve: 'loop', confirm: 'rect',
    },
    (yaml) => describedHostile(yaml).replace(/\{ payload: (\w+) \}/g, `{ description: ${HOSTILE_DESCRIPTION}, payload: $1 }`),
  );
  const long = renamedSpec(
    'test/fixtures/sagas/spec',
    {
      shop: 'm'.repeat(40), orders: `o${'r'.repeat(39)}`, users: `u${'s'.repeat(39)}`, inventory: `i${'n'.repeat(39)}`, payments: `p${'a'.repeat(39)}`,
      placeOrder: `place${'Order'.repeat(15)}`, validateUser: `validate${'User'.repeat(18)}`, reserveInventory: `reserve${'Stock'.repeat(14)}`,
      welcomeBuyer: `welcome${'Buyer'.repeat(14)}`,
    },
    describedHostile,
  );
  return [{ name: 'mermaid keywords', dir: keywords }, { name: 'longest names', dir: long }];
}

/**
 * Compiles a spec folder, or throws with its diagnostics.
 *
 * @param dir - the spec folder
 * @example const model = await compiled(hostileSpecs()[0].dir);
 */
export async function compiled(dir: string): Promise<MeshModel> {
  const { model, diagnostics } = await compileSpec(dir, repoRoot);
  if (!model) throw new Error(`${dir} does not compile:\n${diagnostics.map((d) => `${d.file}:${d.line}:${d.col}: ${d.message}`).join('\n')}`);
  return model;
}
