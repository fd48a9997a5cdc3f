// Checks of each service: what it calls, its errors, endpoints, events and routes.
import { builtinErrorStatus, isBuiltinError } from '../../../common/errors.js';
import { isProbePath, probeRole } from '../../../common/probes.js';
import { camelCaseSuggestion, isCamelCase, pathParams, synthesizedInputName } from '../../naming/index.js';
import { didYouMean } from '../diagnostics.js';
import { isRecord, maybeEvent, maybeService, recordFields, typeKind, unknownName, type Declared, type SpecIndex } from '../collect.js';
import { handlerOf, type RawEndpoint, type RawField, type RawService } from '../raw.js';
import { isPrototypeMember, prototypeMessage } from './prototype.js';
import type { Reporter } from './reporter.js';
import { checkTypeRef } from './types.js';

const QUERY_METHODS = new Set(['GET', 'DELETE']);
const SCALARS = new Set(['string', 'integer', 'number', 'boolean']);

export function checkServices(index: SpecIndex, report: Reporter): void {
  for (const service of index.services.values()) {
    if (isPrototypeMember(service.name)) report.error(service.doc, ['service'], 'reserved-name', prototypeMessage('a service', service.name, 'a client looked up for a service that is not called would seem to exist'));
    checkCalls(index, service, report);
    checkErrors(service, report);
    checkEndpoints(index, service, report);
    checkEvents(index, service, report);
  }
}

function checkCalls(index: SpecIndex, service: Declared<RawService>, report: Reporter): void {
  for (const [callee, call] of Object.entries(service.raw.calls ?? {})) {
    const at = ['calls', callee];
    const target = index.services.get(callee);
    if (callee === service.name) {
      report.error(service.doc, at, 'self-call', `service \`${callee}\` cannot call itself through a client; call your own code directly`, { key: true });
    } else if (!target) {
      if (!maybeService(index, callee)) report.error(service.doc, at, 'unknown-service', unknownName('service', callee, index.services.keys()), { key: true });
    } else if (call.transport === 'grpc' && target.raw.ports.grpc === undefined) {
      report.error(service.doc, [...at, 'transport'], 'no-grpc-port', `\`${callee}\` has no gRPC port (\`ports.grpc\` in ${target.doc.file}), so it cannot be called over gRPC`);
    }
  }
}

function checkErrors(service: Declared<RawService>, report: Reporter): void {
  for (const name of Object.keys(service.raw.errors ?? {})) {
    if (isBuiltinError(name)) {
      report.error(service.doc, ['errors', name], 'duplicate-error', `\`${name}\` is a built-in error; use it without declaring it`, { key: true });
    }
  }
}

function checkEndpoints(index: SpecIndex, service: Declared<RawService>, report: Reporter): void {
  const routes = new Map<string, string>();
  const knownErrors = [...Object.keys(builtinErrorStatus), ...Object.keys(service.raw.errors ?? {})];
  for (const [name, endpoint] of Object.entries(service.raw.endpoints ?? {})) {
    const at = ['endpoints', name];
    if (isPrototypeMember(name)) report.error(service.doc, at, 'reserved-name', prototypeMessage('an endpoint', name), { key: true });
    const [method = '', path = ''] = endpoint.http.split(' ');
    const params = pathParams(path);

    const route = `${method} ${path.replace(/\{[^}]+\}/g, '{}').replace(/\/$/, '')}`;
    const previous = routes.get(route);
    if (previous) {
      const other = service.raw.endpoints![previous]!.http;
      const same = other === endpoint.http ? '' : ` (\`${other}\`: params match any segment)`;
      report.error(service.doc, [...at, 'http'], 'duplicate-route', `\`${endpoint.http}\` is the same route as endpoint \`${previous}\`${same}; change the method or the path`);
    } else {
      const crossing = [...routes.values()].find((other) => crosses(service.raw.endpoints![other]!.http, endpoint.http));
      if (crossing) {
        const other = service.raw.endpoints![crossing]!.http;
        report.error(
          service.doc, [...at, 'http'], 'ambiguous-route',
          `\`${endpoint.http}\` and \`${other}\` (endpoint \`${crossing}\`) both match \`${overlap(other, endpoint.http)}\`, and neither is the more specific (each has a fixed segment where the other has a param); give them paths that tell them apart`,
        );
      }
      routes.set(route, name);
    }

    if (method === 'GET' && isProbePath(path)) {
      report.error(service.doc, [...at, 'http'], 'reserved-route', `\`GET ${path}\` is the service's own ${probeRole(path)}, which the runtime answers itself: choose another path`);
    }

    const duplicate = params.find((p, i) => params.indexOf(p) !== i);
    if (duplicate) {
      report.error(service.doc, [...at, 'http'], 'duplicate-path-param', `path param \`{${duplicate}}\` appears twice in \`${path}\`; give each param its own name`, { within: `{${duplicate}}`, last: true });
    }

    if (endpoint.input === undefined && endpoint.saga === undefined) checkSynthesizedParams(service, name, params, report);
    checkInput(index, service, name, endpoint, method, params, report);
    if (endpoint.output !== undefined) {
      checkRecordRef(index, service, [...at, 'output'], endpoint.output.replace(/\[\]$/, ''), 'output', report);
      if (endpoint.status === 204) report.error(service.doc, [...at, 'status'], 'status-with-body', `status 204 has no body, but the endpoint has an \`output\`; remove one of them (without \`status\`, an endpoint without \`output\` answers 204)`);
    }
    (endpoint.errors ?? []).forEach((error, i) => {
      if (!knownErrors.includes(error)) {
        report.error(service.doc, [...at, 'errors', i], 'unknown-error', `${unknownName('error', error, knownErrors)} (built-in errors: ${Object.keys(builtinErrorStatus).join(', ')}; or declare it under \`errors\`)`);
      }
    });
    (endpoint.emits ?? []).forEach((event, i) => {
      if (!knownEvent(index, event)) report.error(service.doc, [...at, 'emits', i], 'unknown-event', unknownName('event', event, index.events.keys()));
    });
  }
}

/** Without `input`, the path params become the fields of a synthesized record: they must be legal field names. */
function checkSynthesizedParams(service: Declared<RawService>, name: string, params: string[], report: Reporter): void {
  for (const param of new Set(params)) {
    if (isCamelCase(param)) continue;
    const suggestion = camelCaseSuggestion(param);
    report.error(
      service.doc, ['endpoints', name, 'http'], 'illegal-name',
      `path param \`{${param}}\` becomes a field of \`${synthesizedInputName(name)}\` (the endpoint has no \`input\`), and a field name is camelCase where each capital starts a word of two or more characters, so that protobuf's snake_case reads back as the same name${suggestion ? `; did you mean \`{${suggestion}}\`?` : ''}`,
      { within: `{${param}}` },
    );
  }
}

function checkInput(index: SpecIndex, service: Declared<RawService>, name: string, endpoint: RawEndpoint, method: string, params: string[], report: Reporter): void {
  if (endpoint.input === undefined) return;
  const at = ['endpoints', name, 'input'];
  const input = checkRecordRef(index, service, at, endpoint.input, 'input', report);
  if (!input) return;
  const fields = new Map(recordFields(input));
  const http = ['endpoints', name, 'http'];
  for (const param of new Set(params)) {
    const field = fields.get(param);
    const place = { within: `{${param}}` };
    if (!field) {
      const hint = didYouMean(param, fields.keys()) || `; add a required string or integer field \`${param}\` to \`${input.name}\``;
      report.error(service.doc, http, 'path-param-not-in-input', `path param \`{${param}}\` must be a field of the input \`${input.name}\`${hint}`, place);
    } else if (!declaredWhole(field)) {
      continue;
    } else if (field.optional || !(field.type === 'string' || field.type === 'integer' || field.enum || enumLike(index, service, field.type))) {
      const actual = field.optional ? 'optional' : `of type \`${field.type === 'array' ? `${field.items ?? '?'}[]` : field.type}\``;
      report.error(service.doc, http, 'path-param-type', `path param \`{${param}}\` must be a required string, integer or enum field of \`${input.name}\`, and \`${input.name}.${param}\` is ${actual}`, place);
    }
  }
  if (!QUERY_METHODS.has(method)) return;
  for (const [field, spec] of fields) {
    if (params.includes(field) || !declaredWhole(spec)) continue;
    // A type declared in a file that failed the schema is not judged: its kind is anybody's guess.
    const scalar = spec.enum !== undefined || SCALARS.has(spec.type ?? '') || enumLike(index, service, spec.type) ||
      (spec.type === 'array' && (SCALARS.has(spec.items ?? '') || enumLike(index, service, spec.items)));
    if (!scalar) {
      report.error(service.doc, at, 'query-field-not-scalar', `${method} takes its input from the query string, so \`${input.name}.${field}\` must be a scalar, an enum or a list of them; use POST for structured input`);
    } else if (spec.type === 'array' && !spec.optional && (spec.minItems ?? 0) < 1) {
      report.error(service.doc, at, 'query-list-required', `${method} takes its input from the query string, which cannot carry an empty list, so the required list \`${input.name}.${field}\` could never be empty over HTTP: make it \`optional: true\` or give it \`minItems: 1\``);
    }
  }
}

/**
 * A field whose kind is known: one without a type, or an array without `items`, is reported where it
 * is declared and not judged again (a map is never a scalar, whatever it holds).
 */
function declaredWhole(field: RawField): boolean {
  if (field.type === undefined) return field.enum !== undefined;
  return !(field.type === 'array' && field.items === undefined);
}

/**
 * An enum, or a type reference nobody can judge: undeclared (reported on its own) or declared in a
 * file that failed the schema. Either way no second error about its kind.
 */
function enumLike(index: SpecIndex, service: Declared<RawService>, type: string | undefined): boolean {
  if (type === undefined || SCALARS.has(type) || type === 'array' || type === 'map') return false;
  return typeKind(index, service.name, type) !== 'record';
}

/** Checks that `name` is a record type a service may use in its endpoints; returns it when it is. */
function checkRecordRef(index: SpecIndex, service: Declared<RawService>, at: (string | number)[], name: string, role: string, report: Reporter) {
  const rule = "an endpoint may use its service's types and mesh-level ones";
  const target = checkTypeRef(index, service.name, service.doc, at, name, report, rule);
  if (target && !isRecord(target)) {
    report.error(service.doc, at, 'not-a-record', `the ${role} of an endpoint must be a record type, and \`${name}\` is an enum`);
    return undefined;
  }
  return target;
}

function checkEvents(index: SpecIndex, service: Declared<RawService>, report: Reporter): void {
  (service.raw.publishes ?? []).forEach((event, i) => {
    if (!knownEvent(index, event)) report.error(service.doc, ['publishes', i], 'unknown-event', unknownName('event', event, index.events.keys()));
  });
  const handlers = new Map<string, string>();
  for (const [event, subscription] of Object.entries(service.raw.subscribes ?? {})) {
    const handler = handlerOf(subscription);
    // The object form names its handler one level down: point there.
    const handlerAt = typeof subscription === 'string' ? ['subscribes', event] : ['subscribes', event, 'handler'];
    if (isPrototypeMember(handler)) report.error(service.doc, handlerAt, 'reserved-name', prototypeMessage('a handler', handler));
    if (!knownEvent(index, event)) {
      report.error(service.doc, ['subscribes', event], 'unknown-event', unknownName('event', event, index.events.keys()), { key: true });
    }
    const previous = handlers.get(handler);
    if (previous) report.error(service.doc, handlerAt, 'duplicate-handler', `handler \`${handler}\` already handles \`${previous}\`; give each event its own handler`);
    else handlers.set(handler, event);
  }
}

function knownEvent(index: SpecIndex, event: string): boolean {
  return index.events.has(event) || maybeEvent(index, event);
}

/** The segments of `METHOD /a/{b}`, without a trailing slash; `null` for a param. */
function segments(http: string): { method: string; parts: (string | null)[] } {
  const [method = '', path = ''] = http.split(' ');
  return { method, parts: path.replace(/\/$/, '').split('/').slice(1).map((s) => (s.startsWith('{') ? null : s)) };
}

/**
 * Two routes of one method that some path matches both ways, with neither more specific: `/0/{x}`
 * and `/{y}/list` both take `/0/list`. (`/users/me` beside `/users/{id}` is fine: the literal wins.)
 */
function crosses(a: string, b: string): boolean {
  const x = segments(a);
  const y = segments(b);
  if (x.method !== y.method || x.parts.length !== y.parts.length) return false;
  let xLiteralFirst = false;
  let yLiteralFirst = false;
  for (let i = 0; i < x.parts.length; i++) {
    const p = x.parts[i];
    const q = y.parts[i];
    if (p !== null && q !== null && p !== q) return false;
    if (p !== null && q === null) xLiteralFirst = true;
    if (p === null && q !== null) yLiteralFirst = true;
  }
  return xLiteralFirst && yLiteralFirst;
}

/** A path both crossing routes match: each segment the literal one of them has, else `{…}`. */
function overlap(a: string, b: string): string {
  const x = segments(a).parts;
  const y = segments(b).parts;
  return `/${x.map((p, i) => p ?? y[i] ?? '{…}').join('/')}`;
}
