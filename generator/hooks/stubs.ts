// The text of one stub member: a comment saying what the spec declares, then a method that throws
// NotImplemented. Used both for new hook files and for members added to existing ones.
import type { EndpointModel, MeshModel, SubscriptionModel } from '../model/types.js';
import { operation } from './names.js';

/** Where a stub goes: the indentation of the object's members, one level, the line ending. */
export interface StubLayout {
  indent: string;
  unit: string;
  eol: string;
  quote: string;
}

/** `GET /users/{id}: GetUserInput -> User; errors: NotFound` */
export function describeEndpoint(endpoint: EndpointModel): string {
  const output = endpoint.output ? `${endpoint.output.type}${endpoint.output.list ? '[]' : ''}` : 'no content';
  const errors = endpoint.errors.length ? `; errors: ${endpoint.errors.map((e) => e.name).join(', ')}` : '';
  return `${endpoint.http.method} ${endpoint.http.path}: ${endpoint.input} -> ${output}${errors}`;
}

/** `on user.deleted: UserDeleted` */
export function describeSubscription(model: MeshModel, sub: SubscriptionModel): string {
  const payload = model.events.find((e) => e.name === sub.event)?.payload;
  return payload ? `on ${sub.event}: ${payload}` : `on ${sub.event}`;
}

function method(service: string, name: string, params: string, comment: string, layout: StubLayout): string {
  const { indent, unit, eol, quote } = layout;
  return [
    `${indent}// ${comment}`,
    `${indent}async ${name}(${params}) {`,
    `${indent}${unit}throw new NotImplemented(${quote}${operation(service, name)}${quote});`,
    `${indent}},`,
  ]
    .map((line) => line + eol)
    .join('');
}

// A stub reads none of its parameters: the leading underscore keeps `noUnusedParameters` quiet
// until the body is written (and the parameters renamed).
export function endpointStub(service: string, endpoint: EndpointModel, layout: StubLayout): string {
  return method(service, endpoint.name, '_input, _ctx', describeEndpoint(endpoint), layout);
}

export function subscriptionStub(model: MeshModel, service: string, sub: SubscriptionModel, layout: StubLayout): string {
  return method(service, sub.handler, '_payload, _ctx', describeSubscription(model, sub), layout);
}

/** Stubs one after another, a blank line between members (and before the first when `afterMember`). */
export function joinStubs(stubs: string[], eol: string, afterMember: boolean): string {
  return stubs.map((stub, i) => (i > 0 || afterMember ? eol : '') + stub).join('');
}
