// The API gateway: a reverse proxy from public path prefixes to the mesh's services.
export { createGateway, type Gateway, type GatewayOptions } from './gateway.js';
export { RESERVED_PATHS } from './proxy.js';
export { runGateway, type RunningGateway } from './run.js';
export type { GatewayConfig, GatewayRoute } from './types.js';
