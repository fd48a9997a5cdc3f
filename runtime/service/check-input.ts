// The input checks every invoke makes before it acts, whatever answers the endpoint (a hook, or a
// saga it starts): the input against the endpoint's type, and the path params a URL can carry.
import { invalidInput } from '../validation/issues.js';
import type { Validators } from '../validation/types.js';
import type { EndpointDescriptor } from './definition.js';
import type { InvocationMeta } from './invoke.js';
import { pathParamIssues } from './path-params.js';

/**
 * Throws ValidationFailed (400) when `input` does not fit `endpoint`: its type (unless the transport
 * already checked it, `meta.inputChecked`) and its path params.
 *
 * @param validators - the service's strict validators
 * @param endpoint - the endpoint called
 * @param input - the input as received
 * @param meta - the invocation's meta (`inputChecked`)
 * @example
 * checkInput(validators, endpoint, input, meta); // throws on a bad input
 */
export function checkInput(validators: Validators, endpoint: EndpointDescriptor, input: unknown, meta: Pick<InvocationMeta, 'inputChecked'>): void {
  if (!meta.inputChecked) {
    const checked = validators.validate(endpoint.input, input);
    if (!checked.ok) throw invalidInput(checked.issues, checked.total, checked.partial);
  }
  const segments = pathParamIssues(endpoint.pathParams, input);
  if (segments.length > 0) throw invalidInput(segments);
}
