// What the spec's `http` settings mean where a spec leaves a key out, and the binding names the
// language maps to. They equal the runtime's HttpBindingName (runtime/service/definition.ts), which
// the generator may not import (test/unit/model/http-binding.test.ts holds the two together).

/**
 * The HTTP bindings a service may be served by: `node` (the runtime's own, on node:http) and
 * `express` (Express 5, for Express middleware on extra routes).
 *
 * @example
 * HTTP_BINDINGS.includes('express') // true
 */
export const HTTP_BINDINGS = ['node', 'express'] as const;

/** An HTTP binding's name, as the spec and the runtime write it. */
export type HttpBinding = (typeof HTTP_BINDINGS)[number];

/**
 * The binding of a service whose file and mesh file name none: the faster one, since hooks never see
 * the request and gain nothing from Express.
 *
 * @example
 * const binding: HttpBinding = raw.http?.binding ?? mesh.runtime?.http?.binding ?? DEFAULT_HTTP_BINDING;
 */
export const DEFAULT_HTTP_BINDING: HttpBinding = 'node';

/**
 * The largest request body a service reads when the spec's `runtime.bodyLimit` is left out (and the
 * gateway's when `gateway.bodyLimit` is).
 *
 * @example
 * const limit = parseSize(mesh.runtime?.bodyLimit ?? DEFAULT_BODY_LIMIT);
 */
export const DEFAULT_BODY_LIMIT = '1mb';
