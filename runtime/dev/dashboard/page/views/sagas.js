// @ts-check
// Sagas: every saga of every owner, filtered by state, and one saga's steps on a timeline: forward
// steps and compensations, each bar from its start to its end, coloured by outcome, with attempts
// and errors. Refreshed when the stream says a saga changed.
import { getJson } from '../api.js';
import { h, replace } from '../h.js';
import { ago, clock, duration, pretty } from '../format.js';
import { badge, errorBox, table, throttled, viewHeader } from './common.js';
import { serviceChip } from './traces.js';

/**
 * @typedef {import('../../api-types.js').SagaList} SagaList
 * @typedef {import('../../api-types.js').SagaSummaryView} SagaSummaryView
 * @typedef {import('../../api-types.js').SagaDetail} SagaDetail
 * @typedef {SagaSummaryView['state']} SagaState
 */

/** The filters: one state each, and `finished` for completed and compensated. */
const FILTERS = /** @type {const} */ (['all', 'running', 'compensating', 'stuck', 'finished', 'completed', 'compensated']);
/** @type {(typeof FILTERS)[number]} */
let filter = 'all';

/**
 * @param {SagaSummaryView} saga
 * @param {(typeof FILTERS)[number]} which
 * @returns {boolean}
 */
function matches(saga, which) {
  if (which === 'all') return true;
  if (which === 'finished') return saga.state === 'completed' || saga.state === 'compensated';
  return saga.state === which;
}

/**
 * @param {HTMLElement} root
 * @param {string[]} _params
 * @param {import('../app.js').Context} context
 * @returns {() => void}
 * @example
 * renderSagaList(main, [], context)
 */
export function renderSagaList(root, _params, context) {
  const filters = h('div', { class: 'filters', role: 'group', 'aria-label': 'filter by state' });
  const body = h('div', null, h('p', { class: 'muted' }, 'Loading sagas…'));
  replace(root, viewHeader('Sagas', filters), body);
  /** @type {SagaList | null} */
  let list = null;
  const show = () => {
    if (!list) return;
    const current = list;
    replace(
      filters,
      FILTERS.map((which) => {
        const count = current.sagas.filter((saga) => matches(saga, which)).length;
        return h('button', { type: 'button', class: `filter${which === filter ? ' active' : ''}`, 'data-testid': `saga-filter-${which}`, onclick: () => ((filter = which), show()) }, `${which} `, h('span', { class: 'count' }, String(count)));
      }),
    );
    const shown = current.sagas.filter((saga) => matches(saga, filter));
    replace(
      body,
      current.unavailable.map((u) => errorBox(new Error(`${u.owner}: ${u.error}`))),
      shown.length ? sagaTable(shown) : h('p', { class: 'empty' }, current.sagas.length ? `No ${filter} saga.` : 'No saga has run yet.'),
    );
  };
  const load = () =>
    getJson('/api/sagas?limit=200').then(
      (/** @type {SagaList} */ answer) => {
        list = answer;
        show();
      },
      (error) => replace(body, errorBox(error)),
    );
  load();
  return context.stream.on('sagas', throttled(load));
}

/**
 * @param {readonly SagaSummaryView[]} sagas
 * @returns {HTMLElement}
 */
function sagaTable(sagas) {
  return table(
    ['Saga', 'Owner', 'State', 'Failure', 'Started', 'Took'],
    sagas.map((saga) => {
      const href = `#/sagas/${encodeURIComponent(saga.owner)}/${encodeURIComponent(saga.id)}`;
      return h(
        'tr',
        { class: 'clickable', 'data-testid': 'saga-row', 'data-saga': saga.saga, 'data-state': saga.state, onclick: () => (location.hash = href) },
        h('td', null, h('a', { href }, h('b', null, saga.saga)), h('div', { class: 'mono muted small' }, saga.id)),
        h('td', null, serviceChip(saga.owner)),
        h('td', null, badge(saga.state, saga.state)),
        h('td', null, saga.failure ? h('span', { class: 'error-text' }, `${saga.failure.step}: ${saga.failure.code}`, h('div', { class: 'muted small' }, saga.failure.message)) : h('span', { class: 'muted' }, '–')),
        h('td', { class: 'muted', title: clock(saga.createdAt) }, ago(saga.createdAt)),
        h('td', { class: 'num' }, saga.finishedAt === null ? h('span', { class: 'muted' }, `${duration(Date.now() - saga.createdAt)} so far`) : duration(saga.finishedAt - saga.createdAt)),
      );
    }),
    { 'data-testid': 'saga-list' },
  );
}

/**
 * One saga with its steps on a timeline.
 *
 * @param {HTMLElement} root
 * @param {string[]} params owner and saga id
 * @param {import('../app.js').Context} context
 * @returns {() => void}
 * @example
 * renderSaga(main, ['orders', '3f0c…'], context)
 */
export function renderSaga(root, params, context) {
  const [owner = '', id = ''] = params;
  const body = h('div', null, h('p', { class: 'muted' }, 'Loading the saga…'));
  replace(root, h('p', { class: 'crumbs' }, h('a', { href: '#/sagas' }, '← Sagas')), body);
  const load = () =>
    getJson(`/api/sagas/${encodeURIComponent(owner)}/${encodeURIComponent(id)}`).then(
      (/** @type {SagaDetail} */ saga) => replace(body, sagaView(saga)),
      (error) => replace(body, errorBox(error)),
    );
  load();
  return context.stream.on('sagas', throttled(load));
}

/**
 * @param {SagaDetail} saga
 * @returns {HTMLElement}
 */
function sagaView(saga) {
  const start = saga.createdAt;
  const end = Math.max(saga.finishedAt ?? Date.now(), ...saga.steps.map((step) => step.finishedAt ?? Date.now()));
  const total = Math.max(end - start, 1);
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => h('span', { class: 'tick', style: { left: `${f * 100}%` } }, duration(f * total)));
  return h(
    'div',
    null,
    viewHeader(saga.saga, badge(saga.state, saga.state, { 'data-testid': 'saga-state' }), h('span', { class: 'mono muted' }, saga.id)),
    h(
      'div',
      { class: 'facts' },
      h('div', { class: 'fact' }, h('div', { class: 'fact-name' }, 'Owner'), h('div', { class: 'fact-value' }, serviceChip(saga.owner))),
      h('div', { class: 'fact' }, h('div', { class: 'fact-name' }, 'Started'), h('div', { class: 'fact-value' }, clock(saga.createdAt))),
      h('div', { class: 'fact' }, h('div', { class: 'fact-name' }, 'Took'), h('div', { class: 'fact-value' }, saga.finishedAt === null ? 'still going' : duration(saga.finishedAt - saga.createdAt))),
      saga.failure ? h('div', { class: 'fact' }, h('div', { class: 'fact-name' }, 'Failure'), h('div', { class: 'fact-value error-text' }, `${saga.failure.step}: ${saga.failure.code}: ${saga.failure.message}`)) : null,
    ),
    h(
      'div',
      { class: 'timeline', 'data-testid': 'saga-timeline' },
      h('div', { class: 'span-row axis' }, h('div', { class: 'span-name muted' }, 'step'), h('div', { class: 'span-track' }, ticks)),
      saga.steps.map((step) => {
        const left = ((step.startedAt - start) / total) * 100;
        const width = Math.max((((step.finishedAt ?? end) - step.startedAt) / total) * 100, 0.6);
        return h(
          'div',
          { class: `span-row step phase-${step.phase} outcome-${step.outcome}`, 'data-testid': 'saga-step', 'data-step': step.step, 'data-phase': step.phase, 'data-outcome': step.outcome },
          h(
            'div',
            { class: 'span-name' },
            step.phase === 'compensate' ? h('span', { class: 'phase-mark', title: 'compensation' }, '↺') : null,
            h('b', null, step.step),
            ' ',
            badge(step.outcome, step.outcome),
            step.phase === 'compensate' ? h('span', { class: 'phase-text small' }, ' compensation') : null,
            step.attempts > 1 ? h('span', { class: 'muted small' }, ` ${step.attempts} attempts`) : null,
            step.error ? h('div', { class: 'error-text small' }, `${step.error.code}: ${step.error.message}`) : null,
          ),
          h(
            'div',
            { class: 'span-track' },
            h('div', { class: 'span-bar', style: { left: `${Math.min(left, 99.4)}%`, width: `${Math.min(width, 100 - Math.min(left, 99.4))}%` } }),
            h('span', { class: 'span-time', style: left + width > 80 ? { right: `${100 - left + 0.5}%` } : { left: `${left + width + 0.5}%` } }, step.finishedAt === null ? 'running' : duration(step.finishedAt - step.startedAt)),
          ),
        );
      }),
    ),
    h('div', { class: 'legend' }, ['succeeded', 'failed', 'started'].map((o) => h('span', { class: `legend-item outcome-${o}` }, h('span', { class: 'swatch' }), o)), h('span', { class: 'legend-item' }, '↺ compensation')),
    h('div', { class: 'two-columns' }, h('section', null, h('h3', null, 'Input'), h('pre', { class: 'json' }, pretty(saga.input))), h('section', null, h('h3', null, 'Output'), h('pre', { class: 'json' }, pretty(saga.output)))),
  );
}
