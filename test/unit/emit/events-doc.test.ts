// generated/docs/events.md: each event from its publishers to its subscribers, with the orphans shown,
// on the example, the choreography fixture (the runtime's own subscriptions) and the minimal snapshot.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { eventFlows } from '../../../generator/emit/docs/event-flow.js';
import { eventsDiagram } from '../../../generator/emit/docs/events-diagram.js';
import { eventsDoc } from '../../../generator/emit/docs/events-doc.js';
import { emitDocs } from '../../../generator/emit/docs/index.js';
import type { MeshModel } from '../../../generator/model/types.js';
import { defaultLayout } from '../../../generator/naming/index.js';
import { compileSpec } from '../../../generator/pipeline.js';
import { repoRoot } from '../../support/project.js';

async function modelOf(spec: string): Promise<MeshModel> {
  const { model } = await compileSpec(path.join(repoRoot, spec), repoRoot);
  if (!model) throw new Error(`${spec} does not compile`);
  return model;
}

describe('the events diagram', () => {
  it('draws each event as a node, from each publisher to each subscribing hook', async () => {
    const lines = (eventsDiagram(await modelOf('spec')) ?? '').split('\n');
    expect(lines[0]).toBe('flowchart LR');
    // services sorted: inventory svc1, orders svc2, payments svc3, users svc4; events sorted: payment.completed is ev4
    expect(lines).toContain('  ev4>"payment.completed"]');
    expect(lines).toContain('  svc3 --> ev4');
    expect(lines).toContain('  ev4 -->|"confirmOrder"| svc2');
  });

  it('shows the events nobody receives, the sagas\' own among them, as such', async () => {
    const diagram = eventsDiagram(await modelOf('spec')) ?? '';
    expect(diagram).toContain('>"user.created (no subscriber)"]');
    expect(diagram).toContain('>"placeOrder.completed (no subscriber)"]');
    expect(diagram).toMatch(/\n {2}class (ev\d+,){3}ev\d+ orphan\n$/);
    const doc = eventsDoc(await modelOf('spec')) ?? '';
    expect(doc).toContain('| `user.created` (**no subscriber**) | `UserCreated` | 1 | `users` | **none** | A user signed up. |');
  });

  it('shows an event nobody publishes', async () => {
    const model = await modelOf('spec');
    const unsent = { ...model.events[0]!, name: 'order.audited', publishers: [], subscribers: [] };
    const diagram = eventsDiagram({ ...model, events: [...model.events, unsent] }) ?? '';
    expect(diagram).toContain('>"order.audited (no publisher, no subscriber)"]');
  });

  it('labels a subscription with the attempts the spec sets, and the runtime\'s saga subscriptions with their groups', async () => {
    const model = await modelOf('test/fixtures/choreography/spec');
    const flows = new Map(eventFlows(model).map((f) => [f.event.name, f.subscriptions]));
    expect(flows.get('payment.completed')).toEqual([{ service: 'inventory', handler: 'reserveStock', kind: 'hook', group: 'inventory', maxAttempts: 5 }]);
    expect(flows.get('order.created')).toEqual([
      { service: 'orders', handler: 'fulfilOrder', kind: 'sagaLog', group: 'orders.sagaLog', maxAttempts: null },
      { service: 'payments', handler: 'chargeOrder', kind: 'hook', group: 'payments', maxAttempts: null },
    ]);
    // reserve's failure undoes charge; confirm's failure undoes reserve and charge
    expect(flows.get('stock.failed')?.map((s) => `${s.group}:${s.handler}`)).toEqual(['payments.compensations:refundCharge']);
    expect(flows.get('order.rejected')?.map((s) => `${s.group}:${s.handler}`)).toEqual(['inventory.compensations:releaseStock', 'payments.compensations:refundCharge']);
    const diagram = eventsDiagram(model) ?? '';
    expect(diagram).toMatch(/ -->\|"reserveStock, 5 attempts"\| svc\d/);
    expect(diagram).toMatch(/ -\.->\|"saga log of fulfilOrder, group orders\.sagaLog"\| svc\d/);
    expect(diagram).toMatch(/ -\.->\|"refundCharge \(compensation\), group payments\.compensations"\| svc\d/);
    expect(diagram).toContain('>"payment.failed (no subscriber)"]');
  });
});

describe('generated/docs/: one set of documents', () => {
  it('writes events.md only for a mesh with events, and links each document to the others it has', async () => {
    const minimal = emitDocs(await modelOf('test/snapshots/minimal/spec'), { layout: defaultLayout });
    expect(minimal.map((f) => f.path)).toEqual(['docs/topology.md']);
    expect(minimal[0]?.content).not.toContain('Also drawn');

    const docs = new Map(emitDocs(await modelOf('spec'), { layout: defaultLayout }).map((f) => [f.path, f.content]));
    expect([...docs.keys()]).toEqual(['docs/events.md', 'docs/sagas.md', 'docs/topology.md']);
    expect(docs.get('docs/topology.md')).toContain('# The shop mesh\n\nAlso drawn: [the events](events.md), [the sagas](sagas.md).\n');
    expect(docs.get('docs/events.md')).toContain('# Events of the shop mesh\n\nAlso drawn: [the topology](topology.md), [the sagas](sagas.md).\n');
    expect(docs.get('docs/sagas.md')).toContain('# Sagas of the shop mesh\n\nAlso drawn: [the topology](topology.md), [the events](events.md).\n');
  });
});
