// The Invoke every transport calls: validate, run the hook under the caller's deadline, and turn
// whatever it throws into an error the endpoint's contract allows.
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { passthroughErrorCodes } from '../../common/errors.js';
import { InternalError, isMeshError, NotImplemented, Timeout, type MeshError } from '../errors/index.js';
import { describeIssues } from '../validation/issues.js';
import type { Validators } from '../validation/types.js';
import type { AnyHandlerContext, ContextFactory, DeferredField } from './context.js';
import type { EndpointDescriptor, ServiceDefinition } from './definition.js';
import { NEVER_CANCELLED, type InvocationMeta, type Invoke } from './invoke.js';
import { checkInput } from './check-input.js';

export interface InvokeOptions {
  definition: ServiceDefinition;
  /** The user's endpoint hooks, by endpoint name. */
  handlers: object;
  /** Strict (non-coercing) validators of the mesh schemas. */
  validators: Validators;
  contextFor: ContextFactory;
  logger: Logger;
  /** Validate outputs and log a warning on mismatch. Default: on unless NODE_ENV is `production`. */
  checkOutput?: boolean;
}

type EndpointHook = (input: unknown, ctx: AnyHandlerContext) => unknown;

/** Undeclared codes a hook may still answer with (common/errors.ts says why). */
const PASSTHROUGH = new Set<string>(passthroughErrorCodes);

export function createInvoke(options: InvokeOptions): Invoke {
  const { definition, validators, contextFor, logger } = options;
  const checkOutput = options.checkOutput ?? process.env['NODE_ENV'] !== 'production';
  const hooks = new Map<string, EndpointHook>();
  for (const endpoint of definition.endpoints) {
    const hook = (options.handlers as Record<string, unknown>)[endpoint.name];
    if (typeof hook === 'function') hooks.set(endpoint.name, hook.bind(options.handlers) as EndpointHook);
  }

  return async (endpoint, input, meta) => {
    // Made on first use: the request id (when the caller sent none), the hook's ctx.logger or a failure's log line.
    const requestId = meta.requestId ?? new DeferredRequestId();
    const log = new DeferredLogger(logger, requestId, endpoint.name);

    checkInput(validators, endpoint, input, meta);
    const hook = hooks.get(endpoint.name);
    if (!hook) throw new NotImplemented(endpoint.name);

    const { deadline } = meta;
    if (deadline !== null && deadline <= Date.now()) throw new Timeout(`deadline passed before ${endpoint.name} started`);
    // Without a deadline only the caller can abort: its signal is the hook's. With one, the hook's
    // signal aborts with whichever comes first, and is only made if the hook asks for it.
    const guard = deadline === null ? null : new DeadlineGuard(deadline, meta, endpoint);

    const ctx = contextFor({
      operation: endpoint.name,
      requestId,
      logger: log,
      caller: meta.caller,
      deadline,
      signal: guard ?? meta.signal,
    });
    try {
      const output = guard ? await guard.run(() => hook(input, ctx)) : await hook(input, ctx);
      if (checkOutput) warnOnBadOutput(validators, endpoint, output, log.make());
      return output;
    } catch (err) {
      throw toContractError(err, endpoint, log.make());
    } finally {
      guard?.dispose();
    }
  };
}

/**
 * The hook's run under the caller's deadline: its signal (made on first use) aborts at the deadline
 * with a Timeout or when the caller's signal aborts, and `run` rejects with that Timeout at the
 * deadline even when the hook does not listen. With a cancellation (which aborts at the deadline at
 * the latest) there is no timer of its own: a Timeout reason from it is the deadline passing.
 */
class DeadlineGuard implements DeferredField<AbortSignal> {
  #controller: AbortController | undefined;
  #aborted = false;
  #reason: unknown;
  #expire: ((error: Timeout) => void) | undefined;
  #expired: Timeout | undefined;
  readonly #timer: NodeJS.Timeout | undefined;
  readonly #caller: AbortSignal;
  readonly #forward: (() => void) | undefined;
  readonly #unfollow: (() => void) | undefined;
  readonly #operation: string;

  constructor(deadline: number, meta: InvocationMeta, endpoint: EndpointDescriptor) {
    // Following the caller needs its signal: a deferred one is made here, for requests with a deadline only.
    const caller = signalOf(meta.signal);
    this.#caller = caller;
    this.#operation = endpoint.name;
    const { cancellation } = meta;
    if (cancellation) {
      this.#unfollow = cancellation.onAbort((reason) => {
        if (reason instanceof Timeout) this.#expireNow();
        else this.#abort(reason);
      });
    } else {
      this.#timer = setTimeout(() => this.#expireNow(), deadline - Date.now());
    }
    if (caller.aborted) this.#abort(caller.reason);
    else if (caller !== NEVER_CANCELLED) {
      this.#forward = () => this.#abort(caller.reason);
      caller.addEventListener('abort', this.#forward, { once: true });
    }
  }

  #expireNow(): void {
    const error = new Timeout(`${this.#operation} did not finish before the caller's deadline`);
    this.#abort(error);
    this.#expired = error;
    this.#expire?.(error);
  }

  /** The hook's signal (ctx.signal), made on first use. */
  make(): AbortSignal {
    if (!this.#controller) {
      this.#controller = new AbortController();
      if (this.#aborted) this.#controller.abort(this.#reason);
    }
    return this.#controller.signal;
  }

  #abort(reason: unknown): void {
    if (this.#aborted) return;
    this.#aborted = true;
    this.#reason = reason;
    this.#controller?.abort(reason);
  }

  /** Settles like `work`, or rejects with the Timeout at the deadline, whichever comes first. */
  run(work: () => unknown): Promise<unknown> {
    if (this.#expired) return Promise.reject(this.#expired);
    return new Promise((resolve, reject) => {
      this.#expire = reject;
      // Subscribed at once, so a late rejection is not left unhandled.
      Promise.resolve().then(work).then(resolve, reject);
    });
  }

  dispose(): void {
    if (this.#timer) clearTimeout(this.#timer);
    if (this.#forward) this.#caller.removeEventListener('abort', this.#forward);
    this.#unfollow?.();
  }
}

function signalOf(signal: AbortSignal | DeferredField<AbortSignal>): AbortSignal {
  return signal instanceof AbortSignal ? signal : signal.make();
}

/** A request id made on first use, for a request that came without one. */
class DeferredRequestId implements DeferredField<string> {
  #id: string | undefined;

  make(): string {
    return (this.#id ??= randomUUID());
  }
}

/** The request's logger (a child of the service's), made on first use. */
class DeferredLogger implements DeferredField<Logger> {
  #logger: Logger | undefined;
  readonly #parent: Logger;
  readonly #requestId: string | DeferredRequestId;
  readonly #operation: string;

  constructor(parent: Logger, requestId: string | DeferredRequestId, operation: string) {
    this.#parent = parent;
    this.#requestId = requestId;
    this.#operation = operation;
  }

  make(): Logger {
    const requestId = this.#requestId;
    return (this.#logger ??= this.#parent.child({ requestId: typeof requestId === 'string' ? requestId : requestId.make(), operation: this.#operation }));
  }
}

function toContractError(err: unknown, endpoint: EndpointDescriptor, log: Logger): MeshError {
  if (isMeshError(err)) {
    if (Object.hasOwn(endpoint.errors, err.code)) return err;
    if (PASSTHROUGH.has(err.code)) {
      // The cause (a callee's address, a library's text) is for this log only; the caller gets the message.
      if (err.code !== 'NotImplemented') log.warn({ code: err.code, reason: err.message, ...(err.cause === undefined ? {} : { err: err.cause }) }, `${endpoint.name} failed: ${err.message}`);
      return err;
    }
    log.error({ err }, `contract violation: ${endpoint.name} threw ${err.code}, which it does not declare; answering 500`);
    return new InternalError();
  }
  log.error({ err }, `${endpoint.name} failed with an unexpected error; answering 500`);
  return new InternalError();
}

function warnOnBadOutput(validators: Validators, endpoint: EndpointDescriptor, output: unknown, log: Logger): void {
  const shape = endpoint.output;
  if (shape === null) return;
  if (shape.list && !Array.isArray(output)) {
    log.warn(`${endpoint.name} returned a non-array where ${shape.type}[] is declared`);
    return;
  }
  const items = shape.list ? (output as unknown[]) : [output];
  for (let i = 0; i < items.length; i++) {
    const result = validators.validate(shape.type, items[i]);
    if (!result.ok) {
      const where = shape.list ? ` (item ${i})` : '';
      log.warn({ issues: result.issues, total: result.total }, `${endpoint.name} returned output that does not match ${shape.type}${where}: ${describeIssues(result.issues, result.total, result.partial)}`);
      return;
    }
  }
}
