// Parsing what XREADGROUP, XAUTOCLAIM and XCLAIM return into entries with their envelope's JSON.

/** One stream entry; `json` is null when the entry was trimmed away or lacks the envelope field. */
export interface StreamEntry {
  readonly id: string;
  readonly json: string | null;
  /** The one group a replayed dead letter is for (null: an event for every group). */
  readonly replayFor: string | null;
}

/** The field holding the envelope as JSON. */
export const ENVELOPE_FIELD = 'envelope';
/** The field naming the only group that handles the entry: set on dead letters replayed into the event's stream. */
export const REPLAY_FOR_FIELD = 'replayFor';

type RawEntry = [id: string, fields: string[] | null];

export function toEntries(raw: unknown): StreamEntry[] {
  if (!Array.isArray(raw)) return [];
  return (raw as (RawEntry | null)[]).filter((e): e is RawEntry => Array.isArray(e)).map(([id, fields]) => ({
    id,
    json: fieldValue(fields, ENVELOPE_FIELD),
    replayFor: fieldValue(fields, REPLAY_FOR_FIELD),
  }));
}

/** XREADGROUP's reply for one stream: [[key, entries]] or null on timeout. */
export function fromReadGroup(reply: unknown): StreamEntry[] {
  if (!Array.isArray(reply) || reply.length === 0) return [];
  return toEntries((reply[0] as [string, unknown])[1]);
}

function fieldValue(fields: string[] | null, name: string): string | null {
  if (!fields) return null;
  for (let i = 0; i + 1 < fields.length; i += 2) if (fields[i] === name) return fields[i + 1] ?? null;
  return null;
}
