// One endpoint as an OpenAPI operation.
import type { EndpointModel, MeshModel, ServiceModel } from '../../model/types.js';
import { inputRecord, operationInput } from './request.js';
import { operationResponses, type ResponseContext, successResponse } from './responses.js';
import { operationShape } from './runtime-errors.js';
import type { Operation } from './types.js';

export function buildOperation(model: MeshModel, service: ServiceModel, endpoint: EndpointModel, context: ResponseContext): Operation {
  const { parameters, requestBody } = operationInput(model, service, endpoint);
  const shape = operationShape(endpoint, inputRecord(model, service, endpoint));
  return {
    operationId: endpoint.name,
    summary: humanize(endpoint.name),
    ...(endpoint.description === undefined ? {} : { description: endpoint.description }),
    tags: [service.name],
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(requestBody ? { requestBody } : {}),
    responses: operationResponses(endpoint, shape, successResponse(model, service, endpoint), context),
    ...(endpoint.emits.length > 0 ? { 'x-emits': [...endpoint.emits] } : {}),
  };
}

/** `createOrderItem` -> `Create order item`: a readable default summary. */
export function humanize(name: string): string {
  const words = name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}
