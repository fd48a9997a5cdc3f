// The OpenAPI object types this emitter builds. openapi-types' 3.1 objects still embed 3.0 ones
// (3.1's ParameterObject is 3.0's; PathItemObject intersects the 3.0 and 3.1 shapes), so each piece
// is typed to fit both. Ours do: they use no keyword whose form changed between the versions.
import type { OpenAPIV3, OpenAPIV3_1 } from 'openapi-types';

/** Vendor extension: the events an endpoint may publish (the spec's `emits`). */
export interface OperationExtensions {
  'x-emits'?: string[];
}

export type Schema = OpenAPIV3_1.SchemaObject & OpenAPIV3.SchemaObject;
export type Parameter = OpenAPIV3_1.ParameterObject;
export type RequestBody = OpenAPIV3_1.RequestBodyObject & OpenAPIV3.RequestBodyObject;
export type Responses = OpenAPIV3_1.ResponsesObject & OpenAPIV3.ResponsesObject;
export type Response = OpenAPIV3_1.ResponseObject & OpenAPIV3.ResponseObject;
export type Reference = OpenAPIV3_1.ReferenceObject & OpenAPIV3.ReferenceObject;
export type Link = OpenAPIV3_1.LinkObject & OpenAPIV3.LinkObject;
export type Operation = OpenAPIV3_1.OperationObject<OperationExtensions> & OpenAPIV3.OperationObject<OperationExtensions>;
export type OpenApiDocument = OpenAPIV3_1.Document<OperationExtensions>;
