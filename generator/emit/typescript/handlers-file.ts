// generated/<svc>/handlers.ts: the interfaces the user's hooks implement, and what they get in ctx.
import { endpointPolicy, fallbackFailures } from '../../model/policies.js';
import { compensationsOf, hookedEndpoints } from '../../model/lookup.js';
import { upgradesOf } from '../../model/upgrades.js';
import type { CallModel, EndpointModel, EventModel, MeshModel, ServiceModel } from '../../model/types.js';
import { WIDTH, importBlock, jsdoc, joinBlocks, methodSignature, propertyName } from './code.js';
import { hookFile, RUNTIME_MODULES, serviceNames, siblingModule } from '../../naming/index.js';
import type { EmitOptions } from '../types.js';
import { formatDuration } from '../../../common/units.js';
import { typeImports, type TypeRef } from './names.js';
import { endpointDoc, findEvent, outputType } from './signatures.js';

/** A call's fallback with the callee's endpoint it answers and the failures it answers. */
interface Fallback {
  call: CallModel;
  handler: string;
  endpoint: EndpointModel;
  on: readonly string[];
  /** Where `on` comes from, for the doc: the policy's `fallback.on`, else the default. */
  origin: string;
}

/** The service's fallbacks, by call then endpoint (the model's order). */
function fallbacksOf(model: MeshModel, service: ServiceModel): Fallback[] {
  return service.calls.flatMap((call) =>
    call.fallbacks.map((f) => {
      const endpoint = model.services.find((s) => s.name === call.service)?.endpoints.find((e) => e.name === f.endpoint);
      if (!endpoint) throw new Error(`internal: ${call.service}.${f.endpoint} passed the checks but is not in the model`);
      const { policyName, policy } = endpointPolicy(call, f.endpoint);
      const named = policyName === null ? 'the built-in policy' : `policy \`${policyName}\``;
      const origin = policy.fallback ? `\`fallback.on\` of ${named}` : `the default: ${named} has no \`fallback.on\``;
      return { call, handler: f.handler, endpoint, on: fallbackFailures(policy), origin };
    }),
  );
}

/** `export interface Name { … }`, or an empty record type when there are no members. */
function interfaceOrEmpty(doc: string | readonly string[], name: string, members: string[], separator = ''): string {
  if (members.length === 0) return `${jsdoc(doc)}export type ${name} = Record<never, never>;\n`;
  return `${jsdoc(doc)}export interface ${name} {\n${members.join(separator)}}\n`;
}

export function handlersFile(model: MeshModel, service: ServiceModel, { layout }: EmitOptions): string {
  const n = serviceNames(service.name);
  const hooks = hookFile(layout.hooksDir, service.name);
  const published = service.publishes.map((name) => findEvent(model, name));
  // A payload as its publisher's scope names it: mesh-level, or a saga's service's own.
  const payloadOf = (e: EventModel): TypeRef => ({ scope: e.payloadScope ?? service.name, name: e.payload });
  const subscribed = service.subscribes.map((s) => ({ ...s, payload: payloadOf(findEvent(model, s.event)) }));
  const fallbacks = fallbacksOf(model, service);
  const upgrades = upgradesOf(model, service);
  // A compensation gets the failure event that triggered it: any of the later steps' `fails` payloads.
  const compensations = compensationsOf(model, service.name).map((part) => ({
    part,
    payloads: [...new Map(part.compensateOn.map((e) => payloadOf(findEvent(model, e))).map((ref) => [`${ref.scope}.${ref.name}`, ref])).values()],
  }));
  const own = (name: string): TypeRef => ({ scope: service.name, name });
  const typeRefs = [
    ...hookedEndpoints(service).flatMap((e) => (e.output ? [e.input, e.output.type] : [e.input])).map(own),
    ...published.map(payloadOf),
    ...subscribed.map((s) => s.payload),
    ...upgrades.map((u) => ({ scope: service.name, name: u.from.payload })),
    ...compensations.flatMap((c) => c.payloads),
    // A fallback is typed with the callee's endpoint: its types as the callee names them.
    ...fallbacks.flatMap((f) => (f.endpoint.output ? [f.endpoint.input, f.endpoint.output.type] : [f.endpoint.input]).map((name) => ({ scope: f.call.service, name }))),
  ];
  const runtimeNames = [
    ...(subscribed.length > 0 ? ['EventContext'] : []),
    ...(service.extraRoutes ? ['ExtraRoutes'] : []),
    'HandlerContext',
    ...(fallbacks.length > 0 ? ['CallFailure'] : []),
    ...(service.storage ? ['StorageContext'] : []),
    ...(service.healthChecks.length > 0 ? ['HealthCheckContext'] : []),
  ];
  const clientNames = service.calls.map((c) => serviceNames(c.service).client);
  const types = typeImports(model, service.name, typeRefs, [...runtimeNames, ...clientNames, ...Object.values(n)]);
  const imports = importBlock([
    { names: runtimeNames, from: RUNTIME_MODULES.HandlerContext, typeOnly: true },
    ...service.calls.map((c) => ({
      names: [serviceNames(c.service).client],
      from: siblingModule(c.service, 'client'),
      typeOnly: true,
    })),
    ...types.imports,
  ]);

  const clients = interfaceOrEmpty(
    `Typed clients of the services ${service.name} calls (\`ctx.clients\`).`,
    n.clients,
    service.calls.map((c) => `  ${c.service}: ${serviceNames(c.service).client};\n`),
  );
  const publishes = interfaceOrEmpty(
    `Events ${service.name} may publish (\`ctx.publish\`), with their payloads.`,
    n.publishes,
    published.map((e) => `  ${propertyName(e.name)}: ${types.local(payloadOf(e))};\n`),
  );
  // A service with storage has its database as `ctx.db`; one without has no such field.
  const storage = service.storage ? ' & StorageContext' : '';
  const context =
    jsdoc(`What every ${service.name} hook gets besides its input${service.storage ? ', its database (`ctx.db`) included' : ''}.`) +
    `export type ${n.context} = HandlerContext<${n.clients}, ${n.publishes}>${storage};\n`;
  const handlers = interfaceOrEmpty(
    `The ${service.name} endpoints: \`${hooks}\` exports \`handlers\` implementing this.`,
    n.handlers,
    hookedEndpoints(service).map(
      (e) =>
        jsdoc(endpointDoc(e), 2) +
        methodSignature(e.name, [`input: ${e.input}`, `ctx: ${n.context}`], `Promise<${outputType(e)}>`),
    ),
    '\n',
  );
  const subscriptions =
    subscribed.length > 0 &&
    jsdoc(
      'What an event hook gets besides the payload: the endpoint context, plus `ctx.event` (id, source, time) and ' +
        '`ctx.once(effect)`, which runs an effect once per event even when the event is delivered again.',
    ) +
      `export type ${n.eventContext} = EventContext<${n.clients}, ${n.publishes}>${storage};\n\n` +
      interfaceOrEmpty(
        `The ${service.name} event hooks: \`${hooks}\` exports \`subscriptions\` implementing this.`,
        n.subscriptions,
        subscribed.map(
          (s) =>
            jsdoc(`Handles \`${s.event}\`.`, 2) +
            methodSignature(s.handler, [`event: ${types.local(s.payload)}`, `ctx: ${n.eventContext}`], 'Promise<void>'),
        ),
        '\n',
      );
  const upgradeHooks =
    upgrades.length > 0 &&
    interfaceOrEmpty(
      [
        `How ${service.name} takes the older versions of events still accepted during a rollout: \`${hooks}\``,
        'exports `upgrades` implementing this. Each turns an older payload (checked against its own',
        'schema) into the current one, which is checked in turn before the event hook gets it.',
      ],
      n.upgrades,
      upgrades.map((u) =>
        jsdoc(`Upgrades a version ${u.from.version} \`${u.event.name}\` to version ${u.event.version}.`, 2) +
        methodSignature(u.hook, [`event: ${types.local({ scope: service.name, name: u.from.payload })}`, `ctx: ${n.eventContext}`], `Promise<${types.local(payloadOf(u.event))}>`),
      ),
      '\n',
    );
  const compensationHooks =
    compensations.length > 0 &&
    interfaceOrEmpty(
      [
        `The ${service.name} compensation hooks of its choreographed saga steps:`,
        `\`${hooks}\` exports \`compensations\` implementing this. Each undoes its step for the`,
        'saga id in the failure event that triggered it (a later step\'s `fails`), once per saga.',
      ],
      n.compensations,
      compensations.map(({ part, payloads }) => {
        const { saga, step } = part;
        const doc = `Undoes step \`${step.name}\` of saga \`${saga.name}\` on ${part.compensateOn.map((e) => `\`${e}\``).join(' or ')}.`;
        const event = payloads.map((ref) => types.local(ref)).join(' | ');
        return jsdoc(doc, 2) + methodSignature(step.compensate, [`event: ${event}`, `ctx: ${n.eventContext}`], 'Promise<void>');
      }),
      '\n',
    );
  const fallbackFunctions =
    fallbacks.length > 0 &&
    interfaceOrEmpty(
      [
        `Fallback functions of the calls ${service.name} makes, each answering for one endpoint of a dependency`,
        `when a call to it fails: \`${hooks}\` exports \`fallbacks\` implementing this. Each use is logged and counted.`,
      ],
      n.fallbacks,
      fallbacks.map((f) => {
        const { input, output } = f.endpoint;
        const callee = f.call.service;
        const returns = output === null ? 'void' : `${types.local({ scope: callee, name: output.type })}${output.list ? '[]' : ''}`;
        const failures = `${f.on.join(', ')} (${f.origin}).`;
        const doc = [
          `Answers \`${callee}.${f.endpoint.name}\` (\`${f.endpoint.http.method} ${f.endpoint.http.path}\`) when it fails with:`,
          // ` * ` at indent 2 takes 5 columns: the origin goes on its own line when both do not fit.
          ...(failures.length + 5 <= WIDTH ? [failures] : [f.on.join(', '), `(${f.origin}).`]),
        ];
        return jsdoc(doc, 2) + methodSignature(f.handler, [`input: ${types.local({ scope: callee, name: input })}`, 'failure: CallFailure'], `Promise<${returns}>`);
      }),
      '\n',
    );
  const checks = service.healthChecks;
  // A check of a service with storage gets its database, as the endpoint hooks do.
  const checkContext = service.storage ? 'HealthCheckContext & StorageContext' : 'HealthCheckContext';
  const healthChecks =
    checks.length > 0 &&
    interfaceOrEmpty(
      [
        `Readiness checks of ${service.name} (the spec's \`health.checks\`): \`${hooks}\` exports \`healthChecks\``,
        'implementing this. /ready and gRPC health run each under its timeout, beside the runtime\'s own',
        '(database, bus): resolve when healthy, throw with the reason when not (the message is shown, bounded).',
      ],
      n.healthChecks,
      checks.map((c) => {
        const settings = `Times out after ${formatDuration(c.timeoutMs)}; ${c.critical ? 'critical: failing makes the service not ready (503).' : 'not critical: failing only degrades it.'}`;
        return jsdoc([...(c.description !== undefined ? [c.description] : []), settings], 2) + methodSignature(c.name, [`ctx: ${checkContext}`], 'Promise<void>');
      }),
      '\n',
    );
  const routes =
    service.extraRoutes &&
    jsdoc([
      'Routes the spec does not describe (webhooks, file uploads, a legacy path), mounted beside the',
      `${service.name} endpoints: \`${hooks}\` exports \`routes\` of this type.`,
      'Each gets the raw request (its body unread) and the context the endpoint hooks get. The endpoints',
      'win: a route with the method and path of an endpoint, or on `/health` or `/ready`, stops the',
      'service at startup. Extra routes are not in the OpenAPI document.',
    ]) + `export type ${n.routes} = ExtraRoutes<${n.context}>;\n`;
  return joinBlocks([imports, clients, publishes, context, handlers, subscriptions, upgradeHooks, compensationHooks, fallbackFunctions, healthChecks, routes]);
}
