// Which bus a process uses and how it retries: the spec's `runtime.bus` (generated code passes it)
// as defaults, `EVENT_BUS` and `EVENT_BUS_URL` from the environment (a ConfigMap and a Secret in a
// cluster) on top. One reading for `generated/<svc>/main.ts`, `meshspec dev` and the CLI alike.
import { StartupError } from '../host/startup-error.js';

/** The bus adapters a process can be configured with. */
export const BUS_KINDS = ['memory', 'redis', 'rabbitmq'] as const;
export type BusKind = (typeof BUS_KINDS)[number];

/** Where each broker listens on a developer's machine: the URL used when `EVENT_BUS_URL` is unset. */
export const LOCAL_BUS_URLS: Readonly<Record<Exclude<BusKind, 'memory'>, string>> = {
  redis: 'redis://127.0.0.1:6379',
  rabbitmq: 'amqp://guest:guest@127.0.0.1:5672',
};

/**
 * The spec's `runtime.bus`, resolved (every default filled in by the generator).
 *
 * @example
 * const defaults: BusDefaults = { kind: 'redis', maxAttempts: 5, retryDelayMs: 100, maxRetryDelayMs: 5000, claimIdleMs: 30000, maxLength: 100000, maxAgeMs: null };
 */
export interface BusDefaults {
  /** The adapter when `EVENT_BUS` is unset. */
  readonly kind: BusKind;
  /** Deliveries of one event to one subscribing service, the first included, before dead-lettering. */
  readonly maxAttempts: number;
  /** Wait before the second attempt, doubled for each further one. */
  readonly retryDelayMs: number;
  /** Upper bound of the wait between attempts. */
  readonly maxRetryDelayMs: number;
  /** Redis: idle time after which a dead consumer's pending entries are claimed by a live one. */
  readonly claimIdleMs: number;
  /** Redis: approximate number of entries each event stream keeps. */
  readonly maxLength: number;
  /** Redis: entries older than this are trimmed; null keeps them until `maxLength` trims them. */
  readonly maxAgeMs: number | null;
}

/** What a process runs on: the defaults with the environment applied. */
export interface BusSettings extends BusDefaults {
  /** The broker's URL; null for memory. */
  readonly url: string | null;
  /** Whether `EVENT_BUS` chose the kind (false: the spec's default did). */
  readonly fromEnvironment: boolean;
  /**
   * `EVENT_BUS_NAMESPACE`, default `meshspec`: Redis keys start `<namespace>:`, RabbitMQ's exchange is
   * `<namespace>.events` and queues start `<namespace>.`. Meshes (or test runs) sharing a broker set
   * different namespaces.
   */
  readonly namespace: string;
}

/** Used when a caller has no spec at hand (tests, the CLI without a spec): the generator's defaults. */
export const DEFAULT_BUS: BusDefaults = {
  kind: 'memory',
  maxAttempts: 5,
  retryDelayMs: 100,
  maxRetryDelayMs: 5000,
  claimIdleMs: 30_000,
  maxLength: 100_000,
  maxAgeMs: null,
};

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Applies `EVENT_BUS` (memory, redis or rabbitmq), `EVENT_BUS_URL` and `EVENT_BUS_NAMESPACE` to the spec's defaults. A kind
 * that is not known, or a URL whose scheme does not fit the kind, is a StartupError naming the variable.
 *
 * @param defaults the spec's `runtime.bus` (generated code passes it); default {@link DEFAULT_BUS}
 * @param env the environment; default `process.env`
 * @example
 * busSettingsFromEnv(DEFAULT_BUS, { EVENT_BUS: 'redis' }).url // 'redis://127.0.0.1:6379'
 */
export function busSettingsFromEnv(defaults: BusDefaults = DEFAULT_BUS, env: Env = process.env): BusSettings {
  const chosen = env['EVENT_BUS']?.trim();
  let kind = defaults.kind;
  if (chosen) {
    if (!(BUS_KINDS as readonly string[]).includes(chosen)) {
      throw new StartupError(`EVENT_BUS must be one of ${BUS_KINDS.join(', ')}, got '${chosen.slice(0, 40)}'`);
    }
    kind = chosen as BusKind;
  }
  const url = kind === 'memory' ? null : checkUrl(kind, env['EVENT_BUS_URL']?.trim() || LOCAL_BUS_URLS[kind]);
  const namespace = env['EVENT_BUS_NAMESPACE']?.trim() || DEFAULT_NAMESPACE;
  if (!/^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/.test(namespace)) {
    throw new StartupError(`EVENT_BUS_NAMESPACE must be 1-63 letters, digits, '.', '_' or '-', starting with a letter or digit, got '${namespace.slice(0, 70)}'`);
  }
  return { ...defaults, kind, url, fromEnvironment: Boolean(chosen), namespace };
}

/** The namespace of every key, exchange and queue a bus creates unless `EVENT_BUS_NAMESPACE` says otherwise. */
export const DEFAULT_NAMESPACE = 'meshspec';

const SCHEMES: Readonly<Record<Exclude<BusKind, 'memory'>, readonly string[]>> = {
  redis: ['redis:', 'rediss:'],
  rabbitmq: ['amqp:', 'amqps:'],
};

function checkUrl(kind: Exclude<BusKind, 'memory'>, url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new StartupError(`EVENT_BUS_URL is not a URL (expected e.g. ${LOCAL_BUS_URLS[kind].replace(/\/\/.*@/, '//user:password@')})`);
  }
  if (!SCHEMES[kind].includes(parsed.protocol)) {
    throw new StartupError(`EVENT_BUS_URL must start with ${SCHEMES[kind].map((s) => `${s}//`).join(' or ')} for EVENT_BUS=${kind}, got ${parsed.protocol}//…`);
  }
  return url;
}

/**
 * The URL with its password replaced by `***`, for log lines and banners.
 *
 * @param url a broker URL
 * @example redactUrl('amqp://guest:guest@127.0.0.1:5672') // 'amqp://guest:***@127.0.0.1:5672'
 */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString().replace(/\/$/, '');
  } catch {
    return '(unparsable URL)';
  }
}
