// Where an endpoint's input travels: path placeholders, the query string, or a JSON body.
// The input record is split accordingly, so a body never requires a field that is in the path.
import { resolveRecord } from '../../model/lookup.js';
import type { EndpointModel, FieldModel, MeshModel, RecordTypeModel, ServiceModel } from '../../model/types.js';
import { fieldToJsonSchema, typeToJsonSchema } from '../../model/json-schema.js';
import { isPathSegment } from '../../../common/path-segments.js';
import { fieldExample, fieldsExample } from './examples.js';
import { feedingField, resourceAt } from './links.js';
import { componentRef, toOpenApiSchema } from './schemas.js';
import type { Parameter, RequestBody } from './types.js';

export interface OperationInput {
  parameters: Parameter[];
  requestBody: RequestBody | null;
}

export function inputRecord(model: MeshModel, service: ServiceModel, endpoint: EndpointModel): RecordTypeModel {
  return resolveRecord(model, service.name, endpoint.input);
}

export function operationInput(model: MeshModel, service: ServiceModel, endpoint: EndpointModel): OperationInput {
  const record = inputRecord(model, service, endpoint);
  const { pathParams, inputSource } = endpoint.http;

  const parameters = pathParams.map((name) => parameter(model, record, fieldNamed(record, name), 'path', pathParamExample(model, service, endpoint, name)));
  const rest = record.fields.filter((f) => !pathParams.includes(f.name));
  if (inputSource === 'query') parameters.push(...rest.map((f) => parameter(model, record, f, 'query')));

  const requestBody = inputSource === 'body' && rest.length > 0 ? body(model, record, rest, pathParams.length > 0) : null;
  return { parameters, requestBody };
}

function fieldNamed(record: RecordTypeModel, name: string): FieldModel {
  const field = record.fields.find((f) => f.name === name);
  if (!field) throw new Error(`openapi: path param ${name} is not a field of ${record.name}`);
  return field;
}

/**
 * A path param without an example of its own borrows the example of the field that would feed it in
 * a link from the resource the path names there (links.ts): `{id}` of `/orders/{id}` takes
 * `Order.id`'s.
 */
function pathParamExample(model: MeshModel, service: ServiceModel, endpoint: EndpointModel, param: string): unknown {
  const resource = resourceAt(model, service, endpoint.http.path, param);
  const example = resource && feedingField(model, service, endpoint, param, resource)?.example;
  // A fine example of the field (an empty string, say) may be no value a URL can carry.
  return isPathSegment(example) ? example : undefined;
}

function parameter(model: MeshModel, record: RecordTypeModel, field: FieldModel, where: 'path' | 'query', fallbackExample?: unknown): Parameter {
  // The description goes on the parameter, where documentation tools show it; so does the example.
  const { description, examples: _, ...schema } = fieldToJsonSchema(field, componentRef);
  // An empty path segment addresses another resource (`/orders/` is the list): never this operation.
  if (where === 'path' && schema.type === 'string' && (schema.minLength ?? 0) < 1) schema.minLength = 1;
  const example = fieldExample(model, record.owner, field) ?? fallbackExample;
  return {
    name: field.name,
    in: where,
    // Path params are always required (OpenAPI demands it; the model guarantees it).
    required: where === 'path' || !field.optional,
    ...(description === undefined ? {} : { description }),
    schema: toOpenApiSchema(schema),
    ...(example === undefined ? {} : { example }),
  };
}

/**
 * The body is the input record minus its path fields. With no path params that is the record
 * itself, referenced; otherwise an inline copy without them (an allOf over the record would
 * still require them and, being closed, reject them).
 */
function body(model: MeshModel, record: RecordTypeModel, fields: FieldModel[], hasPathParams: boolean): RequestBody {
  const schema = hasPathParams
    ? toOpenApiSchema(typeToJsonSchema({ ...record, fields }, componentRef))
    : toOpenApiSchema({ $ref: componentRef(record.name) });
  const example = fieldsExample(model, record.owner, fields);
  return {
    required: fields.some((f) => !f.optional),
    content: { 'application/json': { schema, ...(example === undefined ? {} : { example }) } },
  };
}
