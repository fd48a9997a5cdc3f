// Pieces shared by handlers.ts and client.ts: an endpoint's TS types and its one-glance docs.
import type { EndpointModel, EventModel, MeshModel } from '../../model/types.js';

/** `User`, `User[]` or `void`: what the hook resolves with and the client returns. */
export function outputType(endpoint: EndpointModel): string {
  if (endpoint.output === null) return 'void';
  return endpoint.output.list ? `${endpoint.output.type}[]` : endpoint.output.type;
}

/** Doc lines: description, route with success status, declared errors, emitted events. */
export function endpointDoc(endpoint: EndpointModel): string[] {
  const { method, path, successStatus } = endpoint.http;
  const lines = endpoint.description ? [endpoint.description, ''] : [];
  lines.push(`\`${method} ${path}\` -> ${successStatus}.`);
  if (endpoint.errors.length > 0) {
    lines.push(`Errors: ${endpoint.errors.map((e) => `${e.name} (${e.status})`).join(', ')}.`);
  }
  if (endpoint.emits.length > 0) lines.push(`Emits: ${endpoint.emits.join(', ')}.`);
  return lines;
}

/** The event named `name`; the model guarantees it exists, so a miss is a generator bug. */
export function findEvent(model: MeshModel, name: string): EventModel {
  const event = model.events.find((e) => e.name === name);
  if (!event) throw new Error(`meshspec: event ${name} is not in the model`);
  return event;
}
