// generated/<svc>/handlers.ts: the interfaces the user's hooks implement, and what they get in ctx.
import type { MeshModel, ServiceModel } from '../../model/types.js';
import { importBlock, jsdoc, joinBlocks, methodSignature, propertyName } from './code.js';
import { hookFile, serviceNames, siblingModule } from '../../naming/index.js';
import type { EmitOptions } from '../types.js';
import { scopedTypeImports } from './names.js';
import { endpointDoc, findEvent, outputType } from './signatures.js';

/** `export interface Name { … }`, or an empty record type when there are no members. */
function interfaceOrEmpty(doc: string, name: string, members: string[], separator = ''): string {
  if (members.length === 0) return `${jsdoc(doc)}export type ${name} = Record<never, never>;\n`;
  return `${jsdoc(doc)}export interface ${name} {\n${members.join(separator)}}\n`;
}

export function handlersFile(model: MeshModel, service: ServiceModel, { layout }: EmitOptions): string {
  const n = serviceNames(service.name);
  const hooks = hookFile(layout.hooksDir, service.name);
  const published = service.publishes.map((name) => findEvent(model, name));
  const subscribed = service.subscribes.map((s) => ({ ...s, payload: findEvent(model, s.event).payload }));
  const typeNames = [
    ...service.endpoints.flatMap((e) => (e.output ? [e.input, e.output.type] : [e.input])),
    ...published.map((e) => e.payload),
    ...subscribed.map((s) => s.payload),
  ];
  const imports = importBlock([
    { names: subscribed.length > 0 ? ['EventContext', 'HandlerContext'] : ['HandlerContext'], from: 'meshspec/runtime', typeOnly: true },
    ...service.calls.map((c) => ({
      names: [serviceNames(c.service).client],
      from: siblingModule(c.service, 'client'),
      typeOnly: true,
    })),
    ...scopedTypeImports(model, service.name, typeNames),
  ]);

  const clients = interfaceOrEmpty(
    `Typed clients of the services ${service.name} calls (\`ctx.clients\`).`,
    n.clients,
    service.calls.map((c) => `  ${c.service}: ${serviceNames(c.service).client};\n`),
  );
  const publishes = interfaceOrEmpty(
    `Events ${service.name} may publish (\`ctx.publish\`), with their payloads.`,
    n.publishes,
    published.map((e) => `  ${propertyName(e.name)}: ${e.payload};\n`),
  );
  const context =
    jsdoc(`What every ${service.name} hook gets besides its input.`) +
    `export type ${n.context} = HandlerContext<${n.clients}, ${n.publishes}>;\n`;
  const handlers = interfaceOrEmpty(
    `The ${service.name} endpoints: \`${hooks}\` exports \`handlers\` implementing this.`,
    n.handlers,
    service.endpoints.map(
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
      `export type ${n.eventContext} = EventContext<${n.clients}, ${n.publishes}>;\n\n` +
      interfaceOrEmpty(
        `The ${service.name} event hooks: \`${hooks}\` exports \`subscriptions\` implementing this.`,
        n.subscriptions,
        subscribed.map(
          (s) =>
            jsdoc(`Handles \`${s.event}\`.`, 2) +
            methodSignature(s.handler, [`event: ${s.payload}`, `ctx: ${n.eventContext}`], 'Promise<void>'),
        ),
        '\n',
      );
  return joinBlocks([imports, clients, publishes, context, handlers, subscriptions]);
}
