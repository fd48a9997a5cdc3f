// From an assembled input to the answer, shared by both bindings: the invocation meta from the
// mesh's headers, the abort signal, the success status and the error mapping.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { InternalError, isMeshError } from '../errors/index.js';
import type { EndpointDescriptor } from '../service/definition.js';
import type { InvocationMeta, Invoke } from '../service/invoke.js';
import { DisconnectSignal } from './disconnect.js';
import { UNSIGNED_TRUST, type CallerTrust } from '../identity/trust.js';
import { callerOfRequest, DEADLINE_HEADER, deadlineFrom, IDEMPOTENCY_KEY_HEADER } from './headers.js';
import type { AssembledInput } from './params.js';
import { sendEmpty, sendError, sendJson } from './respond.js';
import { sagaAccepted } from '../saga/accepted.js';

/**
 * Answers one request to an endpoint; `input` builds its input (and may throw a MeshError).
 *
 * @example
 * const respond: EndpointResponder = createEndpointResponder(endpoint, invoke, logger);
 */
export type EndpointResponder = (req: IncomingMessage, res: ServerResponse, requestId: string, input: () => AssembledInput) => Promise<void>;

/**
 * Prepares the answering of one endpoint.
 *
 * @param endpoint - the endpoint answered
 * @param invoke - the service's Invoke
 * @param logger - for failures of the binding itself (invoke logs the hook's)
 * @param trust - which caller identity is believed (default: the unsigned header, development)
 * @example
 * const respond = createEndpointResponder(endpoint, invoke, logger);
 * await respond(req, res, requestId, () => assemble(params, query, body));
 */
export function createEndpointResponder(endpoint: EndpointDescriptor, invoke: Invoke, logger: Logger, trust: CallerTrust = UNSIGNED_TRUST): EndpointResponder {
  const { successStatus } = endpoint;
  const hasOutput = endpoint.output !== null;
  const startsSaga = endpoint.startsSaga !== undefined;
  return async (req, res, requestId, input) => {
    try {
      const meta: InvocationMeta = {
        requestId,
        deadline: deadlineFrom(req.headers[DEADLINE_HEADER]),
        caller: callerOfRequest(req, trust),
        signal: new DisconnectSignal(res),
      };
      const key = req.headers[IDEMPOTENCY_KEY_HEADER];
      if (typeof key === 'string') meta.idempotencyKey = key;
      const { value, checked } = input();
      if (checked) meta.inputChecked = true;
      const output = await invoke(endpoint, value, meta);
      // A saga still in flight: 202, and where its status is (the endpoint's own status otherwise).
      const accepted = startsSaga ? sagaAccepted(endpoint, output) : null;
      if (accepted) {
        if (accepted.location !== null) res.setHeader('location', accepted.location);
        sendJson(res, accepted.status, output);
      } else if (hasOutput) sendJson(res, successStatus, output ?? null);
      else sendEmpty(res, successStatus);
    } catch (err) {
      if (isMeshError(err)) {
        sendError(res, err, requestId);
        return;
      }
      // invoke rejects only with MeshErrors: this is a failure here (e.g. unserializable output), kept out of the response.
      logger.error({ err, requestId, operation: endpoint.name }, 'HTTP binding failed');
      sendError(res, new InternalError(), requestId);
    }
  };
}
