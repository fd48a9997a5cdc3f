// The request and response message of each rpc (ARCHITECTURE.md, "gRPC contract"):
// - a declared input record travels whole: `CreateOrderRequest { CreateOrder create_order = 1; }`;
//   an endpoint without `input` has its path params as the request's own fields;
// - an output record travels whole: `GetOrderResponse { Order order = 1; }`; a list as
//   `repeated Order items = 1`; no output, an empty message.
// Wrapping keeps each record one message that evolves in one place, whatever rpcs carry it.
import { resolveRecord } from '../../model/lookup.js';
import type { EndpointModel, FieldModel, MeshModel, ServiceModel } from '../../model/types.js';
import { rpcFields, rpcMessageNames } from '../../naming/index.js';
import type { MessageShape } from './messages.js';

export interface RpcShape {
  endpoint: EndpointModel;
  request: MessageShape;
  response: MessageShape;
}

export function rpcShapes(model: MeshModel, service: ServiceModel): RpcShape[] {
  return service.endpoints.map((endpoint) => {
    const names = rpcMessageNames(endpoint.name);
    const fields = rpcFields(endpoint);
    // Both must be records; resolving them says so, or fails as the generator bug it would be.
    const input = resolveRecord(model, service.name, endpoint.input);
    const output = endpoint.output && { ...endpoint.output, record: resolveRecord(model, service.name, endpoint.output.type) };
    const request: MessageShape = fields.request
      ? { name: names.request, fields: [single(fields.request.json, input.name, false)], reserved: [] }
      : { name: names.request, fields: input.fields, reserved: input.reserved };
    const response: MessageShape = {
      name: names.response,
      fields: fields.response && output ? [single(fields.response.json, output.record.name, output.list)] : [],
      reserved: [],
    };
    return { endpoint, request, response };
  });
}

/** Field 1 carrying a record, or (`list`) a repeated one. */
function single(field: string, type: string, list: boolean): FieldModel {
  const ref = { kind: 'ref', name: type } as const;
  return { name: field, number: 1, optional: false, type: list ? { kind: 'array', items: ref } : ref, constraints: {} };
}
