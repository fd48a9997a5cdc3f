// The Secrets the gateway's security settings need on Kubernetes, by reference only: the operator
// creates them (README, "Gateway secrets"), so no key, password or default secret is ever in a
// manifest. The JWT key from `<mesh>-gateway-auth`, the rate limits' Redis URL from
// `<mesh>-rate-limit`, and the identity keys from `<mesh>-identity`, which the gateway signs with
// and every service verifies with.
import { IDENTITY_KEYS_VARIABLE, RATE_LIMIT_REDIS_VARIABLE } from '../../model/gateway-security.js';
import type { GatewayModel, MeshModel, SecretRefModel } from '../../model/types.js';

/**
 * The Secret with the gateway's JWT key: one entry per variable, named after it in lower case.
 *
 * @param mesh the mesh's name
 * @example gatewayAuthSecretName('shop') // 'shop-gateway-auth'
 */
export function gatewayAuthSecretName(mesh: string): string {
  return `${mesh}-gateway-auth`;
}

/**
 * The Secret with the Redis URL of the rate limits with `store: redis`, key `url`.
 *
 * @param mesh the mesh's name
 * @example rateLimitSecretName('shop') // 'shop-rate-limit'
 */
export function rateLimitSecretName(mesh: string): string {
  return `${mesh}-rate-limit`;
}

/**
 * The Secret with MESH_IDENTITY_KEYS, key `keys`.
 *
 * @param mesh the mesh's name
 * @example identitySecretName('shop') // 'shop-identity'
 */
export function identitySecretName(mesh: string): string {
  return `${mesh}-identity`;
}

/**
 * The variable holding the gateway's JWT key (`keys: env:NAME`), if the spec names one.
 *
 * @param gateway the gateway's model
 * @example jwtKeyVariable(gateway) // 'JWT_SECRET'
 */
export function jwtKeyVariable(gateway: GatewayModel): string | undefined {
  const auth = gateway.auth;
  if (!auth || !('jwt' in auth)) return undefined;
  return auth.jwt.secretEnv ?? auth.jwt.publicKeyEnv;
}

/**
 * Whether the gateway's limit or any route's keeps its counts in Redis.
 *
 * @param gateway the gateway's model
 * @example usesRedisRateLimit({ ...gateway, rateLimit: { ...limit, store: 'redis' } }) // true
 */
export function usesRedisRateLimit(gateway: GatewayModel): boolean {
  return gateway.rateLimit?.store === 'redis' || gateway.routes.some((r) => typeof r.rateLimit === 'object' && r.rateLimit.store === 'redis');
}

/**
 * The gateway Deployment's secret variables: its JWT key, the rate limits' Redis URL when a limit
 * uses Redis, and the identity keys when it authenticates.
 *
 * @param model the mesh (its name prefixes the Secrets)
 * @param gateway the gateway's model
 * @example gatewaySecrets(model, gateway).map((s) => s.env) // ['JWT_SECRET', 'MESH_IDENTITY_KEYS', 'RATE_LIMIT_REDIS_URL']
 */
export function gatewaySecrets(model: MeshModel, gateway: GatewayModel): SecretRefModel[] {
  const variable = jwtKeyVariable(gateway);
  return [
    ...(variable === undefined ? [] : [{ env: variable, secret: gatewayAuthSecretName(model.name), key: variable.toLowerCase() }]),
    ...(usesRedisRateLimit(gateway) ? [{ env: RATE_LIMIT_REDIS_VARIABLE, secret: rateLimitSecretName(model.name), key: 'url' }] : []),
    ...identitySecrets(model),
  ];
}

/**
 * MESH_IDENTITY_KEYS for a Deployment, when the gateway authenticates (the gateway signs the identity
 * it asserts, every service verifies it); none otherwise.
 *
 * @param model the mesh
 * @example identitySecrets(model) // [{ env: 'MESH_IDENTITY_KEYS', secret: 'shop-identity', key: 'keys' }]
 */
export function identitySecrets(model: MeshModel): SecretRefModel[] {
  if (!model.gateway?.auth) return [];
  return [{ env: IDENTITY_KEYS_VARIABLE, secret: identitySecretName(model.name), key: 'keys' }];
}
