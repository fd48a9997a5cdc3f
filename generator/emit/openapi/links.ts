// OpenAPI links: a response whose record identifies a resource that other operations of the same
// service address by path (`createOrder` -> `getOrder`, `cancelOrder` with `id: $response.body#/id`).
// Clients, docs and fuzzers follow them from a create to the operations on what it created.
//
// The rule (ARCHITECTURE.md "OpenAPI contract"): a response record R feeds a path parameter when
// - `{id}`: R is the resource the path names there, i.e. what `GET` on the path cut after `{id}`
//   returns, and R has an `id` field;
// - `{fooId}` (or any other name): R has a field of that name, or R is the type `Foo` and has `id`.
// The field must be required and of the parameter's scalar type. An operation is linked when every
// one of its path parameters is fed, and never to itself. Lists are not linked: `$response.body#/0`
// would name one arbitrary item. An endpoint that starts a saga links to the endpoint that answers
// that saga's status, its one parameter fed by the returned status's `sagaId`.
import { keyOf, resolveRecord, resolveType } from '../../model/lookup.js';
import type { EndpointModel, FieldModel, MeshModel, RecordTypeModel, ServiceModel, TypeRef } from '../../model/types.js';
import { pascalCase } from '../../naming/index.js';
import type { Link } from './types.js';

const BODY = '$response.body#/';

/** The links of `source`'s success response, by target operation id; empty when there are none. */
export function operationLinks(model: MeshModel, service: ServiceModel, source: EndpointModel): Record<string, Link> {
  const output = source.output;
  if (!output || output.list || source.http.successStatus === 204) return {};
  const record = resolveType(model, service.name, output.type);
  if (record.kind !== 'record') return {};

  const links: Record<string, Link> = {};
  for (const target of service.endpoints) {
    if (target === source || target.http.pathParams.length === 0) continue;
    if (target.sagaStatus !== undefined && target.sagaStatus === source.startsSaga?.saga) {
      const param = target.http.pathParams[0]!;
      links[target.name] = { operationId: target.name, parameters: { [param]: `${BODY}sagaId` }, description: `${target.name} with \`${param}\` = the returned status's \`sagaId\`.` };
      continue;
    }
    const parameters: Record<string, string> = {};
    for (const param of target.http.pathParams) {
      const field = feedingField(model, service, target, param, record);
      if (!field) break;
      parameters[param] = BODY + field.name;
    }
    if (Object.keys(parameters).length !== target.http.pathParams.length) continue;
    const fed = Object.entries(parameters).map(([param, value]) => `\`${param}\` = the returned ${record.name}'s \`${value.slice(BODY.length)}\``);
    links[target.name] = { operationId: target.name, parameters, description: `${target.name} with ${fed.join(' and ')}.` };
  }
  return links;
}

/** The field of `record` that feeds path parameter `param` of `target`, if the rule finds one. */
export function feedingField(model: MeshModel, service: ServiceModel, target: EndpointModel, param: string, record: RecordTypeModel): FieldModel | undefined {
  const required = (name: string) => record.fields.find((f) => f.name === name && !f.optional);
  let field: FieldModel | undefined;
  if (param === 'id') {
    const resource = resourceAt(model, service, target.http.path, param);
    field = resource && keyOf(resource) === keyOf(record) ? required('id') : undefined;
  } else {
    field = required(param) ?? (param.endsWith('Id') && pascalCase(param.slice(0, -2)) === record.name ? required('id') : undefined);
  }
  const input = resolveRecord(model, service.name, target.input).fields.find((f) => f.name === param);
  return field && input && sameScalar(field.type, input.type) ? field : undefined;
}

/** The record `GET` on `path` cut after `{param}` returns: the resource that parameter names. */
export function resourceAt(model: MeshModel, service: ServiceModel, path: string, param: string): RecordTypeModel | undefined {
  const placeholder = `{${param}}`;
  const prefix = path.slice(0, path.indexOf(placeholder) + placeholder.length);
  const get = service.endpoints.find((e) => e.http.method === 'GET' && e.http.path === prefix && e.output !== null && !e.output.list);
  if (!get?.output) return undefined;
  const type = resolveType(model, service.name, get.output.type);
  return type.kind === 'record' ? type : undefined;
}

function sameScalar(a: TypeRef, b: TypeRef): boolean {
  return a.kind === 'primitive' && b.kind === 'primitive' && a.name === b.name;
}
