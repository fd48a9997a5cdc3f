// Endpoint descriptors for tests that build a service definition by hand: what a generated definition
// derives from the path and name (path params, the gRPC method), plus the defaults a fixture picks.
import type { EndpointDescriptor } from '../../runtime/service/definition.js';

/** What a test endpoint must say; anything else of EndpointDescriptor overrides the defaults. */
export type EndpointSketch = Partial<EndpointDescriptor> & Pick<EndpointDescriptor, 'name' | 'method' | 'path' | 'input'>;

/** A fixture's defaults: its output type and how the gRPC request and response carry input and output. */
export interface EndpointDefaults {
  output: EndpointDescriptor['output'];
  grpcRequest: string | null | ((sketch: EndpointSketch) => string | null);
  grpcResponse: string | null;
}

/**
 * An endpoint descriptor: path params read from `{param}` placeholders, no input source, status 200,
 * no declared errors, the gRPC method named like the endpoint; `sketch` overrides any of it.
 *
 * @param sketch name, method, path and input, and any override.
 * @param defaults output and gRPC request/response fields of the fixture.
 * @example
 * const getThing = testEndpoint({ name: 'getThing', method: 'GET', path: '/things/{id}', input: 'GetThing' }, { output: { type: 'Thing', list: false }, grpcRequest: null, grpcResponse: 'thing' });
 */
export function testEndpoint(sketch: EndpointSketch, defaults: EndpointDefaults): EndpointDescriptor {
  const request = typeof defaults.grpcRequest === 'function' ? defaults.grpcRequest(sketch) : defaults.grpcRequest;
  return {
    pathParams: [...sketch.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1] as string),
    inputSource: 'none',
    successStatus: 200,
    output: defaults.output,
    errors: {},
    grpc: { method: sketch.name.charAt(0).toUpperCase() + sketch.name.slice(1), request, response: defaults.grpcResponse },
    ...sketch,
  };
}
