// @ts-check
// The dashboard's shell: the hash router (#/topology, #/services, #/services/<endpoint id>,
// #/traces, #/traces/<trace id>, #/events, #/sagas, #/sagas/<owner>/<id>), the live stream shared
// by every view, and the header (mesh name, navigation, connection state).
import { getJson, openStream } from './api.js';
import { h, replace } from './h.js';
import { renderTopology } from './views/topology.js';
import { renderCatalog, renderEndpoint } from './views/services.js';
import { renderTraceList, renderTrace } from './views/traces.js';
import { renderEvents } from './views/events.js';
import { renderSaga, renderSagaList } from './views/sagas.js';

/**
 * @typedef {import('../api-types.js').Catalog} Catalog
 * @typedef {import('../api-types.js').Overview} Overview
 * @typedef {{ stream: import('./api.js').Stream, catalog(): Promise<Catalog>, overview(): Promise<Overview> }} Context
 * @typedef {{ (): Promise<Catalog>, reset(): void }} CachedCatalog
 * @typedef {(root: HTMLElement, params: string[], context: Context) => (void | (() => void))} View
 */

/** @type {Record<string, { view: View, nav: string }>} */
const ROUTES = {
  topology: { view: renderTopology, nav: 'topology' },
  services: { view: renderCatalog, nav: 'services' },
  'services/*': { view: renderEndpoint, nav: 'services' },
  traces: { view: renderTraceList, nav: 'traces' },
  'traces/*': { view: renderTrace, nav: 'traces' },
  events: { view: renderEvents, nav: 'events' },
  sagas: { view: renderSagaList, nav: 'sagas' },
  'sagas/*/*': { view: renderSaga, nav: 'sagas' },
};

/**
 * A value fetched once and kept until `reset` (the catalog changes only when a `meshspec dev --watch`
 * reload changes the spec: the stream's `catalog` event says so).
 *
 * @template T
 * @param {() => Promise<T>} load
 * @returns {{ (): Promise<T>, reset(): void }}
 */
function cached(load) {
  /** @type {Promise<T> | null} */
  let value = null;
  const get = () => {
    value ??= load().catch((error) => {
      value = null;
      throw error;
    });
    return value;
  };
  return Object.assign(get, {
    reset() {
      value = null;
    },
  });
}

/** Starts the page: header, stream and router. */
function start() {
  const stream = openStream();
  /** @type {Context} */
  /** @type {CachedCatalog} */
  const catalog = cached(() => getJson('/api/catalog'));
  const context = { stream, catalog, overview: cached(() => getJson('/api/overview')) };
  const main = /** @type {HTMLElement} */ (document.getElementById('view'));
  const status = /** @type {HTMLElement} */ (document.getElementById('stream-status'));
  stream.onState((state) => {
    status.textContent = state === 'live' ? 'live' : 'reconnecting…';
    status.className = `status ${state}`;
  });
  context
    .overview()
    .then((overview) => {
      const mesh = /** @type {HTMLElement} */ (document.getElementById('mesh'));
      mesh.textContent = overview.mesh;
      document.title = `${overview.mesh} · meshspec dev`;
      // Only a web address becomes a link (never a javascript: one).
      if (overview.gateway && /^https?:\/\//.test(overview.gateway.url)) {
        const links = /** @type {HTMLElement} */ (document.getElementById('links'));
        replace(links, h('a', { href: overview.gateway.url, target: '_blank', rel: 'noopener' }, 'gateway ↗'));
      }
    })
    .catch(() => undefined);

  /** @type {void | (() => void)} */
  let dispose;
  let currentKey = '';
  const route = () => {
    dispose?.();
    dispose = undefined;
    const parts = location.hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decode);
    const [first = 'topology', ...rest] = parts;
    const key = [first, ...rest.map(() => '*')].join('/');
    const match = ROUTES[key] ?? ROUTES['topology'];
    if (!match) return;
    currentKey = ROUTES[key] ? key : 'topology';
    for (const link of document.querySelectorAll('nav a')) link.classList.toggle('active', link.getAttribute('data-nav') === match.nav);
    main.replaceChildren();
    main.scrollTop = 0;
    dispose = match.view(main, ROUTES[key] ? rest : [], context);
  };
  window.addEventListener('hashchange', route);
  route();

  // A --watch reload changed the spec: the catalog is read again; its list shows the change at once,
  // an endpoint's page (a form the developer may be filling in) offers to.
  stream.on('catalog', () => {
    catalog.reset();
    if (currentKey === 'services') route();
    else if (currentKey === 'services/*' && !main.querySelector('[data-testid="catalog-changed"]')) {
      main.prepend(h('div', { class: 'notice', 'data-testid': 'catalog-changed' }, 'The spec changed. ', h('button', { type: 'button', onclick: route }, 'Show this endpoint as it is now')));
    }
  });
}

/**
 * @param {string} part
 * @returns {string}
 */
function decode(part) {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

start();
