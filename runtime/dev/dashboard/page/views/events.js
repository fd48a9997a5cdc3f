// @ts-check
// Events: per event its publishers and rate, per subscribing group its handle and failure rates,
// lag, retries and dead letters (live from the stream); then the dead letters themselves, each with
// a Replay button, and Replay all per service (the same code as `meshspec events dlq replay`).
import { getJson, postJson } from '../api.js';
import { h, replace } from '../h.js';
import { ago, percent, rate } from '../format.js';
import { badge, errorBox, table, throttled, viewHeader } from './common.js';
import { serviceChip } from './traces.js';

/**
 * @typedef {import('../../api-types.js').EventsView} EventsView
 * @typedef {import('../../api-types.js').DeadLetterList} DeadLetterList
 * @typedef {import('../../api-types.js').DashboardDeadLetter} DashboardDeadLetter
 * @typedef {import('../../api-types.js').ReplayAnswer} ReplayAnswer
 */

/**
 * @param {HTMLElement} root
 * @param {string[]} _params
 * @param {import('../app.js').Context} context
 * @returns {() => void}
 * @example
 * renderEvents(main, [], context)
 */
export function renderEvents(root, _params, context) {
  const stats = h('div', null, h('p', { class: 'muted' }, 'Loading…'));
  const letters = h('div', null, h('p', { class: 'muted' }, 'Loading…'));
  const message = h('div', { class: 'replay-message', 'data-testid': 'replay-message', role: 'status' });
  const letterCount = h('span', { class: 'muted', 'data-testid': 'dead-letter-count' });
  // Dead letters first: they are what needs a hand.
  replace(root, viewHeader('Events'), h('div', { class: 'section-head first' }, h('h2', null, 'Dead letters'), letterCount), message, letters, h('div', { class: 'section-head' }, h('h2', null, 'Rates and lag')), stats);

  /** @param {EventsView} view */
  const showStats = (view) => replace(stats, view.events.length ? eventTable(view) : h('p', { class: 'empty' }, 'The mesh declares no events.'));
  const loadLetters = () =>
    getJson('/api/dead-letters').then(
      (/** @type {DeadLetterList} */ list) => {
        letterCount.textContent = `${list.deadLetters.length}`;
        replace(letters, list.deadLetters.length ? letterTables(list.deadLetters, replay) : h('p', { class: 'empty', 'data-testid': 'no-dead-letters' }, 'No dead letters: every event was handled.'));
      },
      (error) => replace(letters, errorBox(error)),
    );
  /**
   * @param {string} service
   * @param {readonly string[] | 'all'} ids
   * @param {HTMLButtonElement} button
   */
  const replay = (service, ids, button) => {
    button.disabled = true;
    postJson('/api/dead-letters/replay', { service, ids }).then(
      (/** @type {ReplayAnswer} */ answer) => {
        message.className = `replay-message ${answer.notFound.length ? 'warn' : 'ok'}`;
        message.textContent = answer.message;
        loadLetters();
      },
      (error) => {
        button.disabled = false;
        message.className = 'replay-message';
        replace(message, errorBox(error));
      },
    );
  };

  getJson('/api/events').then(showStats, (error) => replace(stats, errorBox(error)));
  loadLetters();
  const offEvents = context.stream.on('events', showStats);
  const offLetters = context.stream.on('dead-letters', throttled(loadLetters, 200));
  return () => {
    offEvents();
    offLetters();
  };
}

/**
 * @param {EventsView} view
 * @returns {HTMLElement}
 */
function eventTable(view) {
  /** @type {HTMLTableRowElement[]} */
  const rows = [];
  for (const event of view.events) {
    rows.push(
      h(
        'tr',
        { class: 'event-row', 'data-testid': `event-${event.name}` },
        h('td', null, h('b', { class: 'mono' }, event.name), h('span', { class: 'muted small' }, ` v${event.version}`)),
        h('td', null, event.publishers.length ? event.publishers.map((p) => serviceChip(p)) : h('span', { class: 'muted' }, 'none')),
        h('td', { class: 'num' }, rate(event.publishRate)),
        h('td', { class: 'num muted' }, String(event.published)),
        h('td', { colspan: 4, class: 'muted small' }, event.groups.length ? '' : 'no subscriber'),
      ),
    );
    for (const group of event.groups) {
      const failing = group.failureRate > 0;
      rows.push(
        h(
          'tr',
          { class: 'group-row', 'data-testid': `group-${event.name}-${group.group}` },
          h('td', { class: 'indent muted' }, `↳ group ${group.group}`),
          h('td', null, serviceChip(group.service)),
          h('td', { class: 'num' }, rate(group.handleRate)),
          h('td', { class: 'num muted' }, String(group.handled)),
          h('td', { class: `num${failing ? ' bad' : ''}` }, `${rate(group.failureRate)}`, group.handleRate + group.failureRate > 0 ? h('span', { class: 'muted small' }, ` (${percent(group.failureRate / (group.handleRate + group.failureRate))})`) : null),
          h('td', { class: `num${group.lag > 0 ? ' warn' : ''}` }, String(group.lag)),
          h('td', { class: `num${group.retrying > 0 ? ' warn' : ''}` }, String(group.retrying)),
          h('td', { class: 'num' }, group.deadLetters > 0 ? badge(String(group.deadLetters), 'error') : h('span', { class: 'muted' }, '0')),
        ),
      );
    }
  }
  return table(['Event / group', 'Publishers / service', 'Rate', 'Total', 'Failures', 'Lag', 'Retrying', 'Dead'], rows, { 'data-testid': 'event-stats', class: 'grid events' });
}

/**
 * The dead letters grouped by service, each with its Replay button.
 *
 * @param {readonly DashboardDeadLetter[]} letters
 * @param {(service: string, ids: readonly string[] | 'all', button: HTMLButtonElement) => void} replay
 * @returns {HTMLElement[]}
 */
function letterTables(letters, replay) {
  const services = [...new Set(letters.map((letter) => letter.service))].sort();
  return services.map((service) => {
    const own = letters.filter((letter) => letter.service === service);
    const all = h('button', { type: 'button', 'data-testid': `replay-all-${service}` }, `Replay all ${own.length}`);
    all.addEventListener('click', () => replay(service, 'all', all));
    return h(
      'section',
      { class: 'card', 'data-testid': `dead-letters-${service}` },
      h('div', { class: 'card-head' }, h('h3', null, serviceChip(service)), h('span', { class: 'muted' }, `${own.length} dead letter${own.length === 1 ? '' : 's'}`), h('span', { class: 'spacer' }), all),
      table(
        ['Event', 'Error', 'Attempts', 'Dead since', ''],
        own.map((letter) => {
          const button = h('button', { type: 'button', class: 'primary small', 'data-testid': 'replay' }, 'Replay');
          button.addEventListener('click', () => replay(service, [letter.id], button));
          const deadAt = letter.deadAt ? Date.parse(letter.deadAt) : NaN;
          return h(
            'tr',
            { 'data-testid': 'dead-letter', 'data-id': letter.id, 'data-event': letter.event },
            h('td', null, h('span', { class: 'mono' }, letter.event), letter.source ? h('div', { class: 'muted small' }, `from ${letter.source}`) : null),
            h('td', { class: 'error-text' }, h('details', null, h('summary', null, firstLine(letter.error)), h('pre', { class: 'inline-json' }, letter.error), letter.envelope ? h('pre', { class: 'inline-json' }, JSON.stringify(letter.envelope, null, 2)) : null)),
            h('td', { class: 'num' }, String(letter.attempts)),
            h('td', { class: 'muted', title: letter.deadAt ?? '' }, Number.isFinite(deadAt) ? ago(deadAt) : '–'),
            h('td', { class: 'num' }, button),
          );
        }),
      ),
    );
  });
}

/**
 * @param {string} text
 * @returns {string}
 */
function firstLine(text) {
  const line = text.split('\n')[0] ?? '';
  return line.length > 140 ? `${line.slice(0, 139)}…` : line;
}
