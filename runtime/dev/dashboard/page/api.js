// @ts-check
// The data API as the page reads it: GET and POST of JSON (an error answer becomes an ApiFailure
// with the server's message), and the server-sent events of GET /api/stream, reconnecting when the
// stack goes away and comes back (a --watch restart, say).

/** @typedef {import('../api-types.js').StreamEventName} StreamEventName */

/**
 * An answer of the data API that was not a success: its status, code and message.
 *
 * @example
 * try { await getJson('/api/traces/nope'); } catch (error) { if (error instanceof ApiFailure && error.status === 404) retry(); }
 */
export class ApiFailure extends Error {
  /**
   * @param {number} status the HTTP status (0 when the server did not answer)
   * @param {string} code the error's code
   * @param {string} message what went wrong
   */
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

/**
 * GETs a route of the data API and parses its JSON.
 *
 * @template T
 * @param {string} path e.g. `/api/traces?limit=50`
 * @returns {Promise<T>}
 * @example
 * const list = await getJson('/api/traces?limit=50'); // a TraceList
 */
export async function getJson(path) {
  return answer(await send(path, { headers: { accept: 'application/json' } }));
}

/**
 * POSTs JSON to a route of the data API and parses the JSON answer.
 *
 * @template T
 * @param {string} path e.g. `/api/explorer/call`
 * @param {unknown} body the request's JSON
 * @returns {Promise<T>}
 * @example
 * const answer = await postJson('/api/dead-letters/replay', { service: 'orders', ids: 'all' });
 */
export async function postJson(path, body) {
  return answer(await send(path, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json' }, body: JSON.stringify(body) }));
}

/**
 * @param {string} path
 * @param {RequestInit} init
 * @returns {Promise<Response>}
 */
async function send(path, init) {
  try {
    return await fetch(path, init);
  } catch (error) {
    throw new ApiFailure(0, 'Unreachable', `the dashboard did not answer (${error instanceof Error ? error.message : String(error)})`);
  }
}

/**
 * @param {Response} response
 * @returns {Promise<any>}
 */
async function answer(response) {
  const text = await response.text();
  /** @type {any} */
  let body = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = null;
  }
  if (response.ok) return body;
  const error = body && typeof body === 'object' && body.error && typeof body.error === 'object' ? body.error : null;
  throw new ApiFailure(response.status, String(error?.code ?? 'Error'), String(error?.message ?? `${response.status} ${response.statusText}`));
}

/**
 * The stream's connection: listeners per event name and the connection's state.
 *
 * @typedef {{
 *   on(name: StreamEventName, listener: (data: any) => void): () => void,
 *   onState(listener: (state: 'live' | 'reconnecting') => void): () => void,
 *   close(): void,
 * }} Stream
 */

/** First wait before reconnecting, ms; doubles up to MAX_RETRY_MS while the stack stays away. */
const FIRST_RETRY_MS = 500;
const MAX_RETRY_MS = 8000;
/** @type {readonly StreamEventName[]} */
const EVENT_NAMES = ['topology', 'traces', 'events', 'dead-letters', 'sagas', 'catalog'];

/**
 * Opens GET /api/stream. The browser's EventSource retries by itself after a dropped connection,
 * but gives up for good on an answer that is not a stream (the dashboard restarting): then a new
 * one is opened after a growing wait.
 *
 * @param {string} [url] default `/api/stream`
 * @returns {Stream}
 * @example
 * const stream = openStream();
 * stream.on('topology', (topology) => draw(topology));
 */
export function openStream(url = '/api/stream') {
  /** @type {Map<string, Set<(data: any) => void>>} */
  const listeners = new Map();
  /** @type {Set<(state: 'live' | 'reconnecting') => void>} */
  const stateListeners = new Set();
  /** @type {EventSource | null} */
  let source = null;
  let retryMs = FIRST_RETRY_MS;
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let timer;
  let closed = false;

  /** @param {'live' | 'reconnecting'} state */
  const tell = (state) => stateListeners.forEach((listener) => listener(state));

  const connect = () => {
    if (closed) return;
    const current = new EventSource(url);
    source = current;
    current.onopen = () => {
      retryMs = FIRST_RETRY_MS;
      tell('live');
    };
    current.onerror = () => {
      tell('reconnecting');
      if (current.readyState !== EventSource.CLOSED) return;
      current.close();
      timer = setTimeout(connect, retryMs);
      retryMs = Math.min(retryMs * 2, MAX_RETRY_MS);
    };
    for (const name of EVENT_NAMES) {
      current.addEventListener(name, (event) => {
        let data;
        try {
          data = JSON.parse(/** @type {MessageEvent<string>} */ (event).data);
        } catch {
          return;
        }
        listeners.get(name)?.forEach((listener) => listener(data));
      });
    }
  };
  connect();

  return {
    on(name, listener) {
      const set = listeners.get(name) ?? new Set();
      listeners.set(name, set);
      set.add(listener);
      return () => set.delete(listener);
    },
    onState(listener) {
      stateListeners.add(listener);
      return () => stateListeners.delete(listener);
    },
    close() {
      closed = true;
      clearTimeout(timer);
      source?.close();
    },
  };
}
