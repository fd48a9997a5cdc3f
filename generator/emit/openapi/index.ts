// The OpenAPI emitter: `openapi/<service>.openapi.yaml`, one OpenAPI 3.1 document per service.
// YAML rather than JSON so the writer can put its `#` header comment on top.
import { stringify } from 'yaml';
import type { Emitter } from '../types.js';
import { compare } from '../../model/order.js';
import { outputFiles } from '../../naming/index.js';
import { buildOpenApiDocument } from './document.js';
import { buildGatewayDocument, gatewayFront } from './gateway-document.js';
import type { OpenApiDocument } from './types.js';

export { buildOpenApiDocument } from './document.js';
export type { OpenApiDocument } from './types.js';

export const emitOpenApi: Emitter = (model) => {
  const files = model.services.map((service) => ({
    path: outputFiles.openApi(service.name),
    content: toYaml(buildOpenApiDocument(model, service)),
    // Mesh-level types and the mesh version come from the mesh file.
    sources: [...new Set([model.meshFile, service.file])].sort(compare),
  }));
  if (model.gateway === null) return files;
  const routed = new Set(model.gateway.routes.map((route) => route.service));
  const sources = [model.meshFile, ...model.services.filter((s) => routed.has(s.name)).map((s) => s.file)];
  return [...files, { path: outputFiles.gatewayOpenApiDocument, content: toYaml(buildGatewayDocument(model, gatewayFront(model))), sources: [...new Set(sources)].sort(compare) }];
};

function toYaml(document: OpenApiDocument): string {
  return stringify(document, {
    // Key order is decided by the builder; no anchors/aliases, no folding of long lines.
    aliasDuplicateObjects: false,
    lineWidth: 0,
    // Quote every string a YAML 1.1 reader (PyYAML, many tools) would take for something else
    // (`2024-05-01T12:00:00Z` a timestamp, `yes` a boolean); YAML 1.2 reads the result the same.
    version: '1.1',
  });
}
