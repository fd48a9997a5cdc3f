// The mesh's events as a Mermaid flowchart: each event a node of its own, with an arrow from each
// service that publishes it and one to each subscribing consumer group (labelled with its hook, the
// attempts the spec sets and the group when it is not the service's). The runtime's own subscriptions
// for choreographed sagas are dotted; an event nobody publishes or nobody receives has a dashed border
// and says so. Node ids are made here (`svc1`, `ev1`), never from spec text; labels go through mermaidLabel.
import { compare } from '../../model/order.js';
import type { MeshModel } from '../../model/types.js';
import { eventFlows, orphanNote, subscriptionText } from './event-flow.js';
import { mermaidLabel } from './mermaid.js';

/**
 * The event flow (Mermaid source, without the code fence), or null when the mesh has no event.
 *
 * @param model - the mesh
 * @example eventsDiagram(model)?.split('\n')[0] // 'flowchart LR'
 */
export function eventsDiagram(model: MeshModel): string | null {
  const flows = eventFlows(model);
  if (flows.length === 0) return null;
  const involved = new Set(flows.flatMap((f) => [...f.publishers, ...f.subscriptions.map((s) => s.service)]));
  const services = [...involved].sort(compare);
  const serviceId = new Map(services.map((name, i) => [name, `svc${i + 1}`]));
  const lines = ['flowchart LR', ...services.map((name) => `  ${serviceId.get(name)}[${mermaidLabel(name)}]`)];
  const orphans: string[] = [];
  flows.forEach((flow, i) => {
    const id = `ev${i + 1}`;
    const note = orphanNote(flow);
    if (note !== '') orphans.push(id);
    lines.push(`  ${id}>${mermaidLabel(note === '' ? flow.event.name : `${flow.event.name} (${note})`)}]`);
    for (const publisher of flow.publishers) lines.push(`  ${serviceId.get(publisher)} --> ${id}`);
    for (const subscription of flow.subscriptions) {
      const arrow = subscription.kind === 'hook' ? '-->' : '-.->';
      lines.push(`  ${id} ${arrow}|${mermaidLabel(subscriptionText(subscription))}| ${serviceId.get(subscription.service)}`);
    }
  });
  if (orphans.length > 0) lines.push('  classDef orphan stroke-dasharray: 5 5', `  class ${orphans.join(',')} orphan`);
  return `${lines.join('\n')}\n`;
}
