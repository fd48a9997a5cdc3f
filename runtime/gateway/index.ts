// The API gateway: a reverse proxy from public path prefixes to the mesh's services.
export { createGateway, type Gateway, type GatewayOptions } from './gateway.js';
export { RESERVED_PATHS } from './proxy.js';
export { REPLAYABLE_BODY_BYTES } from './retry.js';
export { runGateway, type RunningGateway } from './run.js';
export { clientIp, clientKey } from './client-ip.js';
export { DEFAULT_GATEWAY_LIMITS, type GatewayLimits } from './limits.js';
export { createRateLimiter, rateLimitHeaders, type RateLimitDecision, type RateLimiter, type RateLimiterOptions } from './rate-limit/index.js';
export type { GatewayAuth, GatewayConfig, GatewayCors, GatewayRateLimit, GatewayRoute } from './types.js';
export { GATEWAY_METHODS, type GatewayMethod } from './route-methods.js';
