// ClientTransport to a service running in this process: the call goes straight to the callee's
// Invoke (validation, context, hook, error contract), with what the network would do to it kept:
// input and output are copied as a JSON round trip would copy them (json-copy.ts: caller and callee
// share no mutable object; undefined dropped, Dates as strings), a failure reaches the caller as the MeshError the HTTP client would
// rebuild from the response (runtime/http/client.ts), and request id, caller, deadline and
// idempotency key arrive in the InvocationMeta as the HTTP binding would parse them from headers.
import { callerOf } from '../context/caller.js';
import type { Logger } from 'pino';
import { MeshError, Timeout, Unavailable } from '../errors/index.js';
import type { AttemptScope } from '../resilience/pipeline.js';
import type { EndpointDescriptor } from '../service/definition.js';
import { NEVER_CANCELLED, type InvocationMeta, type Invoke } from '../service/invoke.js';
import { jsonCopy } from './json-copy.js';
import type { CallOptions, ClientTransport } from './types.js';

/**
 * The callee as this process runs it.
 *
 * @example
 * const target: InProcessTarget = { service: 'users', invoke, get accepting() { return !closing; } };
 */
export interface InProcessTarget {
  /** The callee's name, for error messages. */
  readonly service: string;
  /** The callee's invoke (idempotency keys included), what its HTTP and gRPC bindings call. */
  readonly invoke: Invoke;
  /** False once the callee is shutting down: a call then fails as a refused connection would. */
  readonly accepting: boolean;
}

/**
 * The in-process ClientTransport, plus a call that follows a resilience attempt's scope.
 *
 * @example
 * const users: InProcessTransport = createInProcessTransport({ service: 'users', invoke, accepting: true });
 * await users.idle(); // no call in progress any more
 */
export interface InProcessTransport extends ClientTransport {
  /**
   * Like `call`, for an attempt of the resilience pipeline: the pipeline's scope ends the wait at the
   * attempt's deadline and on the caller's abort, so no AbortSignal is made here; the callee's invoke
   * ends the hook at `options.deadline` and follows `scope` (so the hook's signal aborts with the
   * caller's); `options.signal` is not listened to.
   */
  callInScope(endpoint: EndpointDescriptor, input: unknown, options: CallOptions, scope: AttemptScope): Promise<unknown>;
  /** Calls in progress now (a draining callee waits for them). */
  readonly inFlight: number;
  /** Resolves once no call is in progress. */
  idle(): Promise<void>;
}

// Same rule as the HTTP binding's request-id header (runtime/http/headers.ts).
const SANE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;
// The signal of a call whose caller gave none: nothing but the deadline (enforced by invoke) ends it.

/**
 * A transport to `target`, a service of this process.
 *
 * @param target service, invoke, accepting.
 * @param logger Where a failure to copy an output is logged (as the HTTP binding logs it). Default none.
 * @example
 * const users = createInProcessTransport({ service: 'users', invoke, accepting: true });
 * await users.call(getUser, { id: 1 }, { deadline: Date.now() + 2_000, caller: { subject: 'service:orders', service: 'orders' } });
 */
export function createInProcessTransport(target: InProcessTarget, logger?: Logger): InProcessTransport {
  const { service } = target;
  let inFlight = 0;
  let waiting: (() => void)[] = [];

  const send = async (endpoint: EndpointDescriptor, input: unknown, call: CallOptions, deadline: number | null, scope?: AttemptScope): Promise<unknown> => {
    if (!target.accepting) throw new Unavailable(`${service} is unavailable: shutting down (in-process)`);
    if (deadline !== null && deadline <= Date.now()) throw new Timeout(`deadline passed before calling ${service}.${endpoint.name}`);
    // Without the caller's signal only the deadline ends the call: invoke enforces it and makes the
    // hook's signal itself, so the shared never-cancelled one is enough. Without a deadline either,
    // the hook gets that signal as is and might listen to it: it gets one of its own.
    // Under an attempt's scope (which follows the caller's signal), the scope is what invoke follows.
    const signal = scope ? NEVER_CANCELLED : (call.signal ?? (deadline === null ? new AbortController().signal : NEVER_CANCELLED));
    const meta: InvocationMeta = { deadline, caller: call.caller ? callerOf(call.caller) : null, signal };
    if (scope) meta.cancellation = scope;
    if (call.requestId !== undefined && SANE_REQUEST_ID.test(call.requestId)) meta.requestId = call.requestId;
    if (call.idempotencyKey) meta.idempotencyKey = call.idempotencyKey;
    // As the HTTP client sends it: `input ?? {}` as JSON.
    const copied = jsonCopy(input ?? {});
    inFlight++;
    let output: unknown;
    try {
      output = await target.invoke(endpoint, copied, meta);
    } catch (err) {
      throw asReceived(err);
    } finally {
      if (--inFlight === 0 && waiting.length > 0) {
        const done = waiting;
        waiting = [];
        for (const resolve of done) resolve();
      }
    }
    if (endpoint.output === null) return undefined;
    return copyOutput(output, service, endpoint, logger, meta.requestId);
  };

  return {
    call(endpoint, input, call) {
      const { signal } = call;
      if (!signal) return send(endpoint, input, call, effectiveDeadline(call));
      // Without a pipeline around it, the caller's abort still ends its wait at once, as over HTTP.
      const label = `${service}.${endpoint.name}`;
      if (signal.aborted) return Promise.reject(cancelled(signal, label));
      return untilAborted(send(endpoint, input, call, effectiveDeadline(call)), signal, label);
    },
    callInScope: (endpoint, input, call, scope) => send(endpoint, input, call, effectiveDeadline(call), scope),
    get inFlight() {
      return inFlight;
    },
    idle() {
      return inFlight === 0 ? Promise.resolve() : new Promise<void>((resolve) => waiting.push(resolve));
    },
    close: () => Promise.resolve(),
  };
}

/** Settles like `sent`, or rejects as the HTTP client does as soon as `signal` aborts. */
function untilAborted(sent: Promise<unknown>, signal: AbortSignal, label: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(cancelled(signal, label));
    signal.addEventListener('abort', onAbort, { once: true });
    sent.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** What the HTTP client rejects with when the caller's signal aborts: its reason when a MeshError. */
function cancelled(signal: AbortSignal, label: string): MeshError {
  return signal.reason instanceof MeshError ? signal.reason : new Unavailable(`call to ${label} was cancelled by the caller`);
}

/** The output as the HTTP client would parse it: undefined answers `null`; what JSON cannot hold is a 500. */
function copyOutput(output: unknown, service: string, endpoint: EndpointDescriptor, logger: Logger | undefined, requestId: string | undefined): unknown {
  let copied: unknown;
  let failure: unknown;
  try {
    copied = jsonCopy(output ?? null);
  } catch (err) {
    failure = err;
  }
  if (failure !== undefined || copied === undefined) {
    // The HTTP binding fails the same way serialising it (a cycle, a BigInt, a bare function), and
    // answers 500 without the reason.
    logger?.error({ err: failure, requestId, operation: endpoint.name, service }, 'in-process call failed: the output is not JSON');
    throw new MeshError('Internal', 'internal error', 500);
  }
  return copied;
}

/**
 * What the HTTP client rebuilds from the callee's error response: a plain MeshError with the same
 * code, message, status and (JSON-copied) details; anything else is the 500 the binding answers.
 */
function asReceived(err: unknown): MeshError {
  if (!(err instanceof MeshError)) return new MeshError('Internal', 'internal error', 500);
  let details: unknown;
  try {
    details = err.details === undefined ? undefined : jsonCopy(err.details);
  } catch {
    // Details JSON cannot carry: the binding could not have sent the error either.
    return new MeshError('Internal', 'internal error', 500);
  }
  return details === undefined ? new MeshError(err.code, err.message, err.status) : new MeshError(err.code, err.message, err.status, details);
}


function effectiveDeadline(call: CallOptions): number | null {
  const fromTimeout = call.timeoutMs !== undefined ? Date.now() + call.timeoutMs : null;
  const deadline = call.deadline ?? null;
  if (deadline === null) return fromTimeout;
  return fromTimeout === null ? deadline : Math.min(deadline, fromTimeout);
}
