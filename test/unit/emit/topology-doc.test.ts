// generated/docs/topology.md: the mesh drawn from the model, on the example and on the groups snapshot's spec.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { topologyDiagram } from '../../../generator/emit/docs/topology-diagram.js';
import { topologyDoc } from '../../../generator/emit/docs/topology-doc.js';
import type { MeshModel } from '../../../generator/model/types.js';
import { compileSpec } from '../../../generator/pipeline.js';
import { repoRoot } from '../../support/project.js';

async function modelOf(spec: string): Promise<MeshModel> {
  const compiled = await compileSpec(path.join(repoRoot, spec), repoRoot);
  if (!compiled.model) throw new Error(`${spec} does not compile`);
  return compiled.model;
}

describe('the topology diagram', () => {
  it('draws the gateway routes, each call with its transport and policy, and events from publishers to subscribers', async () => {
    const diagram = topologyDiagram(await modelOf('spec'));
    const lines = diagram.split('\n');
    expect(lines[0]).toBe('flowchart LR');
    // ids are sorted service names: inventory svc1, orders svc2, payments svc3, users svc4
    expect(lines).toContain('  gw -->|"/api/v1/orders"| svc2');
    expect(lines).toContain('  svc2 -->|"grpc, writes"| svc1');
    expect(lines).toContain('  svc2 -->|"http, reads"| svc4');
    expect(lines).toContain('  svc3 -.->|"payment.completed, payment.failed"| svc2');
    // An event nobody subscribes to draws no edge; a call the spec does not make, none either.
    expect(diagram).not.toContain('user.created');
    expect(lines.filter((l) => l.includes('svc1 -->'))).toEqual([]);
  });

  it('draws a deploy group as a subgraph around its services, and a table with the same facts', async () => {
    const model = await modelOf('test/snapshots/groups/spec');
    const diagram = topologyDiagram(model);
    const group = model.groups![0]!;
    expect(diagram).toContain(`subgraph group1 ["group ${group.name}"]`);
    for (const member of group.services) expect(diagram).toMatch(new RegExp(`\\n    svc\\d+\\["${member}"\\]`));
    const doc = topologyDoc(model);
    expect(doc).toContain('```mermaid\n' + diagram + '\n```');
    for (const service of model.services) expect(doc).toContain(`| \`${service.name}\` |`);
  });
});
