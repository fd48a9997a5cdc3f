// Replaying dead letters and saying what happened: one function for `meshspec events dlq replay`
// (Redis, RabbitMQ) and the dev dashboard's replay button (the memory bus), so both send the same
// dead letters back and word the outcome alike.
import type { DeadLetterAdmin, ReplayResult } from './dead-letters.js';

/**
 * What a replay did, in figures and in words.
 *
 * @example
 * const outcome: ReplayOutcome = { replayed: 1, notFound: ['dl-9'], summary: 'replayed 1 dead letter to orders (attempts reset)', missing: 'orders has no dead letter dl-9: `meshspec events dlq list orders` shows the IDs', message: '…' };
 */
export interface ReplayOutcome extends ReplayResult {
  /** What went back (`replayed 2 dead letters to orders (attempts reset)`, `no dead letters of orders to replay`); null when nothing did and ids were named. */
  readonly summary: string | null;
  /** The ids not found, in a sentence; null when every one was found. */
  readonly missing: string | null;
  /** The summary and the missing ids, in one text for a person. */
  readonly message: string;
}

/**
 * How the missing ids' sentence points at the list: by default the CLI command that shows it.
 *
 * @example
 * const options: ReplayOptions = { listedBy: () => 'the dashboard\'s dead letters' };
 */
export interface ReplayOptions {
  /** Where the group's dead letters and their IDs are shown. Default: `` `meshspec events dlq list <group>` ``. */
  readonly listedBy?: (group: string) => string;
}

/** IDs named in the missing sentence; more are counted. */
const SHOWN_IDS = 5;
const ID_WIDTH = 80;

/**
 * Sends a group's dead letters (the given ids, or all) back to it through `admin`, and words the
 * result. Rejects as `admin.replay` does (an unreachable broker, a group that no longer subscribes).
 *
 * @param admin the broker's dead-letter admin
 * @param group the consumer group (the subscribing service)
 * @param ids dead letter ids, or 'all'
 * @param options how the missing sentence names the list
 * @example
 * const outcome = await replayDeadLetters(admin, 'orders', ['1733145600000-0']);
 * console.log(outcome.message); // replayed 1 dead letter to orders (attempts reset)
 */
export async function replayDeadLetters(admin: DeadLetterAdmin, group: string, ids: readonly string[] | 'all', options: ReplayOptions = {}): Promise<ReplayOutcome> {
  const { replayed, notFound } = await admin.replay(group, ids);
  let summary: string | null = null;
  if (ids === 'all' && replayed === 0) summary = `no dead letters of ${group} to replay`;
  else if (replayed > 0) summary = `replayed ${plural(replayed, 'dead letter')} to ${group} (attempts reset)`;
  let missing: string | null = null;
  if (notFound.length > 0) {
    const shown = notFound.slice(0, SHOWN_IDS).map((id) => id.slice(0, ID_WIDTH)).join(', ') + (notFound.length > SHOWN_IDS ? `, … (${notFound.length} in all)` : '');
    const listedBy = options.listedBy?.(group) ?? `\`meshspec events dlq list ${group}\``;
    missing = `${group} has no dead letter ${shown}: ${listedBy} shows the IDs`;
  }
  const message = [summary, missing].filter((part) => part !== null).join('; ') || `nothing to replay to ${group}: no IDs given`;
  return { replayed, notFound, summary, missing, message };
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
