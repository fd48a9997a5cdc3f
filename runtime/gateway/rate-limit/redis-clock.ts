// Redis's clock as the scripts read it, so every gateway replica measures windows and refills against
// one clock whatever its own says (clocks of replicas drift and jump).

/** Lua defining `now`: Redis's time in whole ms since the epoch. */
export const REDIS_NOW = `local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)`;
