// The Invoke every transport calls: validate, run the hook under the caller's deadline, and turn
// whatever it throws into an error the endpoint's contract allows.
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { passthroughErrorCodes } from '../../common/errors.js';
import { InternalError, isMeshError, NotImplemented, Timeout, ValidationFailed, type MeshError } from '../errors/index.js';
import { describeIssues } from '../validation/issues.js';
import type { Validators } from '../validation/types.js';
import type { AnyHandlerContext, ContextFactory, ContextFields } from './context.js';
import type { EndpointDescriptor, ServiceDefinition } from './definition.js';
import type { Invoke } from './invoke.js';
import { pathParamIssues } from './path-params.js';

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
    const requestId = meta.requestId ?? randomUUID();

    const checked = validators.validate(endpoint.input, input);
    if (!checked.ok) throw new ValidationFailed(`invalid input: ${describeIssues(checked.issues)}`, checked.issues);
    const segments = pathParamIssues(endpoint.pathParams, input);
    if (segments.length > 0) throw new ValidationFailed(`invalid input: ${describeIssues(segments)}`, segments);
    const hook = hooks.get(endpoint.name);
    if (!hook) throw new NotImplemented(endpoint.name);

    const { deadline } = meta;
    if (deadline !== null && deadline <= Date.now()) throw new Timeout(`deadline passed before ${endpoint.name} started`);
    // Without a deadline only the caller can abort: its signal is the hook's. With one, a controller
    // of our own is aborted by whichever comes first.
    let controller: AbortController | null = null;
    let forward: (() => void) | null = null;
    if (deadline !== null) {
      const own = new AbortController();
      controller = own;
      forward = () => own.abort(meta.signal.reason);
      if (meta.signal.aborted) own.abort(meta.signal.reason);
      else meta.signal.addEventListener('abort', forward, { once: true });
    }

    let child: Logger | undefined;
    const fields: ContextFields = {
      operation: endpoint.name,
      requestId,
      // The child logger is made when a line is written: most calls write none.
      get logger() {
        return (child ??= logger.child({ requestId, operation: endpoint.name }));
      },
      caller: meta.caller,
      deadline,
      signal: controller ? controller.signal : meta.signal,
    };
    const ctx = contextFor(fields);
    try {
      const output = controller ? await runUntil(deadline!, controller, endpoint, () => hook(input, ctx)) : await hook(input, ctx);
      if (checkOutput) warnOnBadOutput(validators, endpoint, output, fields.logger);
      return output;
    } catch (err) {
      throw toContractError(err, endpoint, fields.logger);
    } finally {
      if (forward) meta.signal.removeEventListener('abort', forward);
    }
  };
}

async function runUntil(
  deadline: number,
  controller: AbortController,
  endpoint: EndpointDescriptor,
  run: () => unknown,
): Promise<unknown> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = new Timeout(`${endpoint.name} did not finish before the caller's deadline`);
      controller.abort(error);
      reject(error);
    }, deadline - Date.now());
  });
  try {
    // Racing subscribes to the hook's promise, so a late rejection is not left unhandled.
    return await Promise.race([Promise.resolve().then(run), expired]);
  } finally {
    clearTimeout(timer);
  }
}

function toContractError(err: unknown, endpoint: EndpointDescriptor, log: Logger): MeshError {
  if (isMeshError(err)) {
    if (Object.hasOwn(endpoint.errors, err.code)) return err;
    if (PASSTHROUGH.has(err.code)) {
      if (err.code !== 'NotImplemented') log.warn({ code: err.code, reason: err.message }, `${endpoint.name} failed: ${err.message}`);
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
      log.warn({ issues: result.issues }, `${endpoint.name} returned output that does not match ${shape.type}${where}: ${describeIssues(result.issues)}`);
      return;
    }
  }
}
