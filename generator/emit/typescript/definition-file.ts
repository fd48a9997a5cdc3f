// generated/<svc>/definition.ts: the service as plain data (runtime/service/definition.ts).
import { choreographyPartsOf, keyOf, ownedChoreographiesOf, resolveType } from '../../model/lookup.js';
import type { CallModel, ChoreographedSagaModel, EndpointModel, MeshModel, ResiliencePolicyModel, ServiceModel } from '../../model/types.js';
import { outputFiles, protoServiceName, rpcFields, serviceNames, serviceProtoFile, servicePackage, typesPackage } from '../../naming/index.js';
import { upgradesOf, type UpgradeHook } from '../../model/upgrades.js';
import { type Literal, code, importBlock, jsdoc, joinBlocks, printLiteral } from './code.js';

function endpointLiteral(model: MeshModel, service: ServiceModel, endpoint: EndpointModel): Literal {
  // The runtime finds types in the mesh's schema registry by key (`orders.Order`, or `Order` when shared).
  const key = (name: string) => keyOf(resolveType(model, service.name, name));
  const fields = rpcFields(endpoint);
  return {
    name: endpoint.name,
    method: endpoint.http.method,
    path: endpoint.http.path,
    pathParams: endpoint.http.pathParams,
    inputSource: endpoint.http.inputSource,
    successStatus: endpoint.http.successStatus,
    input: key(endpoint.input),
    output: endpoint.output && { type: key(endpoint.output.type), list: endpoint.output.list },
    // Each declared error's gRPC code travels with it, so the server answers with it (common/grpc-status.ts).
    errors: Object.fromEntries(endpoint.errors.map((e) => [e.name, { status: e.status, grpc: e.grpc }])),
    grpc: { method: endpoint.grpcMethod, request: fields.request?.json ?? null, response: fields.response?.json ?? null },
    // Always written, so the file says which endpoints a client may retry without an idempotency key.
    idempotent: endpoint.idempotent,
    // Endpoints without a hook: the runtime starts the saga, or reads its status from the log.
    ...(endpoint.startsSaga && {
      startsSaga: { saga: endpoint.startsSaga.saga, wait: endpoint.startsSaga.waitMs, statusPath: endpoint.startsSaga.statusPath },
    }),
    ...(endpoint.sagaStatus !== undefined && { sagaStatus: endpoint.sagaStatus }),
  };
}

/** A dependency with its resolved policies: what the runtime's clients apply (runtime/service/definition.ts, CallDescriptor). */
function callLiteral(call: CallModel): Literal {
  return {
    service: call.service,
    transport: call.transport,
    policy: policyLiteral(call.policy),
    ...(call.endpointPolicies.length > 0 && {
      endpointPolicies: Object.fromEntries(call.endpointPolicies.map((e) => [e.endpoint, policyLiteral(e.policy)])),
    }),
    balance: call.balance,
    ...(call.dns !== null && { dns: { name: call.dns.name, refreshMs: call.dns.refreshMs } }),
    // The callee's endpoint -> the member of the hook file's `fallbacks` that answers for it.
    ...(call.fallbacks.length > 0 && { fallbacks: Object.fromEntries(call.fallbacks.map((f) => [f.endpoint, f.handler])) }),
  };
}

/** The policy's keys in one fixed order, whatever order the model was built in. */
function policyLiteral(policy: ResiliencePolicyModel): Literal {
  const { retry, circuitBreaker: breaker, bulkhead, fallback } = policy;
  return {
    timeoutMs: policy.timeoutMs,
    ...(policy.attemptTimeoutMs !== undefined && { attemptTimeoutMs: policy.attemptTimeoutMs }),
    ...(retry && {
      retry: {
        attempts: retry.attempts,
        initialMs: retry.initialMs,
        maxMs: retry.maxMs,
        jitter: retry.jitter,
        budget: { ratio: retry.budget.ratio, minPerSecond: retry.budget.minPerSecond, windowMs: retry.budget.windowMs },
      },
    }),
    ...(breaker && {
      circuitBreaker: {
        ...(breaker.consecutiveFailures !== undefined && { consecutiveFailures: breaker.consecutiveFailures }),
        ...(breaker.failureRatio !== undefined && { failureRatio: breaker.failureRatio }),
        minimumCalls: breaker.minimumCalls,
        windowMs: breaker.windowMs,
        openForMs: breaker.openForMs,
        halfOpenCalls: breaker.halfOpenCalls,
        ...(breaker.countedFailures !== undefined && { countedFailures: breaker.countedFailures }),
      },
    }),
    ...(bulkhead && { bulkhead: { maxConcurrent: bulkhead.maxConcurrent, maxQueue: bulkhead.maxQueue } }),
    ...(fallback && { fallback: { on: fallback.on } }),
  };
}

/**
 * A choreographed saga its owner keeps the log of: what the log needs to follow the saga from the
 * participants' events (runtime/service/definition.ts, ChoreographedSagaDescriptor).
 */
function choreographedSagaLiteral(saga: ChoreographedSagaModel): Literal {
  const { correlate, starts, completes, steps } = saga.choreography;
  return {
    saga: saga.name,
    correlate,
    starts,
    completes,
    steps: steps.map((step) => ({ step: step.name, service: step.service, succeeds: step.succeeds, fails: step.fails, compensate: step.compensate })),
  };
}

/** Where the service's proto lives: resolved against this file so it works from any working directory. */
function protoLiteral(model: MeshModel, service: ServiceModel): Literal {
  if (service.ports.grpc === null) return null;
  return {
    root: code(`fileURLToPath(new URL('../${outputFiles.protoRoot}', import.meta.url))`),
    file: serviceProtoFile(model.name, service.name),
    service: `${servicePackage(model.name, service.name)}.${protoServiceName(service.name)}`,
    // Which proto package holds which of the mesh's types: the runtime maps messages to schema keys by it.
    packages: { [servicePackage(model.name, service.name)]: service.name, [typesPackage(model.name)]: null },
  };
}

/** `{ upgrades: { 1: 'orderCreatedFromV1' } }` for a subscription to an event in a rollout, nothing otherwise. */
function upgradeHooksOf(upgrades: readonly UpgradeHook[], event: string): { upgrades?: Literal } {
  const own = upgrades.filter((u) => u.event.name === event);
  return own.length === 0 ? {} : { upgrades: Object.fromEntries(own.map((u) => [u.from.version, u.hook])) };
}

export function definitionFile(model: MeshModel, service: ServiceModel): string {
  const upgrades = upgradesOf(model, service);
  const proto = protoLiteral(model, service);
  const parts = choreographyPartsOf(model, service.name).map(({ saga, step, compensateOn }) => ({
    saga: saga.name,
    owner: saga.service,
    correlate: saga.choreography.correlate,
    step: step.name,
    on: step.on,
    hook: step.hook,
    succeeds: step.succeeds,
    fails: step.fails,
    compensate: step.compensate,
    compensateOn,
  }));
  const owned = ownedChoreographiesOf(service).map(choreographedSagaLiteral);
  const definition: Literal = {
    mesh: model.name,
    name: service.name,
    version: model.version,
    ports: { http: service.ports.http, grpc: service.ports.grpc },
    endpoints: service.endpoints.map((e) => endpointLiteral(model, service, e)),
    subscriptions: service.subscribes.map((s) => ({
      event: s.event,
      handler: s.handler,
      ...(s.maxAttempts !== undefined && { maxAttempts: s.maxAttempts }),
      // The older versions still accepted, each with the member of `upgrades` that upgrades it.
      ...upgradeHooksOf(upgrades, s.event),
    })),
    publishes: service.publishes,
    calls: service.calls.map(callLiteral),
    proto,
    // Written only for a participant of a choreographed saga: the steps its event hooks take.
    ...(parts.length > 0 && { choreographies: parts }),
    // Written only for the owner of a choreographed saga: the sagas whose log it keeps.
    ...(owned.length > 0 && { choreographedSagas: owned }),
    // The spec's readiness checks: the hook file's `healthChecks` runs each, /ready lists it.
    ...(service.healthChecks.length > 0 && {
      healthChecks: service.healthChecks.map((c) => ({ name: c.name, timeoutMs: c.timeoutMs, critical: c.critical })),
    }),
    // Written only for Express: a definition without it is served by the node binding.
    ...(service.binding !== 'node' && { binding: service.binding }),
  };
  const imports = importBlock([
    { names: proto === null ? [] : ['fileURLToPath'], from: 'node:url' },
    { names: ['ServiceDefinition'], from: 'meshspec/runtime', typeOnly: true },
  ]);
  const doc = jsdoc(service.description ?? `The ${service.name} service.`);
  const name = serviceNames(service.name).definition;
  const body = `${doc}export const ${name} = ${printLiteral(definition, 0, 0, true)} as const satisfies ServiceDefinition;\n`;
  return joinBlocks([imports, body]);
}
