// One service's OpenAPI 3.1 document, as a plain object.
import type { HttpMethod, MeshModel, ServiceModel } from '../../model/types.js';
import { buildOperation } from './operation.js';
import { compare } from '../../model/order.js';
import type { ResponseContext } from './responses.js';
import { componentSchemas, errorSchemaName } from './schemas.js';
import type { OpenApiDocument, Operation } from './types.js';
type PathItem = Partial<Record<Lowercase<HttpMethod>, Operation>>;

// The order the OpenAPI specification lists a path item's operations in.
const methodOrder: Lowercase<HttpMethod>[] = ['get', 'put', 'post', 'delete', 'patch'];

export function buildOpenApiDocument(model: MeshModel, service: ServiceModel): OpenApiDocument {
  const errorSchema = errorSchemaName(model, service);
  const description = service.description ?? `The ${service.name} service of the ${model.name} mesh.`;

  const context: ResponseContext = { errorSchema, bodyLimitBytes: model.runtime.bodyLimitBytes, shared: new Map() };
  const byPath = new Map<string, PathItem>();
  for (const endpoint of service.endpoints) {
    const item = byPath.get(endpoint.http.path) ?? {};
    item[lower(endpoint.http.method)] = buildOperation(model, service, endpoint, context);
    byPath.set(endpoint.http.path, item);
  }
  const paths: Record<string, PathItem> = {};
  for (const path of [...byPath.keys()].sort(compare)) {
    const item = byPath.get(path) ?? {};
    paths[path] = Object.fromEntries(methodOrder.filter((m) => item[m]).map((m) => [m, item[m]]));
  }

  return {
    openapi: '3.1.0',
    info: { title: `${model.name} ${service.name}`, version: model.version, description },
    servers: [{ url: `http://localhost:${service.ports.http}`, description: 'The service on a developer machine.' }],
    tags: [{ name: service.name, description }],
    paths,
    components: {
      schemas: componentSchemas(model, service, [paths, [...context.shared.values()]], errorSchema),
      responses: Object.fromEntries([...context.shared].sort(([a], [b]) => compare(a, b))),
    },
  };
}

function lower(method: HttpMethod): Lowercase<HttpMethod> {
  return method.toLowerCase() as Lowercase<HttpMethod>;
}
