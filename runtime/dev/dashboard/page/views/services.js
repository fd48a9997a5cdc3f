// @ts-check
// Services: the catalog (per service its endpoints, calls, events and sagas, and the gateway's
// routes), and per endpoint the API explorer: a form prefilled from the input's schema that calls
// the endpoint through the gateway (POST /api/explorer/call) and shows the answer and its trace.
import { getJson, postJson } from '../api.js';
import { h, replace } from '../h.js';
import { duration, pretty } from '../format.js';
import { sampleOf } from '../sample.js';
import { badge, errorBox, statusKind, table, viewHeader } from './common.js';
import { pollTrace, serviceChip, waterfall } from './traces.js';

/**
 * @typedef {import('../../api-types.js').Catalog} Catalog
 * @typedef {import('../../api-types.js').CatalogService} CatalogService
 * @typedef {import('../../api-types.js').CatalogEndpoint} CatalogEndpoint
 * @typedef {import('../../api-types.js').ExplorerAnswer} ExplorerAnswer
 * @typedef {import('../../api-types.js').ExplorerRequest} ExplorerRequest
 */

/** The service the catalog scrolls to when it opens next (a click on the topology), if any. */
let focused = '';

/**
 * Opens the catalog at one service's card.
 *
 * @param {string} service
 * @example
 * showService('orders') // from a click on the topology's orders node
 */
export function showService(service) {
  focused = service;
  location.hash = '#/services';
}

/**
 * The catalog of every service.
 *
 * @param {HTMLElement} root
 * @param {string[]} _params
 * @param {import('../app.js').Context} context
 * @example
 * renderCatalog(main, [], context)
 */
export function renderCatalog(root, _params, context) {
  const body = h('div', null, h('p', { class: 'muted' }, 'Loading the catalog…'));
  replace(root, viewHeader('Services'), body);
  context.catalog().then(
    (catalog) => {
      replace(body, catalog.gateway ? gatewayCard(catalog.gateway) : null, catalog.services.map((service) => serviceCard(service, catalog)));
      const card = focused ? document.getElementById(`service-${focused}`) : null;
      focused = '';
      card?.scrollIntoView({ block: 'start' });
    },
    (error) => replace(body, errorBox(error)),
  );
}

/**
 * @param {NonNullable<Catalog['gateway']>} gateway
 * @returns {HTMLElement}
 */
function gatewayCard(gateway) {
  return h(
    'section',
    { class: 'card', 'data-testid': 'gateway-card' },
    h('div', { class: 'card-head' }, h('h2', null, serviceChip('gateway')), h('span', { class: 'mono muted' }, gateway.url), gateway.auth ? badge(`auth: ${gateway.auth}`, 'info') : badge('no auth', 'none')),
    table(
      ['Prefix', 'Service', 'Rewrite', 'Methods', 'Access'],
      gateway.routes.map((route) =>
        h('tr', null, h('td', { class: 'mono' }, route.prefix), h('td', null, serviceChip(route.service)), h('td', { class: 'mono' }, route.rewrite), h('td', null, route.methods.join(' ')), h('td', null, route.public ? badge('public', 'ok') : badge('token', 'info'))),
      ),
    ),
  );
}

/**
 * @param {CatalogService} service
 * @param {Catalog} catalog
 * @returns {HTMLElement}
 */
function serviceCard(service, catalog) {
  const sagas = catalog.sagas.filter((saga) => saga.owner === service.name);
  return h(
    'section',
    { class: 'card', 'data-testid': `service-${service.name}`, id: `service-${service.name}` },
    h(
      'div',
      { class: 'card-head' },
      h('h2', null, serviceChip(service.name)),
      h('span', { class: 'muted' }, `v${service.version}`),
      h('span', { class: 'mono muted' }, service.http),
      service.grpc ? h('span', { class: 'mono muted' }, `gRPC ${service.grpc}`) : null,
      service.storage ? badge('storage', 'info') : null,
    ),
    table(
      ['', 'Endpoint', 'Path', 'Through the gateway', 'Input → output', 'Errors'],
      service.endpoints.map((endpoint) =>
        h(
          'tr',
          { class: 'clickable', 'data-testid': `endpoint-${endpoint.id}`, onclick: () => (location.hash = `#/services/${encodeURIComponent(endpoint.id)}`) },
          h('td', null, badge(endpoint.method, endpoint.method.toLowerCase())),
          h('td', null, h('a', { href: `#/services/${encodeURIComponent(endpoint.id)}` }, endpoint.name), endpoint.startsSaga ? badge(`saga ${endpoint.startsSaga}`, 'saga') : null),
          h('td', { class: 'mono' }, endpoint.path),
          h('td', { class: 'mono' }, endpoint.gatewayPath ?? h('span', { class: 'muted' }, 'not routed'), endpoint.public ? [' ', badge('public', 'ok')] : null),
          h('td', { class: 'mono small' }, endpoint.input, ' → ', outputName(endpoint)),
          h('td', null, endpoint.errors.map((error) => h('span', { class: 'error-code', title: `HTTP ${error.status}` }, `${error.code} ${error.status}`))),
        ),
      ),
    ),
    h(
      'div',
      { class: 'card-foot' },
      section('Calls', service.calls.map((call) => h('div', { class: 'line-item', title: call.policy }, serviceChip(call.service), ' ', badge(call.inProcess ? `${call.transport}, in process` : call.transport, 'info'), h('span', { class: 'muted small' }, ` ${call.policy}`)))),
      section('Publishes', service.publishes.map((event) => h('div', { class: 'line-item mono' }, event))),
      section('Subscribes', service.subscribes.map((sub) => h('div', { class: 'line-item' }, h('span', { class: 'mono' }, sub.event), h('span', { class: 'muted' }, ` → ${sub.handler}`), sub.maxAttempts !== null ? h('span', { class: 'muted small' }, ` (${sub.maxAttempts} attempts)`) : null))),
      sagas.length ? section('Sagas', sagas.map((saga) => h('div', { class: 'line-item' }, h('b', null, saga.name), h('span', { class: 'muted small' }, ` ${saga.kind}: ${saga.steps.join(' → ')}`)))) : null,
    ),
  );
}

/**
 * @param {string} title
 * @param {HTMLElement[]} items
 * @returns {HTMLElement}
 */
function section(title, items) {
  return h('div', { class: 'foot-section' }, h('h4', null, title), items.length ? items : h('div', { class: 'muted small' }, 'none'));
}

/**
 * @param {CatalogEndpoint} endpoint
 * @returns {string}
 */
function outputName(endpoint) {
  if (!endpoint.output) return `${endpoint.successStatus} (no body)`;
  return endpoint.output.list ? `${endpoint.output.type}[]` : endpoint.output.type;
}

/**
 * One endpoint: what the model says of it, and the API explorer.
 *
 * @param {HTMLElement} root
 * @param {string[]} params the endpoint's id, `<service>.<endpoint>`
 * @param {import('../app.js').Context} context
 * @returns {() => void}
 * @example
 * renderEndpoint(main, ['users.createUser'], context)
 */
export function renderEndpoint(root, params, context) {
  const id = params[0] ?? '';
  /** @type {(() => void)[]} */
  const cleanups = [];
  const body = h('div', null, h('p', { class: 'muted' }, 'Loading…'));
  replace(root, h('p', { class: 'crumbs' }, h('a', { href: '#/services' }, '← Services')), body);
  Promise.all([context.catalog(), context.overview().catch(() => null)]).then(
    ([catalog, overview]) => {
      const endpoint = catalog.services.flatMap((service) => service.endpoints).find((e) => e.id === id);
      if (!endpoint) {
        replace(body, errorBox(new Error(`no endpoint ${id} in the catalog`)));
        return;
      }
      replace(body, viewHeader(endpoint.id, badge(endpoint.method, endpoint.method.toLowerCase()), h('span', { class: 'mono' }, endpoint.gatewayPath ?? endpoint.path)), h('div', { class: 'explorer-layout' }, endpointFacts(endpoint, catalog), explorer(endpoint, catalog, overview?.devToken ?? false, cleanups)));
    },
    (error) => replace(body, errorBox(error)),
  );
  return () => cleanups.forEach((cleanup) => cleanup());
}

/**
 * @param {CatalogEndpoint} endpoint
 * @param {Catalog} catalog
 * @returns {HTMLElement}
 */
function endpointFacts(endpoint, catalog) {
  const row = (/** @type {string} */ name, /** @type {import('../h.js').Children[]} */ ...value) => h('tr', null, h('th', null, name), h('td', null, ...value));
  return h(
    'section',
    { class: 'card' },
    h('h2', null, 'Endpoint'),
    h(
      'table',
      { class: 'facts-table' },
      h(
        'tbody',
        null,
        row('Service path', h('span', { class: 'mono' }, `${endpoint.method} ${endpoint.path}`)),
        row('Gateway path', endpoint.gatewayPath ? h('span', { class: 'mono' }, `${endpoint.method} ${endpoint.gatewayPath}`) : h('span', { class: 'muted' }, 'not routed: called on the service itself')),
        row('Access', endpoint.public === null ? '–' : endpoint.public ? badge('public', 'ok') : badge('needs a token', 'info')),
        row('Input', h('span', { class: 'mono' }, endpoint.input), h('span', { class: 'muted' }, ` (in the ${endpoint.inputSource === 'none' ? 'path' : endpoint.inputSource})`)),
        row('Output', h('span', { class: 'mono' }, outputName(endpoint)), h('span', { class: 'muted' }, ` · ${endpoint.successStatus}`)),
        row('Errors', endpoint.errors.length ? endpoint.errors.map((error) => h('span', { class: 'error-code' }, `${error.code} ${error.status}`)) : h('span', { class: 'muted' }, 'none declared')),
        row('Idempotent', endpoint.idempotent ? 'yes' : 'no'),
        endpoint.startsSaga ? row('Starts saga', endpoint.startsSaga) : null,
      ),
    ),
    h('details', { class: 'schema' }, h('summary', null, `Input schema (${endpoint.input})`), h('pre', { class: 'json' }, pretty(catalog.schemas[endpoint.input] ?? null))),
    endpoint.output ? h('details', { class: 'schema' }, h('summary', null, `Output schema (${endpoint.output.type})`), h('pre', { class: 'json' }, pretty(catalog.schemas[endpoint.output.type] ?? null))) : null,
  );
}

/**
 * The explorer's form and answer.
 *
 * @param {CatalogEndpoint} endpoint
 * @param {Catalog} catalog
 * @param {boolean} devToken whether the call carries the development token
 * @param {(() => void)[]} cleanups where to leave what stops the trace's polling
 * @returns {HTMLElement}
 */
function explorer(endpoint, catalog, devToken, cleanups) {
  const sample = sampleOf({ $ref: `#/$defs/${endpoint.input}` }, catalog.schemas);
  const sampled = /** @type {Record<string, unknown>} */ (sample && typeof sample === 'object' && !Array.isArray(sample) ? sample : {});
  const schema = /** @type {{ properties?: Record<string, any>, required?: string[] }} */ (catalog.schemas[endpoint.input] ?? {});

  const paramInputs = endpoint.pathParams.map((name) => ({ name, input: h('input', { type: 'text', value: String(sampled[name] ?? ''), 'data-testid': `explorer-param-${name}`, spellcheck: 'false' }) }));
  const rest = Object.fromEntries(Object.entries(sampled).filter(([name]) => !endpoint.pathParams.includes(name)));
  const bodyInput = endpoint.inputSource === 'body' ? h('textarea', { rows: Math.min(18, pretty(rest).split('\n').length + 2), 'data-testid': 'explorer-input', spellcheck: 'false' }) : null;
  if (bodyInput) bodyInput.value = pretty(rest);
  const queryInputs =
    endpoint.inputSource === 'query'
      ? Object.keys(schema.properties ?? {})
          .filter((name) => !endpoint.pathParams.includes(name))
          .map((name) => {
            const property = resolve(schema.properties?.[name], catalog.schemas);
            const required = schema.required?.includes(name) ?? false;
            const value = required ? String(sampled[name] ?? '') : '';
            // A field of a few values is a choice among them (blank: left out).
            const input = Array.isArray(property['enum'])
              ? h('select', { 'data-testid': `explorer-query-${name}` }, required ? null : h('option', { value: '' }, '(any)'), property['enum'].map((/** @type {unknown} */ option) => h('option', { value: String(option), selected: String(option) === value }, String(option))))
              : h('input', { type: 'text', value, placeholder: required ? 'required' : 'optional', 'data-testid': `explorer-query-${name}`, spellcheck: 'false' });
            return { name, type: /** @type {string | undefined} */ (property['type']), input };
          })
      : [];
  const headersInput = h('textarea', { rows: 3, 'data-testid': 'explorer-headers', spellcheck: 'false' });
  headersInput.value = '{}';
  const send = h('button', { type: 'submit', class: 'primary', 'data-testid': 'explorer-send' }, 'Send');
  const result = h('div', { class: 'explorer-result', 'data-testid': 'explorer-result' });

  const field = (/** @type {string} */ label, /** @type {HTMLElement} */ control, /** @type {string} */ hint = '') => h('label', { class: 'field' }, h('span', { class: 'field-label' }, label, hint ? h('span', { class: 'muted small' }, ` ${hint}`) : null), control);

  const form = h(
    'form',
    {
      class: 'explorer-form',
      onsubmit: (/** @type {SubmitEvent} */ event) => {
        event.preventDefault();
        /** @type {ExplorerRequest} */
        let request;
        try {
          request = {
            endpoint: endpoint.id,
            params: Object.fromEntries(paramInputs.map(({ name, input }) => [name, input.value])),
            ...(bodyInput ? { input: parseJson(bodyInput.value, 'the body') } : {}),
            ...(queryInputs.length ? { input: Object.fromEntries(queryInputs.filter(({ input }) => input.value !== '').map(({ name, type, input }) => [name, typed(input.value, type)])) } : {}),
            headers: /** @type {Record<string, string>} */ (parseJson(headersInput.value || '{}', 'the headers')),
          };
        } catch (error) {
          replace(result, errorBox(error));
          return;
        }
        send.disabled = true;
        send.textContent = 'Sending…';
        cleanups.forEach((cleanup) => cleanup());
        cleanups.length = 0;
        postJson('/api/explorer/call', request)
          .then(
            (/** @type {ExplorerAnswer} */ answer) => replace(result, ...answerView(answer, cleanups)),
            (error) => replace(result, errorBox(error)),
          )
          .finally(() => {
            send.disabled = false;
            send.textContent = 'Send';
          });
      },
    },
    h('h2', null, 'API explorer'),
    h('p', { class: 'muted small' }, endpoint.gatewayPath ? 'Calls the endpoint through the gateway' : 'Calls the service directly (no gateway route reaches it)', devToken && !endpoint.public ? ', with the development token.' : '.'),
    paramInputs.length ? h('fieldset', null, h('legend', null, 'Path'), paramInputs.map(({ name, input }) => field(name, input))) : null,
    bodyInput ? field('Body (JSON)', bodyInput) : null,
    queryInputs.length ? h('fieldset', null, h('legend', null, 'Query'), queryInputs.map(({ name, input, type }) => field(name, input, type ?? ''))) : null,
    h('details', null, h('summary', null, 'Extra headers'), field('Headers (JSON object; an authorization here replaces the development token)', headersInput)),
    h('div', { class: 'actions' }, send),
  );
  return h('section', { class: 'card explorer' }, form, result);
}

/**
 * @param {ExplorerAnswer} answer
 * @param {(() => void)[]} cleanups
 * @returns {HTMLElement[]}
 */
function answerView(answer, cleanups) {
  const traceBox = h('div', { class: 'explorer-trace', 'data-testid': 'explorer-trace' }, h('p', { class: 'muted' }, `Waiting for trace ${answer.traceId}…`));
  const traceLink = h('a', { href: `#/traces/${encodeURIComponent(answer.traceId)}`, 'data-testid': 'explorer-trace-link' }, 'open in Traces →');
  cleanups.push(
    pollTrace(
      answer.traceId,
      (detail) => replace(traceBox, waterfall(detail)),
      (error) => replace(traceBox, errorBox(error)),
    ),
  );
  return [
    h(
      'div',
      { class: 'answer-head' },
      badge(String(answer.status), statusKind(answer.status), { 'data-testid': 'explorer-status' }),
      h('span', { class: 'mono' }, `${answer.request.method} ${answer.request.url}`),
      h('span', { class: 'muted' }, `via ${answer.request.via} · ${duration(answer.durationMs)}`),
    ),
    h(
      'details',
      null,
      h('summary', null, `Response headers (${Object.keys(answer.headers).length})`),
      table(['Header', 'Value'], Object.entries(answer.headers).map(([name, value]) => h('tr', null, h('td', { class: 'mono' }, name), h('td', { class: 'mono' }, value)))),
    ),
    h('pre', { class: 'json response-body', 'data-testid': 'explorer-response-body' }, answer.body === null ? '(empty body)' : pretty(answer.body)),
    h('div', { class: 'trace-head' }, h('h3', null, 'Its trace'), h('span', { class: 'mono muted small' }, answer.traceId), traceLink),
    traceBox,
  ];
}

/**
 * A property's schema with its `$ref` (`#/$defs/<type>`) followed.
 *
 * @param {unknown} schema
 * @param {Readonly<Record<string, object>>} defs
 * @returns {Record<string, any>}
 */
function resolve(schema, defs) {
  let current = /** @type {Record<string, any>} */ (schema ?? {});
  for (let depth = 0; depth < 5 && typeof current['$ref'] === 'string'; depth++) current = /** @type {Record<string, any>} */ (defs[current['$ref'].replace(/^#\/\$defs\//, '')] ?? {});
  return current;
}

/**
 * @param {string} text
 * @param {string} what
 * @returns {unknown}
 */
function parseJson(text, what) {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new Error(`${what} is not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/**
 * A query field's text as its schema's type (numbers and booleans), else as typed.
 *
 * @param {string} text
 * @param {string | undefined} type
 * @returns {unknown}
 */
function typed(text, type) {
  if ((type === 'number' || type === 'integer') && text.trim() !== '' && Number.isFinite(Number(text))) return Number(text);
  if (type === 'boolean' && (text === 'true' || text === 'false')) return text === 'true';
  return text;
}
