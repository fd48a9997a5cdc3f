// Checks of the endpoints that start a saga (`saga`, `wait`) or answer its status (`sagaStatus`):
// they have no hook, so the generator fixes their input and output, and the runtime answers them from
// the saga's log; what the schema cannot say about them is checked here.
import { MAX_DURATION_MS, parseDuration } from '../../../common/units.js';
import { pathParams, sagaTypeNames } from '../../naming/index.js';
import type { Declared, SpecIndex } from '../collect.js';
import { didYouMean } from '../diagnostics.js';
import { isChoreographed, type RawEndpoint, type RawService } from '../raw.js';
import type { Reporter } from './reporter.js';

/**
 * Reports every problem of the endpoints that start or watch a saga: an unknown saga (with the closest
 * name) or one of another service, an `input` or `output` other than the implied ones, `wait`
 * without `saga` or longer than a timer counts, a `saga` endpoint with path params or a GET/DELETE
 * method, a `sagaStatus` endpoint that is not `GET` with exactly one path param, two status endpoints
 * for one saga, `saga` and `sagaStatus` together, and `emits` on either.
 *
 * @param index the spec's declarations (the services' endpoints and sagas)
 * @param report where the diagnostics go
 * @example checkSagaEndpoints(index, report) // `saga: placeOrdr` -> unknown-saga, did you mean `placeOrder`?
 */
export function checkSagaEndpoints(index: SpecIndex, report: Reporter): void {
  for (const service of index.services.values()) {
    const statusOf = new Map<string, string>();
    for (const [name, endpoint] of Object.entries(service.raw.endpoints ?? {})) {
      const at = ['endpoints', name];
      if (endpoint.wait !== undefined && endpoint.saga === undefined) {
        report.error(service.doc, [...at, 'wait'], 'wait-without-saga', '`wait` says how long an endpoint that starts a saga waits for its end; this endpoint has no `saga`: remove `wait`, or add `saga`', { key: true });
      }
      if (endpoint.saga !== undefined && endpoint.sagaStatus !== undefined) {
        report.error(service.doc, [...at, 'sagaStatus'], 'saga-and-status', 'an endpoint either starts a saga (`saga`) or answers its status (`sagaStatus`), not both: declare two endpoints', { key: true });
      }
      const role = endpoint.saga !== undefined ? 'saga' : endpoint.sagaStatus !== undefined ? 'sagaStatus' : undefined;
      if (role === undefined) continue;
      const saga = role === 'saga' ? endpoint.saga! : endpoint.sagaStatus!;
      if ((endpoint.emits ?? []).length > 0) {
        const what = role === 'saga' ? 'starts a saga' : "answers a saga's status";
        report.error(service.doc, [...at, 'emits'], 'saga-endpoint-emits', `endpoint \`${name}\` ${what} and runs no hook, so it publishes nothing: remove \`emits\` (the saga publishes \`${saga}.completed\` and \`${saga}.failed\` itself)`, { key: true });
      }
      const raw = service.raw.sagas?.[saga];
      if (raw === undefined) {
        reportUnknownSaga(index, service, [...at, role], saga, report);
      } else if (role === 'saga') {
        if (isChoreographed(raw)) {
          report.error(service.doc, [...at, 'saga'], 'saga-endpoint-choreographed', `saga \`${saga}\` is choreographed: its \`starts\` event \`${raw.starts}\` starts it, not an endpoint; publish \`${raw.starts}\` from a hook (an endpoint may answer its status with \`sagaStatus\`)`);
        } else {
          checkStart(service, name, endpoint, raw.input, report);
        }
      } else {
        const previous = statusOf.get(saga);
        if (previous !== undefined) {
          report.error(service.doc, [...at, 'sagaStatus'], 'duplicate-saga-status', `endpoint \`${previous}\` already answers the status of saga \`${saga}\`: one status endpoint per saga (its path is the \`Location\` of a 202)`);
        } else {
          statusOf.set(saga, name);
        }
      }
      if (role === 'sagaStatus') checkStatus(service, name, endpoint, report);
      checkOutput(service, name, endpoint, saga, report);
    }
  }
}

function reportUnknownSaga(index: SpecIndex, service: Declared<RawService>, at: (string | number)[], saga: string, report: Reporter): void {
  const owner = [...index.services.values()].find((s) => s.name !== service.name && s.raw.sagas?.[saga] !== undefined);
  if (owner) {
    report.error(service.doc, at, 'saga-of-another-service', `saga \`${saga}\` belongs to service \`${owner.name}\`: an endpoint starts or watches only its own service's sagas (its log is in that service's database); declare the endpoint in \`${owner.name}\``);
    return;
  }
  const own = Object.keys(service.raw.sagas ?? {});
  const hint = didYouMean(saga, own) || (own.length === 0 ? `; \`${service.name}\` declares no saga (\`sagas\`)` : `; \`${service.name}\`'s sagas: ${own.map((s) => `\`${s}\``).join(', ')}`);
  report.error(service.doc, at, 'unknown-saga', `saga \`${saga}\` is not declared in \`${service.name}\`${hint}`);
}

/** A `saga` endpoint: its input comes from the body and is the saga's; it waits no longer than a timer counts. */
function checkStart(service: Declared<RawService>, name: string, endpoint: RawEndpoint, sagaInput: string, report: Reporter): void {
  const at = ['endpoints', name];
  const [method = '', path = ''] = endpoint.http.split(' ');
  if (method === 'GET' || method === 'DELETE') {
    report.error(service.doc, [...at, 'http'], 'saga-endpoint-method', `endpoint \`${name}\` starts a saga with its input from the body, and ${method} has none: use POST (or PUT, PATCH)`, { within: method });
  }
  const params = pathParams(path);
  if (params.length > 0) {
    report.error(service.doc, [...at, 'http'], 'saga-endpoint-path-params', `endpoint \`${name}\` starts a saga, whose input is the body whole: remove the path param \`{${params[0]}}\` (put it in the saga's input \`${sagaInput}\`)`, { within: `{${params[0]}}` });
  }
  if (endpoint.input !== undefined && endpoint.input !== sagaInput) {
    report.error(service.doc, [...at, 'input'], 'saga-endpoint-input', `endpoint \`${name}\` starts saga \`${endpoint.saga}\`, whose input is \`${sagaInput}\`, not \`${endpoint.input}\`: remove \`input\` (it is implied)`);
  }
  if (typeof endpoint.wait === 'string') {
    const ms = parseDuration(endpoint.wait);
    if (ms !== undefined && ms > MAX_DURATION_MS) {
      report.error(service.doc, [...at, 'wait'], 'duration-too-long', `\`${endpoint.wait}\` is longer than the runtime can wait: at most ${MAX_DURATION_MS} ms (about 596h); \`wait: true\` waits until the caller's deadline`);
    }
  }
}

/** A `sagaStatus` endpoint: `GET` with one path param, the saga id, which is its whole input. */
function checkStatus(service: Declared<RawService>, name: string, endpoint: RawEndpoint, report: Reporter): void {
  const at = ['endpoints', name];
  const [method = '', path = ''] = endpoint.http.split(' ');
  if (method !== 'GET') {
    report.error(service.doc, [...at, 'http'], 'saga-status-method', `endpoint \`${name}\` answers a saga's status, which only reads: use GET`, { within: method });
  }
  const params = pathParams(path);
  if (params.length !== 1) {
    const example = `GET ${path.replace(/\{[^}]+\}/g, '').replace(/\/+/g, '/').replace(/\/$/, '')}/{id}`;
    report.error(service.doc, [...at, 'http'], 'saga-status-path-params', `endpoint \`${name}\` answers a saga's status and takes the saga id as its one path param, and \`${path}\` has ${params.length}; e.g. \`${example}\``);
  }
  if (endpoint.input !== undefined) {
    report.error(service.doc, [...at, 'input'], 'saga-endpoint-input', `endpoint \`${name}\` answers a saga's status: its input is its path param, the saga id; remove \`input\``);
  }
}

function checkOutput(service: Declared<RawService>, name: string, endpoint: RawEndpoint, saga: string, report: Reporter): void {
  const status = sagaTypeNames(saga).status;
  if (endpoint.output === undefined || endpoint.output === status) return;
  report.error(service.doc, ['endpoints', name, 'output'], 'saga-endpoint-output', `endpoint \`${name}\` answers the status of saga \`${saga}\`, \`${status}\`, not \`${endpoint.output}\`: remove \`output\` (it is implied)`);
}
