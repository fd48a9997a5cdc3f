// generated/docs/sagas.md: every saga of the mesh, one section each: what it does, its steps and
// their compensations as a table, and its flowchart (orchestrated) or the sequence of its events
// (choreographed), in Mermaid, which GitHub and most viewers draw.
import type { ChoreographedSagaModel, EndpointModel, MeshModel, OrchestratedSagaModel, SagaModel } from '../../model/types.js';
import { sagaEventNames } from '../../naming/index.js';
import { compare } from '../../model/order.js';
import { sagasOf } from '../../model/lookup.js';
import { docLinks } from './links.js';
import { markdownInline, markdownText } from './markdown.js';
import { choreographyDiagram } from './choreography-diagram.js';
import { sagaDiagram } from './saga-diagram.js';

/**
 * Every saga of the mesh, sorted by name (unique in the mesh).
 *
 * @param model - the mesh
 * @example meshSagas(model).map((s) => s.name) // ['placeOrder']
 */
export function meshSagas(model: MeshModel): SagaModel[] {
  return model.services.flatMap((s) => [...sagasOf(s)]).sort((a, b) => compare(a.name, b.name));
}

function stepsTable(saga: OrchestratedSagaModel): string {
  const rows = saga.steps.map((step, i) => {
    const undo = step.compensate ? `\`${step.compensate.service}.${step.compensate.endpoint}\`` : 'none';
    const timeout = step.timeoutMs === null ? "the call's policy" : `${step.timeoutMs} ms`;
    return `| ${i + 1} | ${markdownInline(step.name)} | \`${step.call.service}.${step.call.endpoint}\` | ${undo} | ${timeout} |`;
  });
  return ['| # | Step | Calls | Compensation | Timeout |', '| --- | --- | --- | --- | --- |', ...rows].join('\n');
}

/** The endpoints that start the saga or answer its status, and who listens to its events: one line each, or none. */
function wiring(model: MeshModel, saga: SagaModel): string[] {
  const endpoints = model.services.find((s) => s.name === saga.service)?.endpoints ?? [];
  const route = (e: EndpointModel) => `\`${e.http.method} ${e.http.path}\` (\`${e.name}\`)`;
  const waits = (e: EndpointModel) => {
    const wait = e.startsSaga?.waitMs ?? null;
    return wait === null ? 'answers 202 at once' : wait === 'deadline' ? "waits until the caller's deadline" : `waits up to ${wait} ms`;
  };
  const starts = endpoints.filter((e) => e.startsSaga?.saga === saga.name).map((e) => `- Started by ${route(e)}, which ${waits(e)}.`);
  const status = endpoints.filter((e) => e.sagaStatus === saga.name).map((e) => `- Status: ${route(e)}.`);
  const events: string[] = Object.values(sagaEventNames(saga.name));
  const listeners = model.services.flatMap((s) => s.subscribes.filter((x) => events.includes(x.event)).map((x) => `\`${s.name}.${x.handler}\` (\`${x.event}\`)`));
  const subscribed = listeners.length === 0 ? [] : [`- Subscribers: ${listeners.join(', ')}.`];
  const lines = [...starts, ...status, ...subscribed];
  return lines.length === 0 ? [] : [...lines, ''];
}

function choreographyTable(saga: ChoreographedSagaModel): string {
  const rows = saga.choreography.steps.map((step, i) => {
    const cell = (value: string | null) => (value === null ? 'none' : `\`${value}\``);
    return `| ${i + 1} | ${markdownInline(step.name)} | \`${step.service}.${step.hook}\` | \`${step.on}\` | \`${step.succeeds}\` | ${cell(step.fails)} | ${cell(step.compensate)} |`;
  });
  return ['| # | Step | Hook | On | Succeeds | Fails | Compensation |', '| --- | --- | --- | --- | --- | --- | --- |', ...rows].join('\n');
}

function choreographySection(model: MeshModel, saga: ChoreographedSagaModel): string {
  const { completed, failed } = sagaEventNames(saga.name);
  const { correlate, starts, completes } = saga.choreography;
  return [
    `## ${markdownInline(saga.name)}`,
    '',
    ...(saga.description === undefined ? [] : [markdownText(saga.description), '']),
    `Choreographed, owned by \`${saga.service}\` (its log); id: \`${correlate}\` of every event. Starts with \`${starts}\`, completes with \`${completes}\`. Events: \`${completed}\`, \`${failed}\`.`,
    '',
    ...wiring(model, saga),
    choreographyTable(saga),
    '',
    '```mermaid',
    choreographyDiagram(saga).trimEnd(),
    '```',
    '',
  ].join('\n');
}

function section(model: MeshModel, saga: SagaModel): string {
  if (saga.kind === 'choreographed') return choreographySection(model, saga);
  const output = saga.output === null ? 'no output' : `output \`${saga.output.type}\``;
  const { completed, failed } = sagaEventNames(saga.name);
  return [
    `## ${markdownInline(saga.name)}`,
    '',
    ...(saga.description === undefined ? [] : [markdownText(saga.description), '']),
    `Runs in \`${saga.service}\`; input \`${saga.input}\`, ${output}. Events: \`${completed}\`, \`${failed}\`.`,
    '',
    ...wiring(model, saga),
    stepsTable(saga),
    '',
    '```mermaid',
    sagaDiagram(saga).trimEnd(),
    '```',
    '',
  ].join('\n');
}

/**
 * The content of `generated/docs/sagas.md`, or null when the mesh has no saga.
 *
 * @param model - the mesh
 * @example sagasDoc(model)?.startsWith('# Sagas of the shop mesh') // true when shop has sagas
 */
export function sagasDoc(model: MeshModel): string | null {
  const sagas = meshSagas(model);
  if (sagas.length === 0) return null;
  const intro = [
    `# Sagas of the ${markdownInline(model.name)} mesh`,
    '',
    ...docLinks(model, 'sagas'),
    'An orchestrated saga runs its steps in order, each through the generated client of the endpoint it calls.',
    'A step that fails undoes the steps before it, in reverse, with their compensations; a step whose outcome',
    'stays unknown is undone too, first. A choreographed saga has no caller: each step is a service\'s event hook',
    'reacting to an event and publishing the next, and a step\'s failure event triggers the compensation hooks',
    'of the steps that took effect. A compensation that keeps failing leaves the saga `stuck`, for a person.',
    '',
  ].join('\n');
  return [intro, ...sagas.map((saga) => section(model, saga))].join('\n');
}
