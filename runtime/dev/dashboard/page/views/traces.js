// @ts-check
// Traces: the recent requests, updated live, and one trace as a waterfall of spans (indented by
// parent, placed on the trace's time axis, coloured per service, failures marked). A span's
// attributes, events and log lines show beside it; every log line of the trace is listed below.
import { ApiFailure, getJson } from '../api.js';
import { h, replace } from '../h.js';
import { clock, duration, pretty, serviceColour } from '../format.js';
import { badge, errorBox, statusKind, table, throttled, viewHeader } from './common.js';

/**
 * @typedef {import('../../api-types.js').TraceList} TraceList
 * @typedef {import('../../api-types.js').TraceSummary} TraceSummary
 * @typedef {import('../../api-types.js').TraceDetail} TraceDetail
 * @typedef {import('../../api-types.js').TraceSpan} TraceSpan
 * @typedef {import('../../api-types.js').TraceLog} TraceLog
 */

/** How many traces the list shows. */
const LIST_LIMIT = 100;

/**
 * The recent traces, newest first, refreshed when the stream says a trace ended.
 *
 * @param {HTMLElement} root
 * @param {string[]} _params
 * @param {import('../app.js').Context} context
 * @returns {() => void}
 * @example
 * renderTraceList(main, [], context)
 */
export function renderTraceList(root, _params, context) {
  const count = h('span', { class: 'muted' });
  const body = h('div', null, h('p', { class: 'muted' }, 'Loading traces…'));
  replace(root, viewHeader('Traces', count), body);
  const load = () =>
    getJson(`/api/traces?limit=${LIST_LIMIT}`).then(
      (/** @type {TraceList} */ list) => {
        count.textContent = `${list.traces.length} recent`;
        replace(body, list.traces.length ? traceTable(list.traces) : h('p', { class: 'empty' }, 'No traces yet: call the gateway (or use the API explorer) and they appear here.'));
      },
      (error) => replace(body, errorBox(error)),
    );
  load();
  return context.stream.on('traces', throttled(load));
}

/**
 * @param {readonly TraceSummary[]} traces
 * @returns {HTMLElement}
 */
function traceTable(traces) {
  const rows = traces.map((trace) =>
    h(
      'tr',
      {
        class: `clickable${trace.error ? ' row-error' : ''}`,
        'data-testid': 'trace-row',
        'data-trace-id': trace.traceId,
        onclick: () => (location.hash = `#/traces/${encodeURIComponent(trace.traceId)}`),
      },
      h('td', { class: 'mono muted' }, clock(trace.startedAt)),
      h('td', null, trace.method ? badge(trace.method, trace.method.toLowerCase()) : null, ' ', h('a', { href: `#/traces/${encodeURIComponent(trace.traceId)}` }, trace.route ?? trace.name)),
      h('td', null, trace.status === null ? (trace.error ? badge('error', 'error') : h('span', { class: 'muted' }, '–')) : badge(String(trace.status), statusKind(trace.status))),
      h('td', { class: 'num' }, duration(trace.durationMs)),
      h('td', null, trace.services.map((service) => serviceChip(service))),
      h('td', { class: 'num muted' }, String(trace.spanCount)),
    ),
  );
  return table(['Time', 'Request', 'Status', 'Duration', 'Services', 'Spans'], rows, { 'data-testid': 'trace-list' });
}

/**
 * A service's name on its colour.
 *
 * @param {string} service
 * @returns {HTMLElement}
 * @example
 * serviceChip('users')
 */
export function serviceChip(service) {
  return h('span', { class: 'chip', style: { '--chip': serviceColour(service) } }, service);
}

/**
 * One trace: its waterfall, waiting for it while it is not there yet (its spans still running).
 *
 * @param {HTMLElement} root
 * @param {string[]} params the trace id
 * @returns {() => void}
 * @example
 * renderTrace(main, ['4bf92f3577b34da6a3ce929d0e0e4736'], context)
 */
export function renderTrace(root, params) {
  const traceId = params[0] ?? '';
  const body = h('div', null, h('p', { class: 'muted' }, 'Loading the trace…'));
  replace(root, h('p', { class: 'crumbs' }, h('a', { href: '#/traces' }, '← Traces')), body);
  const stop = pollTrace(traceId, (detail) => replace(body, traceView(detail)), (error) => replace(body, errorBox(error)));
  return stop;
}

/**
 * Fetches a trace until its root span has ended (a trace is listed once its root ends; spans of
 * other services may still be arriving), then once more a moment later for the stragglers.
 *
 * @param {string} traceId
 * @param {(detail: TraceDetail) => void} show called with each version found
 * @param {(error: unknown) => void} fail called when it never came or the API refused
 * @param {number} [timeoutMs]
 * @returns {() => void} stops polling
 * @example
 * const stop = pollTrace(answer.traceId, (detail) => replace(box, waterfall(detail)), (error) => replace(box, errorBox(error)));
 */
export function pollTrace(traceId, show, fail, timeoutMs = 20_000) {
  const until = Date.now() + timeoutMs;
  let stopped = false;
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let timer;
  let settled = false;
  const again = (/** @type {number} */ ms) => {
    if (!stopped) timer = setTimeout(attempt, ms);
  };
  const attempt = () => {
    getJson(`/api/traces/${encodeURIComponent(traceId)}`).then(
      (/** @type {TraceDetail} */ detail) => {
        if (stopped) return;
        show(detail);
        const complete = detail.spans.some((span) => span.parentSpanId === null);
        if (complete && settled) return;
        if (complete) settled = true;
        if (complete || Date.now() < until) again(complete ? 600 : 300);
      },
      (error) => {
        if (stopped) return;
        if (error instanceof ApiFailure && error.status === 404 && Date.now() < until) again(300);
        else fail(error);
      },
    );
  };
  attempt();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}

/**
 * @param {TraceDetail} detail
 * @returns {HTMLElement}
 */
function traceView(detail) {
  const root = detail.spans.find((span) => span.parentSpanId === null) ?? detail.spans[0];
  const services = [...new Set(detail.spans.map((span) => span.service))];
  return h(
    'div',
    null,
    viewHeader(root?.name ?? 'Trace', h('span', { class: 'mono muted' }, detail.traceId)),
    h(
      'div',
      { class: 'facts' },
      fact('Started', clock(detail.startedAt)),
      fact('Duration', duration(detail.durationMs)),
      fact('Spans', String(detail.spans.length)),
      fact('Services', h('span', null, services.map((service) => serviceChip(service)))),
    ),
    waterfall(detail),
  );
}

/**
 * @param {string} name
 * @param {import('../h.js').Children} value
 * @returns {HTMLElement}
 */
function fact(name, value) {
  return h('div', { class: 'fact' }, h('div', { class: 'fact-name' }, name), h('div', { class: 'fact-value' }, value));
}

/**
 * A trace's waterfall with its span details and log lines (also used inline by the API explorer).
 *
 * @param {TraceDetail} detail
 * @returns {HTMLElement}
 * @example
 * replace(box, waterfall(await getJson(`/api/traces/${id}`)))
 */
export function waterfall(detail) {
  const total = Math.max(detail.durationMs, 0.001);
  const panel = h('div', { class: 'span-detail', 'data-testid': 'span-detail' }, h('p', { class: 'muted' }, 'Click a span to see its attributes, events and log lines.'));
  /** @type {Map<string, HTMLElement>} */
  const rowsById = new Map();
  /** @param {TraceSpan} span */
  const select = (span) => {
    rowsById.forEach((row, id) => row.classList.toggle('selected', id === span.spanId));
    replace(panel, spanDetail(span, detail));
  };
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => h('span', { class: 'tick', style: { left: `${f * 100}%` } }, duration(f * total)));
  const rows = ordered(detail.spans).map(({ span, depth }) => {
    const left = ((span.startTime - detail.startedAt) / total) * 100;
    const width = Math.max((span.durationMs / total) * 100, 0.4);
    const failed = span.status === 'error';
    const row = h(
      'div',
      {
        class: `span-row${failed ? ' failed' : ''}`,
        'data-testid': 'span-row',
        'data-service': span.service,
        'data-span-id': span.spanId,
        tabindex: '0',
        onclick: () => select(span),
        onkeydown: (/** @type {KeyboardEvent} */ event) => event.key === 'Enter' && select(span),
      },
      h(
        'div',
        { class: 'span-name', style: { 'padding-left': `${8 + depth * 16}px` }, title: span.name },
        failed ? h('span', { class: 'failed-mark', title: span.statusMessage ?? 'error' }, '!') : null,
        h('span', { class: 'span-service', style: { color: serviceColour(span.service) } }, span.service),
        ' ',
        span.name,
      ),
      h(
        'div',
        { class: 'span-track' },
        h('div', { class: 'span-bar', style: { left: `${Math.min(left, 99.6)}%`, width: `${Math.min(width, 100 - Math.min(left, 99.6))}%`, background: serviceColour(span.service) } }),
        h('span', { class: 'span-time', style: left + width > 80 ? { right: `${100 - left + 0.5}%` } : { left: `${left + width + 0.5}%` } }, duration(span.durationMs)),
      ),
    );
    rowsById.set(span.spanId, row);
    return row;
  });
  return h(
    'div',
    { class: 'waterfall-wrap' },
    h(
      'div',
      { class: 'waterfall', 'data-testid': 'trace-waterfall' },
      h('div', { class: 'span-row axis' }, h('div', { class: 'span-name muted' }, 'span'), h('div', { class: 'span-track' }, ticks)),
      rows,
    ),
    panel,
    logList(detail, (spanId) => {
      const span = detail.spans.find((s) => s.spanId === spanId);
      if (span) select(span);
    }),
  );
}

/**
 * The spans depth first, children by start time; a span whose parent is not here starts a tree.
 *
 * @param {readonly TraceSpan[]} spans
 * @returns {{ span: TraceSpan, depth: number }[]}
 */
function ordered(spans) {
  const ids = new Set(spans.map((span) => span.spanId));
  /** @type {Map<string | null, TraceSpan[]>} */
  const children = new Map();
  for (const span of spans) {
    const parent = span.parentSpanId !== null && ids.has(span.parentSpanId) ? span.parentSpanId : null;
    children.set(parent, [...(children.get(parent) ?? []), span]);
  }
  /** @type {{ span: TraceSpan, depth: number }[]} */
  const out = [];
  /**
   * @param {string | null} parent
   * @param {number} depth
   */
  const walk = (parent, depth) => {
    for (const span of [...(children.get(parent) ?? [])].sort((a, b) => a.startTime - b.startTime)) {
      out.push({ span, depth });
      walk(span.spanId, depth + 1);
    }
  };
  walk(null, 0);
  return out;
}

/**
 * @param {TraceSpan} span
 * @param {TraceDetail} detail
 * @returns {HTMLElement[]}
 */
function spanDetail(span, detail) {
  const offset = (/** @type {number} */ time) => `+${duration(time - detail.startedAt)}`;
  const logs = detail.logs.filter((log) => log.spanId === span.spanId);
  return [
    h('h3', null, span.name),
    h(
      'div',
      { class: 'facts' },
      fact('Service', serviceChip(span.service)),
      fact('Kind', span.kind),
      fact('Status', span.status === 'error' ? badge(span.statusMessage ? `error: ${span.statusMessage}` : 'error', 'error') : badge(span.status, span.status === 'ok' ? 'ok' : 'none')),
      fact('Start', offset(span.startTime)),
      fact('Duration', duration(span.durationMs)),
      fact('Span id', h('span', { class: 'mono' }, span.spanId)),
    ),
    h('h4', null, 'Attributes'),
    Object.keys(span.attributes).length
      ? table(
          ['Name', 'Value'],
          Object.entries(span.attributes)
            .sort(([a], [b]) => a.localeCompare(b))
            .map(([name, value]) => h('tr', null, h('td', { class: 'mono' }, name), h('td', { class: 'mono' }, Array.isArray(value) ? value.join(', ') : String(value)))),
          { 'data-testid': 'span-attributes' },
        )
      : h('p', { class: 'muted' }, 'none'),
    h('h4', null, 'Events'),
    span.events.length
      ? table(
          ['At', 'Event', 'Attributes'],
          span.events.map((event) => h('tr', null, h('td', { class: 'mono muted' }, offset(event.time)), h('td', null, event.name), h('td', null, h('pre', { class: 'inline-json' }, pretty(event.attributes, 4000))))),
        )
      : h('p', { class: 'muted' }, 'none'),
    h('h4', null, `Log lines of this span (${logs.length})`),
    logs.length ? logTable(logs, detail.startedAt) : h('p', { class: 'muted' }, 'none'),
  ];
}

/**
 * Every log line of the trace; a line's span is selected by clicking it.
 *
 * @param {TraceDetail} detail
 * @param {(spanId: string) => void} select
 * @returns {HTMLElement}
 */
function logList(detail, select) {
  return h(
    'section',
    { class: 'trace-logs', 'data-testid': 'trace-logs' },
    h('h3', null, `Log lines of the trace (${detail.logs.length})`),
    detail.logs.length ? logTable(detail.logs, detail.startedAt, select) : h('p', { class: 'muted' }, 'No log line was written inside this trace.'),
  );
}

/**
 * @param {readonly TraceLog[]} logs
 * @param {number} start the trace's start, for offsets
 * @param {(spanId: string) => void} [select]
 * @returns {HTMLElement}
 */
function logTable(logs, start, select) {
  return table(
    ['At', 'Level', 'Service', 'Message', 'Fields'],
    logs.map((log) =>
      h(
        'tr',
        { class: select && log.spanId ? 'clickable' : null, onclick: select && log.spanId ? () => select(/** @type {string} */ (log.spanId)) : null },
        h('td', { class: 'mono muted' }, `+${duration(log.time - start)}`),
        h('td', null, badge(log.level, `level-${log.level}`)),
        h('td', null, serviceChip(log.service)),
        h('td', null, log.msg),
        h('td', null, Object.keys(log.fields).length ? h('code', { class: 'fields' }, compact(log.fields)) : null),
      ),
    ),
    { class: 'grid logs' },
  );
}

/**
 * `a=1 b="x y"`: a log line's fields on one line.
 *
 * @param {Readonly<Record<string, unknown>>} fields
 * @returns {string}
 */
function compact(fields) {
  return Object.entries(fields)
    .map(([name, value]) => `${name}=${typeof value === 'string' ? (/\s/.test(value) ? JSON.stringify(value) : value) : pretty(value, 300).replace(/\s*\n\s*/g, ' ')}`)
    .join('  ');
}
