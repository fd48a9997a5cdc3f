// @ts-check
// Pieces every view uses: its title bar, an error box, badges, and tables from rows.
import { ApiFailure } from '../api.js';
import { h } from '../h.js';

/**
 * A view's title with things beside it (filters, a timestamp).
 *
 * @param {string} title
 * @param {...import('../h.js').Children} extra
 * @returns {HTMLElement}
 * @example
 * viewHeader('Traces', h('span', null, '12 traces'))
 */
export function viewHeader(title, ...extra) {
  return h('div', { class: 'view-header' }, h('h1', null, title), h('div', { class: 'view-tools' }, ...extra));
}

/**
 * An error the API (or the network) gave, as a readable box: its message as text.
 *
 * @param {unknown} error
 * @returns {HTMLElement}
 * @example
 * getJson('/api/topology').catch((error) => replace(root, errorBox(error)))
 */
export function errorBox(error) {
  const message = error instanceof ApiFailure ? `${error.code}: ${error.message}` : error instanceof Error ? error.message : String(error);
  return h('div', { class: 'error-box', role: 'alert', 'data-testid': 'error' }, message);
}

/**
 * A small coloured label: an HTTP method, a status, a state.
 *
 * @param {string} text
 * @param {string} kind a class suffix: `get`, `ok`, `error`, `running`, …
 * @param {Record<string, unknown>} [props]
 * @returns {HTMLElement}
 * @example
 * badge('POST', 'post')
 */
export function badge(text, kind, props = {}) {
  return h('span', { ...props, class: `badge badge-${kind.replace(/\s+/g, '-')}` }, text);
}

/**
 * The class of an HTTP status: `ok` (2xx/3xx), `warn` (4xx), `error` (5xx or none).
 *
 * @param {number | null} status
 * @returns {string}
 * @example
 * statusKind(201) // 'ok'
 */
export function statusKind(status) {
  if (status === null) return 'none';
  if (status < 400) return 'ok';
  if (status < 500) return 'warn';
  return 'error';
}

/**
 * A table with a header row.
 *
 * @param {readonly string[]} headings
 * @param {readonly HTMLTableRowElement[]} rows
 * @param {Record<string, unknown>} [props]
 * @returns {HTMLTableElement}
 * @example
 * table(['Event', 'Rate'], events.map((e) => h('tr', null, h('td', null, e.name), h('td', null, rate(e.publishRate)))))
 */
export function table(headings, rows, props = {}) {
  return h('table', { class: 'grid', ...props }, h('thead', null, h('tr', null, headings.map((text) => h('th', null, text)))), h('tbody', null, rows));
}

/**
 * Calls `task` now and again after each stream event, at most once per `ms` (a burst of new traces
 * fetches the list once).
 *
 * @param {() => void} task
 * @param {number} [ms]
 * @returns {() => void} what the stream's listener calls
 * @example
 * context.stream.on('traces', throttled(load))
 */
export function throttled(task, ms = 400) {
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let timer;
  return () => {
    if (timer !== undefined) return;
    timer = setTimeout(() => {
      timer = undefined;
      task();
    }, ms);
  };
}
