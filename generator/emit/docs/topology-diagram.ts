// The mesh as a Mermaid flowchart: clients to the gateway, the gateway to the services its routes
// name, each call between services (solid, labelled with its transport and policy), each event from
// its publishers to its subscribers (dotted), and the services of a deploy group drawn inside it.
// Node ids are made here (`svc1`, `gw`), never from spec text; labels go through mermaidLabel.
import { groupsOf } from '../../model/lookup.js';
import { compare } from '../../model/order.js';
import type { MeshModel } from '../../model/types.js';
import { mermaidLabel } from './mermaid.js';

/**
 * The mesh's topology (Mermaid source, without the code fence): services, gateway routes, calls with
 * their transport and policy, events from publishers to subscribers, deploy groups as subgraphs.
 *
 * @param model - the mesh
 * @example topologyDiagram(model).split('\n')[0] // 'flowchart LR'
 */
export function topologyDiagram(model: MeshModel): string {
  const services = [...model.services].sort((a, b) => compare(a.name, b.name));
  const id = new Map(services.map((s, i) => [s.name, `svc${i + 1}`]));
  const node = (name: string) => `${id.get(name)}[${mermaidLabel(name)}]`;
  const lines = ['flowchart LR'];

  const grouped = new Set<string>();
  groupsOf(model).forEach((group, i) => {
    lines.push(`  subgraph group${i + 1} [${mermaidLabel(`group ${group.name}`)}]`);
    for (const member of group.services) {
      lines.push(`    ${node(member)}`);
      grouped.add(member);
    }
    lines.push('  end');
  });
  for (const service of services) if (!grouped.has(service.name)) lines.push(`  ${node(service.name)}`);

  const gateway = model.gateway;
  if (gateway) {
    lines.push(`  clients([${mermaidLabel('clients')}]) --> gw{{${mermaidLabel(`gateway :${gateway.port}`)}}}`);
    const routes = new Map<string, string[]>();
    for (const route of gateway.routes) routes.set(route.service, [...(routes.get(route.service) ?? []), route.prefix]);
    for (const [service, prefixes] of [...routes].sort(([a], [b]) => compare(a, b))) {
      if (id.has(service)) lines.push(`  gw -->|${mermaidLabel(prefixes.sort(compare).join(', '))}| ${id.get(service)}`);
    }
  }

  for (const caller of services) {
    for (const call of [...caller.calls].sort((a, b) => compare(a.service, b.service))) {
      if (!id.has(call.service)) continue;
      const label = call.policyName === null ? call.transport : `${call.transport}, ${call.policyName}`;
      lines.push(`  ${id.get(caller.name)} -->|${mermaidLabel(label)}| ${id.get(call.service)}`);
    }
  }

  // One dotted edge per (publisher, subscriber), labelled with the events between them.
  const events = new Map<string, string[]>();
  for (const publisher of services) {
    for (const event of publisher.publishes) {
      for (const subscriber of services) {
        if (!subscriber.subscribes.some((s) => s.event === event)) continue;
        const key = `${publisher.name}\u0000${subscriber.name}`;
        events.set(key, [...(events.get(key) ?? []), event]);
      }
    }
  }
  for (const [key, names] of [...events].sort(([a], [b]) => compare(a, b))) {
    const [publisher, subscriber] = key.split('\u0000') as [string, string];
    lines.push(`  ${id.get(publisher)} -.->|${mermaidLabel([...new Set(names)].sort(compare).join(', '))}| ${id.get(subscriber)}`);
  }
  return lines.join('\n');
}
