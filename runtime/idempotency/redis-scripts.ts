// How the Redis store keeps a record, and the Lua scripts that change it. One string key per
// idempotency key; every decision that reads a record and then writes it runs inside one script, so
// replicas racing on a key see it change atomically. Times come from Redis (TIME), one clock for all
// replicas, whatever their own clocks say.
//   pending: `p:<leaseExpiresAt>:<token>`             PX lease + retention (see claim)
//   done:    `d:<completedAt>:<expiresAt>:<json|''>`  PX retention; '' is "no result" (JSON is never empty)
import type { IdempotencyRecord } from './types.js';

/** Redis's clock in ms since the epoch, as a local `now` in every script. */
const NOW = `local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)`;

/**
 * The record if it is live at `now`, else nil. Redis's own expiry removes the key; the logical check
 * also frees a pending key whose lease ran out while its record is kept for a late `complete`.
 */
const LIVE = `local function live(v)
  if not v then return nil end
  local state, expiry = string.match(v, '^(%a):(%d+):')
  if state == 'p' and tonumber(expiry) > now then return v end
  if state == 'd' and tonumber(string.match(v, '^d:%d+:(%d+):')) > now then return v end
  return nil
end`;

/**
 * Ends the script when KEYS[1] holds a live record: {'done', record} or {'in-progress', lease}.
 * Shared by CLAIM and APPLY_ONCE, which may take the key only when this falls through.
 */
const ANSWER_IF_TAKEN = `local v = live(redis.call('GET', KEYS[1]))
if v then
  if string.sub(v, 1, 1) == 'd' then return {'done', v} end
  return {'in-progress', string.match(v, '^p:(%d+):')}
end`;

/**
 * KEYS[1] the key; ARGV token, leaseMs, retentionMs. Answers {'claimed'}, {'in-progress', lease} or
 * {'done', record}. The pending record outlives its lease by the retention, so a holder whose lease
 * ran out can still complete while nobody claimed the key since (the contract); a crashed holder's
 * record then costs what a done record does, and goes at the same time.
 */
export const CLAIM = `${NOW}
${LIVE}
${ANSWER_IF_TAKEN}
local lease = now + tonumber(ARGV[2])
redis.call('SET', KEYS[1], string.format('p:%d:%s', lease, ARGV[1]), 'PX', tonumber(ARGV[2]) + tonumber(ARGV[3]))
return {'claimed'}`;

/** KEYS[1] the key; ARGV token, result JSON ('' for none), retentionMs. 1 if the token still owned the claim. */
export const COMPLETE = `${NOW}
local v = redis.call('GET', KEYS[1])
if not v or string.match(v, '^p:%d+:(.+)$') ~= ARGV[1] then return 0 end
local retention = tonumber(ARGV[3])
redis.call('SET', KEYS[1], string.format('d:%d:%d:', now, now + retention) .. ARGV[2], 'PX', retention)
return 1`;

/** KEYS[1] the key; ARGV token. Deletes only a pending record of that token (never a done one). */
export const RELEASE = `local v = redis.call('GET', KEYS[1])
if v and string.match(v, '^p:%d+:(.+)$') == ARGV[1] then redis.call('DEL', KEYS[1]) end
return 0`;

/**
 * KEYS[1] the idempotency key, KEYS[2..] one key per write; ARGV retentionMs, then per write its
 * argument count and arguments (the command name first, the key left out). If the key is done
 * answers {'done', record}; if a live claim holds it {'in-progress', lease}; else runs the writes and
 * records the key done (no result), all in this one script, and answers {'applied'}. A pending
 * record whose lease ran out is a crashed holder's: its effect did not commit, so it is replaced.
 */
export const APPLY_ONCE = `${NOW}
${LIVE}
${ANSWER_IF_TAKEN}
local retention = tonumber(ARGV[1])
local at = 2
for i = 2, #KEYS do
  local count = tonumber(ARGV[at])
  local command = {ARGV[at + 1], KEYS[i]}
  for j = 2, count do command[#command + 1] = ARGV[at + j] end
  at = at + count + 1
  redis.call(unpack(command))
end
redis.call('SET', KEYS[1], string.format('d:%d:%d:', now, now + retention), 'PX', retention)
return {'applied'}`;

/** KEYS[1] the key. The live record, or nil; writes nothing. */
export const GET = `${NOW}
${LIVE}
return live(redis.call('GET', KEYS[1]))`;

/** Reads a done record's result: '' is "no result". */
const resultOf = (json: string): unknown => (json === '' ? undefined : JSON.parse(json));

/** Decodes a stored record (as GET and CLAIM return it). */
export function decodeRecord(value: string): IdempotencyRecord {
  const [state, first, second] = value.split(':', 3) as [string, string, string];
  if (state === 'p') return { state: 'pending', leaseExpiresAt: Number(first) };
  const json = value.slice(state.length + first.length + second.length + 3);
  return { state: 'done', result: resultOf(json), completedAt: Number(first), expiresAt: Number(second) };
}
