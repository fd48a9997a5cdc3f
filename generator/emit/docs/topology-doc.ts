// generated/docs/topology.md: the mesh drawn (Mermaid), and the same facts as a table a reader can
// search: who each service calls (transport, policy), what it publishes and who subscribes, and which
// gateway routes reach it. The Kubernetes NetworkPolicies allow exactly these calls and routes.
import { compare } from '../../model/order.js';
import type { MeshModel } from '../../model/types.js';
import { docLinks } from './links.js';
import { markdownInline } from './markdown.js';
import { topologyDiagram } from './topology-diagram.js';

const code = (text: string) => `\`${text}\``;
const list = (items: readonly string[]) => (items.length === 0 ? 'none' : items.join(', '));

/**
 * The content of `generated/docs/topology.md`.
 *
 * @param model - the mesh
 * @example topologyDoc(model).startsWith('# The shop mesh') // true
 */
export function topologyDoc(model: MeshModel): string {
  const services = [...model.services].sort((a, b) => compare(a.name, b.name));
  const rows = services.map((service) => {
    const routes = (model.gateway?.routes ?? []).filter((r) => r.service === service.name).map((r) => code(r.prefix));
    const calls = [...service.calls].sort((a, b) => compare(a.service, b.service)).map((c) => `${code(c.service)} (${c.transport}${c.policyName === null ? '' : `, ${markdownInline(c.policyName)}`})`);
    const subscribers = (event: string) => services.filter((s) => s.subscribes.some((x) => x.event === event)).map((s) => s.name);
    const publishes = service.publishes.map((event) => `${code(event)}${subscribers(event).length === 0 ? '' : ` → ${subscribers(event).map(code).join(', ')}`}`);
    return `| ${code(service.name)} | ${list(routes)} | ${list(calls)} | ${list(publishes)} |`;
  });
  return [
    `# The ${markdownInline(model.name)} mesh`,
    '',
    ...docLinks(model, 'topology'),
    'Solid arrows are calls (their transport and resilience policy), dotted arrows events (from the',
    'service that publishes them to each that subscribes), and the gateway\'s arrows its routes. The',
    'Kubernetes NetworkPolicies (`k8s/base/`) let through exactly the calls and routes drawn here.',
    '',
    '```mermaid',
    topologyDiagram(model),
    '```',
    '',
    '| Service | Gateway routes | Calls | Publishes (→ subscribers) |',
    '| --- | --- | --- | --- |',
    ...rows,
    '',
  ].join('\n');
}
