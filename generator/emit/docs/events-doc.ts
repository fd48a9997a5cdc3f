// generated/docs/events.md: the event flow of the mesh, drawn (Mermaid) and tabled: each event's
// payload, version, publishers and subscribers (hook, consumer group, attempts), with the events
// nobody publishes or nobody receives shown as such.
import type { MeshModel } from '../../model/types.js';
import { eventFlows, orphanNote, subscriptionText, type EventFlow } from './event-flow.js';
import { eventsDiagram } from './events-diagram.js';
import { docLinks } from './links.js';
import { markdownInline } from './markdown.js';

const code = (text: string) => `\`${text}\``;

function row(flow: EventFlow): string {
  const { event } = flow;
  const payload = event.payloadScope === undefined ? code(event.payload) : `${code(event.payload)} (${code(event.payloadScope)})`;
  const note = orphanNote(flow);
  const name = note === '' ? code(event.name) : `${code(event.name)} (**${note}**)`;
  const publishers = flow.publishers.length === 0 ? '**none**' : flow.publishers.map(code).join(', ');
  const subscribers = flow.subscriptions.length === 0
    ? '**none**'
    : flow.subscriptions.map((s) => `${code(s.service)}: ${markdownInline(subscriptionText(s))}`).join('<br>');
  const description = event.description === undefined ? '' : markdownInline(event.description);
  return `| ${name} | ${payload} | ${event.version} | ${publishers} | ${subscribers} | ${description} |`;
}

/** What the picture's arrows, labels and borders mean, with the mesh's own numbers. */
function legend(model: MeshModel, flows: readonly EventFlow[]): string[] {
  const { maxAttempts } = model.runtime.bus;
  const lines = [
    'Each event is a flag: an arrow comes in from each service that publishes it, and one goes out to each',
    'service that subscribes, labelled with the hook that handles it. A subscribing service is one consumer',
    'group: its instances share the deliveries, and every subscribing service gets each event. A delivery',
    `whose hook fails is retried, up to ${maxAttempts} ${maxAttempts === 1 ? 'attempt' : 'attempts'} in all (\`runtime.bus.maxAttempts\`, or the number on the`,
    "arrow when the subscription sets its own), then the event goes to that group's dead letters",
    '(`meshspec events dlq list <group>`).',
  ];
  if (flows.some((f) => f.subscriptions.some((s) => s.kind !== 'hook'))) {
    lines.push(
      'Dotted arrows are the subscriptions the runtime takes for choreographed sagas, each group of its own:',
      "the owner's saga log (`<service>.sagaLog`) and the compensations a failure event triggers",
      '(`<service>.compensations`: a compensation that fails `MESH_SAGA_COMPENSATION_ATTEMPTS` times leaves the saga `stuck`).',
    );
  }
  if (flows.some((f) => orphanNote(f) !== '')) {
    lines.push('An event with a dashed border has no publisher (nothing sends it) or no subscriber (nothing receives it).');
  }
  return lines;
}

/**
 * The content of `generated/docs/events.md`, or null when the mesh has no event.
 *
 * @param model - the mesh
 * @example eventsDoc(model)?.startsWith('# Events of the shop mesh') // true
 */
export function eventsDoc(model: MeshModel): string | null {
  const diagram = eventsDiagram(model);
  if (diagram === null) return null;
  const flows = eventFlows(model);
  return [
    `# Events of the ${markdownInline(model.name)} mesh`,
    '',
    ...docLinks(model, 'events'),
    ...legend(model, flows),
    '',
    '```mermaid',
    diagram.trimEnd(),
    '```',
    '',
    '| Event | Payload | Version | Publishers | Subscribers | Description |',
    '| --- | --- | --- | --- | --- | --- |',
    ...flows.map(row),
    '',
  ].join('\n');
}
