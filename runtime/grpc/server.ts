// The gRPC binding of a service: every rpc decodes its request, hands it to `invoke` and encodes
// the output or the MeshError. No business logic here: the host's Invoke validates and runs hooks.
import { performance } from 'node:perf_hooks';
import {
  Server,
  ServerCredentials,
  status as GrpcStatus,
  type Deadline,
  type handleUnaryCall,
  type ServerUnaryCall,
  type MethodDefinition,
  type UntypedServiceImplementation,
} from '@grpc/grpc-js';
import type { Logger } from '../context/index.js';
import { BadRequest, InternalError, isMeshError, Timeout, type MeshError } from '../errors/index.js';
import type { EndpointDescriptor, ServiceDefinition } from '../service/definition.js';
import type { InvocationMeta, Invoke } from '../service/invoke.js';
import type { SchemaRegistry } from '../validation/types.js';
import { createGrpcCodec, type EndpointCodec } from './codec.js';
import { addHealthService } from './health.js';
import { IDENTITY_HEADER } from '../identity/format.js';
import { UNSIGNED_CALLER_HEADER, UNSIGNED_TRUST, type CallerTrust } from '../identity/trust.js';
import { IDEMPOTENCY_KEY, REQUEST_ID, text } from './metadata.js';
import { rawUnaryMethod } from './raw.js';
import { addReflectionService } from './reflection.js';
import { toGrpcError, type ErrorContext } from './status.js';
import type { EndpointMeter, ServerMetrics } from '../observability/metrics/server.js';
import { context, SpanKind, type Tracer } from '@opentelemetry/api';
import { activeTracer } from '../observability/tracing/tracer.js';
import { endGrpcSpan, grpcPlan, startGrpcServerSpan, type SpanPlan } from '../observability/tracing/server.js';
import { grpcAccessLog } from './access-log.js';

export interface GrpcServerOptions {
  definition: ServiceDefinition;
  schemas: SchemaRegistry;
  invoke: Invoke;
  logger: Logger;
  /** Asked by the health service: NOT_SERVING while false (the service's readiness, as /ready has it). Default: always ready. */
  isReady?: () => boolean | Promise<boolean>;
  /** Which caller identity is believed: signed with identity keys, or the unsigned metadata (the default, development). */
  trust?: CallerTrust;
  /** Counts each call per endpoint and status (transport `grpc`); default none. */
  metrics?: ServerMetrics;
}

export interface GrpcServer {
  /** Asks `isReady` again and tells health Watch streams when it changed. */
  readinessChanged(): void;
  /** Binds and starts serving; resolves with the actual port (useful with port 0). */
  listen(port: number, host: string): Promise<number>;
  /** Stops accepting calls, lets in-flight ones finish for up to `graceMs`, then cuts them. */
  close(graceMs: number): Promise<void>;
}

export function createGrpcServer(options: GrpcServerOptions): GrpcServer {
  const { definition } = options;
  const codec = createGrpcCodec(definition, options.schemas);
  const server = new Server();
  const methods: Record<string, MethodDefinition<Buffer, Buffer>> = {};
  const handlers: UntypedServiceImplementation = {};
  // Tracing on (a provider registered before the start): a server span per call.
  const tracer = activeTracer(definition.name);
  for (const endpoint of definition.endpoints) {
    const endpointCodec = codec.endpoint(endpoint.name);
    methods[endpoint.grpc.method] = rawUnaryMethod(endpointCodec.path);
    const errors: ErrorContext = { declared: endpoint.errors, domain: codec.service, fieldPath: endpointCodec.fieldPath };
    const traced = tracer ? { tracer, plan: grpcPlan(endpointCodec.path, SpanKind.SERVER) } : undefined;
    handlers[endpoint.grpc.method] = unaryHandler(endpoint, endpointCodec, errors, options, options.metrics?.endpoint(endpoint.name, 'grpc'), traced);
  }
  server.addService(methods, handlers);
  const health = addHealthService(server, codec.service, options.isReady);
  addReflectionService(server, definition.proto!); // non-null: the codec refuses a definition without one

  return {
    readinessChanged: () => health.readinessChanged(),
    listen(port, host) {
      const address = host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
      return new Promise((resolve, reject) => {
        server.bindAsync(address, ServerCredentials.createInsecure(), (err, actual) => (err ? reject(err) : resolve(actual)));
      });
    },
    close(graceMs) {
      // Balancers watching health drain this instance first; the Watch streams end so they do not hold the shutdown.
      health.shutdown();
      return new Promise((resolve) => {
        const force = setTimeout(() => server.forceShutdown(), graceMs);
        server.tryShutdown(() => {
          clearTimeout(force);
          resolve();
        });
      });
    },
  };
}


/** The tracer and the method's span plan, when tracing is on. */
interface TracedMethod {
  tracer: Tracer;
  plan: SpanPlan;
}

function unaryHandler(
  endpoint: EndpointDescriptor,
  codec: EndpointCodec,
  errors: ErrorContext,
  options: GrpcServerOptions,
  meter: EndpointMeter | undefined,
  traced: TracedMethod | undefined,
): handleUnaryCall<Buffer, Buffer> {
  return (call, callback) => {
    const started = meter ? performance.now() : 0;
    const logged = grpcAccessLog(options.logger, codec.path);
    const controller = new AbortController();
    let answered = false;
    // grpc-js also reports `cancelled` when the stream closes after a normal answer: not an abort.
    call.on('cancelled', () => {
      if (!answered) controller.abort();
    });
    // The caller's traceparent (metadata) is the parent; invoke runs with this span active.
    const server = traced ? startGrpcServerSpan(traced.tracer, traced.plan, call.metadata) : undefined;
    const served = server ? context.with(server.ctx, () => serve(endpoint, codec, options, call, controller.signal)) : serve(endpoint, codec, options, call, controller.signal);
    const finish = (code: number) => {
      if (server) endGrpcSpan(server.span, code, true);
      logged?.(code, text(call.metadata, REQUEST_ID), controller.signal.aborted, server?.span);
    };
    served.then(
      (bytes) => {
        answered = true;
        callback(null, bytes);
        meter?.observe('OK', started);
        finish(GrpcStatus.OK);
      },
      (err: MeshError) => {
        answered = true;
        const grpcError = toGrpcError(err, errors);
        callback(grpcError);
        const code = grpcError.code ?? GrpcStatus.UNKNOWN;
        meter?.observe(GrpcStatus[code], started);
        finish(code);
      },
    );
  };
}

/** Resolves with the response bytes; rejects only with a MeshError. */
async function serve(
  endpoint: EndpointDescriptor,
  codec: EndpointCodec,
  { invoke, logger, trust = UNSIGNED_TRUST }: GrpcServerOptions,
  call: ServerUnaryCall<Buffer, Buffer>,
  signal: AbortSignal,
): Promise<Buffer> {
  let input: unknown;
  try {
    input = codec.decodeInput(call.request);
  } catch (err) {
    // A value the spec does not allow is ValidationFailed naming the field; bytes that are not the message, BadRequest.
    if (isMeshError(err)) throw err;
    // protobufjs's reason (`index out of range: 4 + 10 > 6`) is logged, not answered.
    logger.info({ err, endpoint: endpoint.name }, 'gRPC request could not be decoded');
    throw new BadRequest(`malformed ${endpoint.grpc.method} request: the bytes are not a ${endpoint.grpc.method} request message`);
  }
  const meta = invocationMeta(call, signal, trust);
  // The caller has already given up: running the hook would be wasted work.
  if (meta.deadline !== null && meta.deadline <= Date.now()) throw new Timeout('the deadline passed before the call started');
  try {
    return codec.encodeOutput(await invoke(endpoint, input, meta));
  } catch (err) {
    if (isMeshError(err)) throw err;
    // An output the proto cannot carry (or a broken Invoke): a server bug, logged and never sent.
    logger.error({ err, endpoint: endpoint.name, requestId: meta.requestId }, 'gRPC response could not be produced');
    throw new InternalError();
  }
}

function invocationMeta(call: ServerUnaryCall<Buffer, Buffer>, signal: AbortSignal, trust: CallerTrust): InvocationMeta {
  const requestId = text(call.metadata, REQUEST_ID);
  const caller = trust.incoming(text(call.metadata, IDENTITY_HEADER), text(call.metadata, UNSIGNED_CALLER_HEADER));
  const meta: InvocationMeta = { deadline: epochMs(call.getDeadline()), caller, signal };
  if (requestId !== undefined) meta.requestId = requestId;
  const idempotencyKey = text(call.metadata, IDEMPOTENCY_KEY);
  if (idempotencyKey !== undefined) meta.idempotencyKey = idempotencyKey;
  return meta;
}

/** grpc-js reports "no deadline" as Infinity. */
function epochMs(deadline: Deadline): number | null {
  const ms = deadline instanceof Date ? deadline.getTime() : deadline;
  return Number.isFinite(ms) ? ms : null;
}
