// Trimming event streams by age. XADD takes one trimming strategy (MAXLEN or MINID, not both), so the
// bus keeps MAXLEN ~ on every XADD (a hard bound on memory whatever the publish rate) and trims by age
// with a separate XTRIM MINID ~, sent beside a publish at most once per interval per stream: the age
// limit only needs enforcing while entries are added, and checking it on every publish would double
// the commands. The threshold is computed inside Redis from its own clock (TIME), the clock that made
// the entry ids, so a publisher's skewed clock cannot trim young entries.
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';

/** KEYS[1] the stream; ARGV[1] maxAgeMs. Trims entries older than that (whole macro nodes, `~`); answers how many went. */
const TRIM_BY_AGE = `local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local minId = now - tonumber(ARGV[1])
if minId <= 0 then return 0 end
return redis.call('XTRIM', KEYS[1], 'MINID', '~', string.format('%d-0', minId))`;

type TrimScript = (stream: string, maxAgeMs: number) => Promise<number>;

/**
 * A function to call on each publish: it trims the stream by age when its interval has passed since
 * its last trim (the first call for a stream trims at once) and resolves when that is done; trimming
 * errors are logged, never thrown, since the publish itself succeeded.
 */
export function ageTrimmer(redis: Redis, maxAgeMs: number, logger: Logger): (stream: string) => Promise<void> {
  redis.defineCommand('meshspecTrimByAge', { numberOfKeys: 1, lua: TRIM_BY_AGE });
  const trim = ((redis as unknown as Record<string, TrimScript>)['meshspecTrimByAge']!).bind(redis);
  const intervalMs = Math.min(Math.ceil(maxAgeMs / 10), 1000);
  const lastTrim = new Map<string, number>();
  return async (stream) => {
    const now = Date.now();
    if (now - (lastTrim.get(stream) ?? -Infinity) < intervalMs) return;
    lastTrim.set(stream, now);
    try {
      await trim(stream, maxAgeMs);
    } catch (error) {
      logger.warn({ err: error, stream }, 'could not trim the stream by age; trying again on a later publish');
      lastTrim.delete(stream);
    }
  };
}
