// A choreographed saga as a Mermaid sequence diagram: the events that pass from service to service,
// each step's hook reacting to one and publishing the next; for a step that may fail, its failure
// event and the compensations it triggers in the services whose steps already took effect.
// Participant ids are made here (`p1`, `p2`), never from spec text; the texts shown are names the
// schema restricts (services, events, steps, hooks), escaped anyway (mermaid.ts).
import type { ChoreographedSagaModel, ChoreographyStepModel } from '../../model/types.js';
import { mermaidText as text } from './mermaid.js';

/**
 * The saga's sequence diagram (Mermaid source, without the code fence): the owner publishes `starts`;
 * each step's service reacts to its `on` with its hook and publishes `succeeds`; a step that `fails`
 * is drawn in an `opt` block with the compensations its failure event triggers, latest first.
 *
 * @param saga - a choreographed saga
 * @example choreographyDiagram(fulfilOrder).split('\n')[0] // 'sequenceDiagram'
 */
export function choreographyDiagram(saga: ChoreographedSagaModel): string {
  const { steps, starts, completes } = saga.choreography;
  const services = [saga.service, ...steps.map((s) => s.service)].filter((s, i, all) => all.indexOf(s) === i);
  const id = (service: string) => `p${services.indexOf(service) + 1}`;
  const lines = ['sequenceDiagram', ...services.map((s) => `  participant ${id(s)} as ${text(s)}`)];
  lines.push(`  Note over ${id(saga.service)}: ${text(`${saga.name} starts: ${starts}`)}`);
  const publisherOf = (event: string): string => steps.find((s) => s.succeeds === event)?.service ?? saga.service;
  steps.forEach((step, i) => {
    lines.push(`  ${id(publisherOf(step.on))}->>${id(step.service)}: ${text(`${step.on} (${step.name}: ${step.hook})`)}`);
    if (step.fails !== null) lines.push(...failure(step, steps.slice(0, i), id));
  });
  const last = steps.at(-1);
  if (last) lines.push(`  ${id(last.service)}->>${id(saga.service)}: ${text(completes)}`);
  lines.push(`  Note over ${id(saga.service)}: ${text(`${saga.name}.completed`)}`);
  return `${lines.join('\n')}\n`;
}

/** What a step's failure event triggers: each earlier compensable step's hook, latest first, then `<saga>.failed`. */
function failure(step: ChoreographyStepModel, earlier: readonly ChoreographyStepModel[], id: (service: string) => string): string[] {
  const lines = [`  opt ${text(`${step.name} fails`)}`];
  for (const undo of [...earlier].reverse()) {
    if (undo.compensate === null) continue;
    lines.push(`    ${id(step.service)}-->>${id(undo.service)}: ${text(`${step.fails} (compensate ${undo.name}: ${undo.compensate})`)}`);
  }
  lines.push(`    Note over ${id(step.service)}: ${text(`${step.fails} fails the saga`)}`);
  lines.push('  end');
  return lines;
}
