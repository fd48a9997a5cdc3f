// What the log (and so the /sagas routes) keeps of a failed attempt: a MeshError's code and message,
// which the callee meant callers to see; of anything else only its kind, never its text, which may
// carry an internal address (the full error goes to the orchestrator's log).
import { boundText, MeshError } from '../errors/index.js';
import type { FailureKind } from '../resilience/classify.js';

const MAX_STEP_MESSAGE_CHARS = 300;

const CODE_OF_KIND: Partial<Record<FailureKind, string>> = {
  unavailable: 'Unavailable',
  timeout: 'Timeout',
  badGateway: 'BadGateway',
  rateLimited: 'TooManyRequests',
  deadline: 'DeadlineExceeded',
  circuitOpen: 'CircuitOpen',
  bulkheadFull: 'BulkheadFull',
};

/**
 * The code and message a failed attempt leaves in the log.
 *
 * @param error - what the step rejected with
 * @param kind - its classification
 * @example
 * stepError(new Conflict('out of stock'), 'rejected'); // { code: 'Conflict', message: 'out of stock' }
 */
export function stepError(error: unknown, kind: FailureKind): { code: string; message: string } {
  if (error instanceof MeshError) return { code: error.code, message: boundText(error.message, MAX_STEP_MESSAGE_CHARS) };
  const code = CODE_OF_KIND[kind] ?? 'Internal';
  return { code, message: `the call failed (${kind}); see the service's log` };
}
