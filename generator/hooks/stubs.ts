// The text of one stub member: a comment saying what the spec declares, then a method that throws
// NotImplemented. Used both for new hook files and for members added to existing ones.
import type { CallModel, EndpointModel, FallbackModel, HealthCheckModel, MeshModel, ServiceModel, SubscriptionModel } from '../model/types.js';
import { formatDuration } from '../../common/units.js';
import type { ChoreographyPart } from '../model/lookup.js';
import type { UpgradeHook } from '../model/upgrades.js';
import { operation } from './names.js';

/** Where a stub goes: the indentation of the object's members, one level, the line ending. */
export interface StubLayout {
  indent: string;
  unit: string;
  eol: string;
  quote: string;
}

/**
 * A fallback of one of the service's calls, with the call it belongs to.
 *
 * @example
 * // { call: { service: 'users', ... }, fallback: { endpoint: 'getUser', handler: 'guestUser' } }
 */
export interface CallFallback {
  call: CallModel;
  fallback: FallbackModel;
}

/** `GetUserInput -> User`: what goes in and comes out of an endpoint. */
function signature(endpoint: EndpointModel): string {
  const output = endpoint.output ? `${endpoint.output.type}${endpoint.output.list ? '[]' : ''}` : 'no content';
  return `${endpoint.input} -> ${output}`;
}

/** `GET /users/{id}: GetUserInput -> User; errors: NotFound` */
export function describeEndpoint(endpoint: EndpointModel): string {
  const errors = endpoint.errors.length ? `; errors: ${endpoint.errors.map((e) => e.name).join(', ')}` : '';
  return `${endpoint.http.method} ${endpoint.http.path}: ${signature(endpoint)}${errors}`;
}

/**
 * Every fallback the service's calls name, call by call in the model's order (each call's sorted by
 * endpoint): the members of its `fallbacks` hook object.
 *
 * @param service - the calling service
 * @example
 * serviceFallbacks(orders).map((f) => f.fallback.handler); // ['guestUser']
 */
export function serviceFallbacks(service: ServiceModel): CallFallback[] {
  return service.calls.flatMap((call) => call.fallbacks.map((fallback) => ({ call, fallback })));
}

/**
 * `when users.getUser fails: GetUserInput -> User`, the types taken from the callee's endpoint (just
 * `when users.getUser fails` should the model not hold it).
 *
 * @param model - the mesh, where the callee's endpoint is looked up
 * @param ref - the fallback and its call
 * @example
 * describeFallback(model, { call: usersCall, fallback: { endpoint: 'getUser', handler: 'guestUser' } });
 */
export function describeFallback(model: MeshModel, { call, fallback }: CallFallback): string {
  const callee = model.services.find((s) => s.name === call.service);
  const endpoint = callee?.endpoints.find((e) => e.name === fallback.endpoint);
  const when = `when ${call.service}.${fallback.endpoint} fails`;
  return endpoint ? `${when}: ${signature(endpoint)}` : when;
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

/**
 * The stub of an upgrade hook: it gets an older version's payload and the event context, and must
 * return the current payload (the stub throws, so such events are retried, then dead-lettered, until
 * it is written: none is dropped).
 *
 * @param service - the subscriber, named in the NotImplemented error
 * @param upgrade - the event, the older version and the hook's name
 * @param layout - indentation, line ending and quote of the object it goes into
 * @example
 * upgradeStub('mailer', upgrade, { indent: '  ', unit: '  ', eol: '\n', quote: "'" });
 * // "  // order.created v1 (OrderCreated) -> v2 (OrderCreatedV2)\n  async orderCreatedFromV1(_event, _ctx) {\n ..."
 */
export function upgradeStub(service: string, upgrade: UpgradeHook, layout: StubLayout): string {
  const { event, from } = upgrade;
  const comment = `${event.name} v${from.version} (${from.payload}) -> v${event.version} (${event.payload})`;
  return method(service, upgrade.hook, '_event, _ctx', comment, layout);
}

/**
 * The stub of a compensation hook of a choreographed saga step: it gets the failure event that
 * triggered it and the event context.
 *
 * @param service - the participant, named in the NotImplemented error
 * @param part - the step and the events that trigger its compensation
 * @param layout - indentation, line ending and quote of the object it goes into
 * @example
 * compensationStub('payments', part, { indent: '  ', unit: '  ', eol: '\n', quote: "'" });
 * // "  // undoes fulfilOrder.charge on stock.failed\n  async refundCharge(_event, _ctx) {\n ..."
 */
export function compensationStub(service: string, part: ChoreographyPart & { step: { compensate: string } }, layout: StubLayout): string {
  const comment = `undoes ${part.saga.name}.${part.step.name} on ${part.compensateOn.join(' or ')}`;
  return method(service, part.step.compensate, '_event, _ctx', comment, layout);
}

/**
 * The stub of a call's fallback: it gets the call's input and why the call failed.
 *
 * @param model - the mesh, for the callee's endpoint types in the comment
 * @param service - the calling service, named in the NotImplemented error
 * @param ref - the fallback and its call
 * @param layout - indentation, line ending and quote of the object it goes into
 * @example
 * fallbackStub(model, 'orders', ref, { indent: '  ', unit: '  ', eol: '\n', quote: "'" });
 * // "  // when users.getUser fails: GetUserInput -> User\n  async guestUser(_input, _failure) {\n ..."
 */
export function fallbackStub(model: MeshModel, service: string, ref: CallFallback, layout: StubLayout): string {
  return method(service, ref.fallback.handler, '_input, _failure', describeFallback(model, ref), layout);
}

/**
 * The stub of a readiness check. Like every stub it throws NotImplemented, so until it is written the
 * check fails with that message on /ready (a critical one keeps the service not ready): a stub never
 * claims a health it has not checked.
 *
 * @param service - the service, named in the NotImplemented error
 * @param check - the check as the spec declares it
 * @param layout - indentation, line ending and quote of the object it goes into
 * @example
 * healthCheckStub('payments', { name: 'ledger', timeoutMs: 500, critical: true }, { indent: '  ', unit: '  ', eol: '\n', quote: "'" });
 * // "  // readiness check, critical, 500ms: resolve when healthy, throw why not\n  async ledger(_ctx) {\n ..."
 */
export function healthCheckStub(service: string, check: HealthCheckModel, layout: StubLayout): string {
  const comment = `readiness check, ${check.critical ? 'critical' : 'not critical'}, ${formatDuration(check.timeoutMs)}: resolve when healthy, throw why not`;
  return method(service, check.name, '_ctx', comment, layout);
}

/** Stubs one after another, a blank line between members (and before the first when `afterMember`). */
export function joinStubs(stubs: string[], eol: string, afterMember: boolean): string {
  return stubs.map((stub, i) => (i > 0 || afterMember ? eol : '') + stub).join('');
}
