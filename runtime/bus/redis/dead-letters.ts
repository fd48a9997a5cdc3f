// Listing and replaying a group's dead letters (the stream `<prefix>dead:<group>`, written by
// dead-letter.ts). A replay adds the envelope back to the event's stream tagged with the group it is
// for (`replayFor`): that group's consumers handle it as a new entry (attempts start again at 1),
// every other group's consumers acknowledge it unhandled, so the event's other subscribers do not
// get it twice. Adding it back and deleting the dead letter run in one Lua script: both or neither.
import { Redis } from 'ioredis';
import { parseEnvelope, type DeadLetter, type DeadLetterAdmin, type ListDeadLettersOptions, type ReplayResult } from '../dead-letters.js';
import { ENVELOPE_FIELD, REPLAY_FOR_FIELD } from './entries.js';
import { deadLetterKey, streamKey } from './options.js';

/**
 * Where the dead letters are and how long to try reaching Redis.
 *
 * @example
 * const options: RedisDeadLettersOptions = { url: 'redis://127.0.0.1:6379', prefix: 'meshspec:', connectTimeoutMs: 3000 };
 */
export interface RedisDeadLettersOptions {
  /** Redis URL. Default `redis://127.0.0.1:6379`. */
  readonly url?: string;
  /** The bus's key prefix. Default `meshspec:`. */
  readonly prefix?: string;
  /** How long connecting may take before it fails. Default 3000 ms. */
  readonly connectTimeoutMs?: number;
}

/** Entries read per XRANGE. */
const PAGE = 500;
const ENTRY_ID = /^\d+-\d+$/;

// KEYS[1] the dead-letter stream, KEYS[2] the event stream; ARGV[1] the dead letter's id, ARGV[2] the
// group. Re-reads the entry inside the script, so two replays of one id cannot both add it back.
const REPLAY_SCRIPT = `
local found = redis.call('XRANGE', KEYS[1], ARGV[1], ARGV[1])
if #found == 0 then return 0 end
local fields = found[1][2]
local envelope = ''
for i = 1, #fields, 2 do
  if fields[i] == '${ENVELOPE_FIELD}' then envelope = fields[i + 1] end
end
redis.call('XADD', KEYS[2], '*', '${ENVELOPE_FIELD}', envelope, '${REPLAY_FOR_FIELD}', ARGV[2])
redis.call('XDEL', KEYS[1], ARGV[1])
return 1
`;

/**
 * Connects to Redis for listing and replaying the dead letters of the Redis Streams bus. Rejects when
 * Redis cannot be reached within `connectTimeoutMs`; the connection never reconnects, so a command
 * after a lost connection fails at once instead of waiting.
 *
 * Replay is atomic per dead letter: the envelope is added to the event's stream for that group only
 * and removed from the dead letters in one script, so nothing is lost or sent twice by the replay.
 * It rejects, replaying nothing, when the group no longer reads one of the streams concerned.
 *
 * @param options.url default `redis://127.0.0.1:6379`
 * @param options.prefix default `meshspec:`
 * @param options.connectTimeoutMs default 3000
 * @example
 * const admin = await connectRedisDeadLetters({ url: process.env.EVENT_BUS_URL });
 * try {
 *   for (const letter of await admin.list('orders', { event: 'payment.completed' })) console.log(letter.id, letter.error);
 *   const { replayed, notFound } = await admin.replay('orders', 'all');
 * } finally {
 *   await admin.close();
 * }
 */
export async function connectRedisDeadLetters(options: RedisDeadLettersOptions = {}): Promise<DeadLetterAdmin> {
  const prefix = options.prefix ?? 'meshspec:';
  const redis = new Redis(options.url ?? 'redis://127.0.0.1:6379', {
    lazyConnect: true,
    connectTimeout: options.connectTimeoutMs ?? 3000,
    retryStrategy: () => null,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    // A Redis that stops answering fails a command instead of hanging the caller.
    commandTimeout: 10_000,
  });
  let lastError: unknown;
  // Without a listener an 'error' would crash the process; connect() rejects with it.
  redis.on('error', (error: unknown) => (lastError = error));
  try {
    await redis.connect();
  } catch (error) {
    // Not disconnect(): on a connection that never opened it keeps the process alive for seconds.
    // connect() says only "Connection is closed."; the 'error' before it says why.
    throw lastError instanceof Error ? lastError : error;
  }

  async function entries(group: string, visit: (id: string, fields: string[]) => boolean): Promise<void> {
    let start = '-';
    for (;;) {
      const page = await redis.xrange(deadLetterKey(prefix, group), start, '+', 'COUNT', PAGE);
      for (const [id, fields] of page) if (!visit(id, fields)) return;
      if (page.length < PAGE) return;
      start = `(${page[page.length - 1]![0]}`;
    }
  }

  /** The event stream a dead letter came from (recorded with it; else its event's stream under this prefix). */
  const sourceStream = (fields: string[]) => {
    const record = fieldMap(fields);
    return record['stream'] || streamKey(prefix, record['event'] ?? '');
  };

  /** Refuses, before anything moves, to replay into a stream the group does not read: nothing would handle it there. */
  async function checkGroupReads(group: string, chosen: readonly [string, string[]][]): Promise<void> {
    for (const stream of new Set(chosen.map(([, fields]) => sourceStream(fields)))) {
      const groups = (await redis.xinfo('GROUPS', stream).catch(() => [])) as unknown[][];
      if (!groups.some((g) => fieldMap(g.map(String))['name'] === group)) {
        throw new Error(`${group} does not read the stream ${stream} (any more): start the ${group} service with its subscription once, then replay`);
      }
    }
  }

  async function replayOne(group: string, id: string, fields: string[]): Promise<boolean> {
    return (await redis.eval(REPLAY_SCRIPT, 2, deadLetterKey(prefix, group), sourceStream(fields), id, group)) === 1;
  }

  return {
    async list(group: string, { event, limit = Infinity }: ListDeadLettersOptions = {}): Promise<DeadLetter[]> {
      const found: DeadLetter[] = [];
      if (limit <= 0) return found;
      await entries(group, (id, fields) => {
        const letter = toDeadLetter(id, fields);
        if (event === undefined || letter.event === event) found.push(letter);
        return found.length < limit;
      });
      return found;
    },

    async count(group: string): Promise<number> {
      return redis.xlen(deadLetterKey(prefix, group));
    },

    async replay(group: string, ids: readonly string[] | 'all'): Promise<ReplayResult> {
      const chosen: [string, string[]][] = [];
      const notFound: string[] = [];
      if (ids === 'all') {
        await entries(group, (id, fields) => (chosen.push([id, fields]), true));
      } else {
        for (const id of new Set(ids)) {
          const [entry] = ENTRY_ID.test(id) ? await redis.xrange(deadLetterKey(prefix, group), id, id) : [];
          if (entry) chosen.push(entry);
          else notFound.push(id);
        }
      }
      await checkGroupReads(group, chosen);
      let replayed = 0;
      for (const [id, fields] of chosen) {
        // Gone since it was read (another replay took it): not found after all.
        if (await replayOne(group, id, fields)) replayed += 1;
        else if (ids !== 'all') notFound.push(id);
      }
      return { replayed, notFound };
    },

    async close() {
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}

function fieldMap(fields: string[]): Record<string, string> {
  const map: Record<string, string> = {};
  for (let i = 0; i + 1 < fields.length; i += 2) map[fields[i]!] = fields[i + 1]!;
  return map;
}

function toDeadLetter(id: string, fields: string[]): DeadLetter {
  const record = fieldMap(fields);
  const envelope = parseEnvelope(record[ENVELOPE_FIELD] ?? '');
  const attempts = Number(record['attempts']);
  return {
    id,
    event: record['event'] ?? envelope?.event ?? '',
    envelopeId: typeof envelope?.id === 'string' ? envelope.id : null,
    source: typeof envelope?.source === 'string' ? envelope.source : null,
    error: record['error'] ?? '',
    attempts: Number.isInteger(attempts) ? attempts : 0,
    deadAt: record['time'] ?? null,
    envelope,
  };
}
