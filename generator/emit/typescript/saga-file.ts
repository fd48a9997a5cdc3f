// generated/<svc>/sagas.ts: the sagas a service runs, as the definitions its orchestrator drives
// (runtime/saga/types.ts). Each step calls its endpoint through the generated client, so the call's
// policy applies, with the options of the attempt (idempotency key, deadline, request id).
import { orchestratedSagasOf } from '../../model/lookup.js';
import type { MeshModel, OrchestratedSagaModel, SagaValue, ServiceModel } from '../../model/types.js';
import { RUNTIME_MODULES, serviceNames, siblingModule } from '../../naming/index.js';
import { WIDTH, importBlock, jsdoc, joinBlocks, propertyName, quote } from './code.js';
import { typeImports, type TypeRef } from './names.js';
import { flat, printExpr, type Expr } from './saga-expr.js';
import { findEndpoint, readsOf, valueExpr } from './saga-values.js';

/**
 * The names sagas.ts declares for `service` (reserved against spec types with the service's other
 * generated names): the interface of the clients its steps call through, and the function that makes
 * its saga definitions.
 *
 * @param service - the service's name
 * @example sagaNames('orders') // { clients: 'OrdersSagaClients', sagas: 'ordersSagas' }
 */
export function sagaNames(service: string): { clients: string; sagas: string } {
  const names = serviceNames(service);
  return { clients: names.sagaClients, sagas: names.sagas };
}

/** Services the sagas call (their own included), sorted. */
/**
 * The services the sagas' steps and compensations call, sorted: the members of `<Svc>SagaClients`.
 *
 * @param sagas - a service's sagas
 * @example calledServices(orchestratedSagasOf(orders)) // ['inventory', 'orders', 'payments', 'users']
 */
export function calledServices(sagas: readonly OrchestratedSagaModel[]): string[] {
  const names = sagas.flatMap((s) => s.steps.flatMap((step) => [step.call.service, ...(step.compensate ? [step.compensate.service] : [])]));
  return [...new Set(names)].sort();
}

/** A run function's typed view of the saga: the locals its mapping reads. */
function locals(model: MeshModel, saga: OrchestratedSagaModel, value: SagaValue, local: (ref: TypeRef) => string): string[] {
  const reads = readsOf(value);
  const lines: string[] = [];
  if (reads.input) lines.push(`const input = saga.input as ${local({ scope: saga.service, name: saga.input })};`);
  if (reads.steps.length > 0) {
    const members = reads.steps.map((name) => {
      const step = saga.steps.find((s) => s.name === name);
      const output = step && findEndpoint(model, step.call.service, step.call.endpoint).output;
      if (!step || !output) throw new Error(`internal: saga ${saga.name} reads step ${name}, which has no output`);
      return `${name}: ${local({ scope: step.call.service, name: output.type })}${output.list ? '[]' : ''}`;
    });
    lines.push(`const outputs = saga.outputs as { ${members.join('; ')} };`);
  }
  return lines;
}

/** Whether the mapping reads `saga` at all (its id, input or outputs). */
function readsSaga(value: SagaValue): boolean {
  if (value.kind === 'object') return value.fields.some((f) => readsSaga(f.value));
  return value.kind === 'path';
}

/**
 * `callee(<expr>, call)` (or `<expr>` alone without a callee) at `indent`, starting at `column`,
 * with `tail` characters after it on its line.
 */
function body(callee: string | null, expr: Expr, indent: number, column: number, tail: number, returned = false): string {
  if (callee === null && returned) return printExpr(expr, indent, column, tail);
  if (callee === null) {
    // An object literal as an arrow's body needs parentheses, or it reads as a block.
    if (typeof expr === 'object' && expr.kind === 'object') return `(${printExpr(expr, indent, column + 1, tail + 1)})`;
    return printExpr(expr, indent, column, tail);
  }
  const line = `${callee}(${flat(expr)}, call)`;
  if (column + line.length + tail <= WIDTH) return line;
  return `${callee}(\n${' '.repeat(indent + 2)}${printExpr(expr, indent + 2)},\n${' '.repeat(indent + 2)}call,\n${' '.repeat(indent)})`;
}

/**
 * `(saga, call) => …` for the property `key` at `indent`: one expression when the mapping needs no
 * typed locals, else a block declaring them. `callee` null: the function returns the value itself.
 */
function arrow(
  model: MeshModel,
  saga: OrchestratedSagaModel,
  key: string,
  callee: string | null,
  value: SagaValue,
  target: string,
  targetScope: string,
  local: (ref: TypeRef) => string,
  indent: number,
): string {
  const pad = ' '.repeat(indent);
  const params = `${readsSaga(value) ? 'saga' : '_saga'}${callee === null ? '' : ', call'}`;
  const head = `${pad}${key}: (${params}) =>`;
  const { expr } = valueExpr(model, saga, value, { ref: { kind: 'ref', name: target }, scope: targetScope });
  const declared = locals(model, saga, value, local);
  if (declared.length === 0) {
    const oneLine = `${head} ${body(callee, expr, indent, head.length + 1, 1)},\n`;
    if (!oneLine.slice(0, -2).includes('\n') || callee === null) return oneLine;
    return `${head}\n${pad}  ${body(callee, expr, indent + 2, indent + 2, 1)},\n`;
  }
  const inner = `${pad}  `;
  const statements = declared.map((line) => `${inner}${line}\n`).join('');
  const returned = `${inner}return ${body(callee, expr, indent + 2, indent + 2 + 'return '.length, 1, true)};\n`;
  return `${head} {\n${statements}${returned}${pad}},\n`;
}

function sagaLiteral(model: MeshModel, saga: OrchestratedSagaModel, local: (ref: TypeRef) => string): string {
  const steps = saga.steps.map((step) => {
    const endpoint = findEndpoint(model, step.call.service, step.call.endpoint);
    const callee = `clients(call).${step.call.service}.${step.call.endpoint}`;
    let text = '        {\n';
    text += `          name: ${quote(step.name)},\n`;
    text += `          endpoint: ${quote(`${step.call.service}.${step.call.endpoint}`)},\n`;
    text += arrow(model, saga, 'run', callee, step.input, endpoint.input, step.call.service, local, 10);
    if (step.compensate) {
      const { service, endpoint: name, input } = step.compensate;
      const undo = findEndpoint(model, service, name);
      text += '          compensation: {\n';
      text += `            endpoint: ${quote(`${service}.${name}`)},\n`;
      text += arrow(model, saga, 'run', `clients(call).${service}.${name}`, input, undo.input, service, local, 12);
      text += '          },\n';
    }
    if (step.timeoutMs !== null) text += `          timeoutMs: ${step.timeoutMs},\n`;
    return `${text}        },\n`;
  });
  const output = saga.output && arrow(model, saga, 'output', null, saga.output.value, saga.output.type, saga.service, local, 6);
  return (
    jsdoc(saga.description ?? `The ${saga.name} saga.`, 4) +
    '    {\n' +
    `      name: ${quote(saga.name)},\n` +
    `      steps: [\n${steps.join('')}      ],\n` +
    (output || '') +
    '    },\n'
  );
}

/**
 * The content of `generated/<service>/sagas.ts`, or null when the service runs no saga.
 *
 * @param model - the mesh
 * @param service - the service whose sagas it holds
 * @example sagaFile(model, orders) // "import type { SagaDefinition, StepCall } from 'meshspec/runtime/saga';\n…"
 */
export function sagaFile(model: MeshModel, service: ServiceModel): string | null {
  const sagas = orchestratedSagasOf(service);
  if (sagas.length === 0) return null;
  const names = sagaNames(service.name);
  const services = calledServices(sagas);
  const clientName = (name: string) => serviceNames(name).client;
  const refs: TypeRef[] = sagas.flatMap((saga) => {
    const values = [...saga.steps.flatMap((s) => [s.input, ...(s.compensate ? [s.compensate.input] : [])]), ...(saga.output ? [saga.output.value] : [])];
    const reads = values.map(readsOf);
    return [
      ...(reads.some((r) => r.input) ? [{ scope: service.name, name: saga.input }] : []),
      ...[...new Set(reads.flatMap((r) => r.steps))].map((name) => {
        const step = saga.steps.find((s) => s.name === name);
        const output = step && findEndpoint(model, step.call.service, step.call.endpoint).output;
        if (!step || !output) throw new Error(`internal: saga ${saga.name} reads step ${name}, which has no output`);
        return { scope: step.call.service, name: output.type };
      }),
    ];
  });
  const runtime = ['SagaDefinition', 'StepCall'] as const;
  const types = typeImports(model, service.name, refs, [...runtime, ...services.map(clientName), names.clients]);
  const imports = importBlock([
    { names: [...runtime], from: RUNTIME_MODULES.SagaDefinition, typeOnly: true },
    ...services.map((name) => ({ names: [clientName(name)], from: name === service.name ? './client.js' : siblingModule(name, 'client'), typeOnly: true })),
    ...types.imports,
  ]);
  const clients =
    jsdoc(`The clients the ${service.name} sagas call their steps through, one per service${services.includes(service.name) ? ' (itself included)' : ''}.`) +
    `export interface ${names.clients} {\n${services.map((name) => `  ${propertyName(name)}: ${clientName(name)};\n`).join('')}}\n`;
  const factory =
    jsdoc([
      `The sagas ${service.name} runs, for its orchestrator. \`clients(call)\` gives the clients one`,
      'attempt of a step (or compensation) calls through; the attempt passes `call` (its idempotency',
      'key, deadline and request id) on as the call options.',
    ]) +
    `export function ${names.sagas}(clients: (call: StepCall) => ${names.clients}): SagaDefinition[] {\n` +
    `  return [\n${sagas.map((saga) => sagaLiteral(model, saga, types.local)).join('')}  ];\n` +
    '}\n';
  return joinBlocks([imports, clients, factory]);
}
