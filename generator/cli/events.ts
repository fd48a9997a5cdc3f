// `meshspec events dlq list|replay <service>`: a service's dead letters on Redis or RabbitMQ. The
// broker comes from --bus/--url/--namespace or from EVENT_BUS/EVENT_BUS_URL/EVENT_BUS_NAMESPACE, as the services read them; its
// client library is loaded only here, once the command knows which broker it talks to.
import type { DeadLetter, DeadLetterAdmin } from '../../runtime/bus/dead-letters.js';
import { replayDeadLetters } from '../../runtime/bus/replay.js';
import { busSettingsFromEnv, DEFAULT_BUS, DEFAULT_NAMESPACE, redactUrl } from '../../runtime/bus/settings.js';
import { parseWithPositionals, type OptionValues } from './args.js';
import { complain, plural, say } from './output.js';
import { UsageError } from './usage-error.js';

const brokerOptions = `  --bus KIND    redis or rabbitmq (default: EVENT_BUS)
  --url URL     the broker's URL (default: EVENT_BUS_URL when it is for that broker, else the local
                broker: redis://127.0.0.1:6379 or amqp://guest:guest@127.0.0.1:5672)
  --namespace NAME  the services' EVENT_BUS_NAMESPACE (default: EVENT_BUS_NAMESPACE, else meshspec)`;

/**
 * The help of `meshspec events`.
 *
 * @example say(eventsUsage)
 */
export const eventsUsage = `Usage: meshspec events dlq list <service> [--event NAME] [--limit N] [--json] [--bus KIND] [--url URL] [--namespace NAME]
       meshspec events dlq replay <service> (ID... | --all) [--bus KIND] [--url URL] [--namespace NAME]

Dead letters are events a service gave up on: its handler failed on every attempt, or the payload
could not be handled at all. \`list\` shows them, oldest first, with their error, attempts and age;
\`replay\` sends them back to that service only (the event's other subscribers do not get them
again), with their attempts reset, and removes them from the dead letters once the broker has
them back. On RabbitMQ a replay interrupted between the two steps leaves the event in the dead
letters too: replaying it again delivers it twice (the idempotency helper absorbs that).

Options:
  --event NAME  list: only dead letters of this event
  --limit N     list: at most N (default: 100)
  --json        list: print them as JSON (with their envelopes) instead of a table
  --all         replay: every dead letter of the service
${brokerOptions}
  -h, --help    show this help`;

const options = {
  bus: { type: 'string' },
  url: { type: 'string' },
  namespace: { type: 'string' },
  event: { type: 'string' },
  limit: { type: 'string' },
  json: { type: 'boolean', default: false },
  all: { type: 'boolean', default: false },
} as const;

/** How long connecting to the broker may take before the command gives up. */
const CONNECT_TIMEOUT_MS = 3000;
const ERROR_WIDTH = 60;

/**
 * Runs `meshspec events dlq list|replay ...`: 0 on success, 1 when the broker is unreachable or fails,
 * and a UsageError (exit 2) for wrong arguments and unknown IDs.
 *
 * @param args the arguments after `events`
 * @example
 * process.exitCode = await eventsCommand(['dlq', 'list', 'orders', '--bus', 'redis']);
 */
export async function eventsCommand(args: string[]): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) return say(eventsUsage), 0;
  const { request, values } = parseRequest(args);
  const broker = brokerFrom(values);
  const where = `${broker.kind} at ${redactUrl(broker.url)}${broker.namespace === DEFAULT_NAMESPACE ? '' : ` (namespace ${broker.namespace})`}`;
  let admin: DeadLetterAdmin;
  try {
    admin = await connect(broker);
  } catch (error) {
    complain(`cannot reach ${where}: ${errorLine(error, broker.url)}`);
    return 1;
  }
  try {
    return request.action === 'list' ? await list(admin, request, where) : await replay(admin, request.service, request.ids);
  } catch (error) {
    if (error instanceof UsageError) throw error;
    complain(`${request.action} failed on ${where}: ${errorLine(error, broker.url)}`);
    return 1;
  } finally {
    await admin.close();
  }
}

type Request =
  | { readonly action: 'list'; readonly service: string; readonly event: string | undefined; readonly limit: number; readonly json: boolean }
  | { readonly action: 'replay'; readonly service: string; readonly ids: readonly string[] | 'all' };

/** What to do, from the arguments after `events`; every mistake is a UsageError, found before connecting. */
function parseRequest(args: string[]): { request: Request; values: OptionValues } {
  const [group, action, ...rest] = args;
  if (group !== 'dlq') {
    throw new UsageError(`${group === undefined ? 'missing events command' : `unknown events command \`${group}\``}: use \`events dlq list\` or \`events dlq replay\`\n\n${eventsUsage}`);
  }
  if (action !== 'list' && action !== 'replay') {
    throw new UsageError(`${action === undefined ? 'missing dlq command' : `unknown dlq command \`${action}\``}: use \`list\` or \`replay\`\n\n${eventsUsage}`);
  }
  const { values, positionals } = parseWithPositionals(rest, options, eventsUsage);
  const [service, ...ids] = positionals;
  if (service === undefined || service.trim() === '') throw new UsageError(`missing <service>: whose dead letters?\n\n${eventsUsage}`);
  const only = (flags: string[], where: string) => {
    const wrong = flags.filter((flag) => values[flag] !== undefined && values[flag] !== false);
    if (wrong.length > 0) throw new UsageError(`${wrong.map((f) => `--${f}`).join(', ')} ${wrong.length === 1 ? 'belongs' : 'belong'} to \`dlq ${where}\`\n\n${eventsUsage}`);
  };
  if (action === 'list') {
    only(['all'], 'replay');
    if (ids.length > 0) throw new UsageError(`list takes one service, not ${positionals.join(', ')}\n\n${eventsUsage}`);
    const limit = positiveInteger(values.limit as string | undefined);
    return { request: { action, service, event: values.event as string | undefined, limit, json: values.json === true }, values };
  }
  only(['event', 'limit', 'json'], 'list');
  if (values.all === true && ids.length > 0) throw new UsageError(`replay takes IDs or --all, not both\n\n${eventsUsage}`);
  if (values.all !== true && ids.length === 0) throw new UsageError(`replay needs the IDs to send back (see \`meshspec events dlq list ${service}\`) or --all\n\n${eventsUsage}`);
  return { request: { action, service, ids: values.all === true ? 'all' : ids }, values };
}

interface Broker {
  readonly kind: 'redis' | 'rabbitmq';
  readonly url: string;
  /** Redis keys start `<namespace>:`, RabbitMQ queues `<namespace>.`, as the services name them. */
  readonly namespace: string;
}

/** --bus, --url and --namespace over EVENT_BUS, EVENT_BUS_URL and EVENT_BUS_NAMESPACE; the environment's URL only for the environment's broker. */
function brokerFrom(values: OptionValues): Broker {
  const flag = values.bus as string | undefined;
  if (flag !== undefined && flag !== 'redis' && flag !== 'rabbitmq') throw new UsageError(`--bus must be redis or rabbitmq, got '${flag.slice(0, 40)}'`);
  const fromEnv = process.env['EVENT_BUS']?.trim() || undefined;
  const kind = flag ?? fromEnv;
  if (kind === undefined) throw new UsageError(`which broker? pass --bus redis|rabbitmq (and --url URL), or set EVENT_BUS (and EVENT_BUS_URL) as for the services\n\n${eventsUsage}`);
  if (kind === 'memory') throw new UsageError('EVENT_BUS=memory keeps events inside one process, so there are no dead letters to list or replay: pass --bus redis|rabbitmq');
  const flagUrl = values.url as string | undefined;
  const envUrl = flag === undefined || flag === fromEnv ? process.env['EVENT_BUS_URL'] : undefined;
  try {
    const namespace = (values.namespace as string | undefined) ?? process.env['EVENT_BUS_NAMESPACE'];
    const settings = busSettingsFromEnv(DEFAULT_BUS, { EVENT_BUS: kind, EVENT_BUS_URL: flagUrl ?? envUrl, EVENT_BUS_NAMESPACE: namespace });
    if (settings.kind === 'memory' || settings.url === null) throw new UsageError('the memory bus has no dead letters');
    return { kind: settings.kind, url: settings.url, namespace: settings.namespace };
  } catch (error) {
    if (error instanceof UsageError) throw error;
    // The settings name the environment's variables; say --url and --bus when those were given.
    let message = (error as Error).message;
    if (flagUrl !== undefined) message = message.replace('EVENT_BUS_URL', '--url');
    if (flag !== undefined) message = message.replace('EVENT_BUS=', '--bus ');
    if (values.namespace !== undefined) message = message.replace('EVENT_BUS_NAMESPACE', '--namespace');
    throw new UsageError(message);
  }
}

async function connect({ kind, url, namespace }: Broker): Promise<DeadLetterAdmin> {
  if (kind === 'redis') {
    const { connectRedisDeadLetters } = await import('../../runtime/bus/redis/dead-letters.js');
    return connectRedisDeadLetters({ url, prefix: `${namespace}:`, connectTimeoutMs: CONNECT_TIMEOUT_MS });
  }
  const { connectRabbitDeadLetters } = await import('../../runtime/bus/rabbitmq/dead-letters.js');
  return connectRabbitDeadLetters({ url, queuePrefix: `${namespace}.`, connectTimeoutMs: CONNECT_TIMEOUT_MS });
}

async function list(admin: DeadLetterAdmin, options: Extract<Request, { action: 'list' }>, where: string): Promise<number> {
  const { service } = options;
  // Counted first: on RabbitMQ a listing puts the messages back asynchronously, so a count right after it may miss some.
  const total = options.json ? 0 : await admin.count(service);
  const letters = await admin.list(service, { limit: options.limit, ...(options.event !== undefined && { event: options.event }) });
  if (options.json) return say(JSON.stringify(letters, null, 2)), 0;
  if (letters.length > 0) say(table(letters, Date.now()));
  const of = options.event === undefined ? `${service}` : `${options.event} in ${service}`;
  if (letters.length === 0) say(`no dead letters of ${of} on ${where}${options.event !== undefined && total > 0 ? ` (${plural(total, 'dead letter')} of other events)` : ''}`);
  else if (options.event !== undefined) say(`${plural(letters.length, 'dead letter')} of ${of}${letters.length === options.limit ? ' shown (--limit N shows more)' : ''}; ${total} in ${service} in all`);
  else if (letters.length < total) say(`${letters.length} of ${plural(total, 'dead letter')} of ${service} shown (--limit N shows more)`);
  else say(`${plural(total, 'dead letter')} of ${service}`);
  return 0;
}

async function replay(admin: DeadLetterAdmin, service: string, ids: readonly string[] | 'all'): Promise<number> {
  const { summary, missing } = await replayDeadLetters(admin, service, ids);
  if (summary !== null) say(summary);
  if (missing !== null) throw new UsageError(missing);
  return 0;
}

function table(letters: readonly DeadLetter[], now: number): string {
  const rows = letters.map((l) => [l.id, l.event, String(l.attempts), age(l.deadAt, now), oneLine(l.error, ERROR_WIDTH)]);
  const header = ['ID', 'EVENT', 'ATTEMPTS', 'AGE', 'ERROR'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  return [header, ...rows].map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ').trimEnd()).join('\n');
}

/** How long ago, in the largest whole unit: 42s, 5m, 3h, 2d. */
function age(deadAt: string | null, now: number): string {
  const at = deadAt === null ? NaN : Date.parse(deadAt);
  if (Number.isNaN(at)) return '?';
  const seconds = Math.max(0, Math.round((now - at) / 1000));
  if (seconds < 60) return `${seconds}s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)}h`;
  return `${Math.floor(seconds / 86_400)}d`;
}

function oneLine(text: string, width: number): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length <= width ? line : `${line.slice(0, width - 1)}…`;
}

function positiveInteger(text: string | undefined): number {
  if (text === undefined) return 100;
  const value = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(value) || value < 1) throw new UsageError(`--limit must be a whole number of at least 1, got '${text.slice(0, 20)}'`);
  return value;
}

/** The error's message on one line, with the URL's password (if any) never shown. */
function errorLine(error: unknown, url: string): string {
  let message = oneLine(error instanceof Error ? error.message || error.name : String(error), 300);
  try {
    const { password } = new URL(url);
    for (const secret of new Set([password, decodeURIComponent(password)])) if (secret) message = message.replaceAll(secret, '***');
  } catch {
    // An unparsable URL never got this far (busSettingsFromEnv checked it).
  }
  return message;
}
