// Changes to a service's endpoints: removed or renamed, added, a changed method, path or success status,
// another input or output type, an error answered with another status.
import { keyOf, resolveType } from '../model/lookup.js';
import type { EndpointModel, ServiceModel } from '../model/types.js';
import type { DiffContext } from './context.js';
import type { Finding } from './finding.js';
import { compareNamedTypes } from './types.js';
import { unused } from './usage.js';

/** `/users/{id}` and `/users/{userId}` have one shape: the same URLs. */
function pathShape(path: string): string {
  return path.replace(/\{[^}]*\}/g, '{}');
}

export function compareEndpoints(context: DiffContext, before: ServiceModel, after: ServiceModel): Finding[] {
  const findings: Finding[] = [];
  const { locator } = context;
  const owner = after.name;
  const endpointAt = (name: string, key?: string) => locator.at(owner, ['endpoints', name, ...(key ? [key] : [])]);
  const added = after.endpoints.filter((e) => !before.endpoints.some((o) => o.name === e.name));
  const removed = before.endpoints.filter((o) => !after.endpoints.some((e) => e.name === o.name));

  const renamedTargets = new Set<string>();
  for (const old of removed) {
    const route = `${old.http.method} ${old.http.path}`;
    // Same route, or same input and output: the endpoint has likely been renamed.
    const candidates = added.filter((e) => !renamedTargets.has(e.name));
    const renamed = candidates.find((e) => e.http.method === old.http.method && pathShape(e.http.path) === pathShape(old.http.path))
      ?? candidates.find((e) => !old.inputSynthesized && e.input === old.input && e.output?.type === old.output?.type);
    if (renamed) {
      renamedTargets.add(renamed.name);
      findings.push({
        classification: 'breaking', code: 'endpoint-renamed', ...endpointAt(renamed.name),
        message: `endpoint \`${before.name}.${old.name}\` renamed to \`${renamed.name}\`: gRPC clients call \`${old.grpcMethod}\`, which is gone${renamed.http.path === old.http.path && renamed.http.method === old.http.method ? '' : `, and \`${route}\` too`}`,
        hint: `a rename is a removal plus an addition: keep \`${old.name}\` beside \`${renamed.name}\` until no client calls it`,
      });
      continue;
    }
    findings.push({
      classification: 'breaking', code: 'endpoint-removed', ...locator.at(owner, ['endpoints', old.name]),
      message: `endpoint \`${before.name}.${old.name}\` (\`${route}\`) removed`,
      hint: `keep it until no client calls it; to change it, add a new endpoint version (e.g. \`/v2${old.http.path}\`) beside it`,
    });
  }
  for (const e of added) {
    if (renamedTargets.has(e.name)) continue;
    findings.push({ classification: 'safe', code: 'endpoint-added', ...endpointAt(e.name), message: `endpoint \`${after.name}.${e.name}\` (\`${e.http.method} ${e.http.path}\`) added` });
  }
  for (const old of before.endpoints) {
    const now = after.endpoints.find((e) => e.name === old.name);
    if (now) findings.push(...compareEndpoint(context, before, after, old, now));
  }
  // Errors are declared once per service: a changed status is reported once, where it is declared.
  for (const error of before.errors) {
    const now = after.errors.find((e) => e.name === error.name);
    if (!now || (now.status === error.status && now.grpc === error.grpc)) continue;
    const declared = locator.has(owner, ['errors', now.name]);
    const user = after.endpoints.find((e) => e.errors.some((x) => x.name === now.name))!;
    const at = declared ? locator.at(owner, ['errors', now.name, now.status !== error.status ? 'status' : 'grpc']) : locator.at(owner, ['endpoints', user.name, 'errors']);
    findings.push({
      classification: 'breaking', code: 'error-status-changed', ...at,
      message: `error \`${now.name}\` of service \`${owner}\`: ${error.status} ${error.grpc} -> ${now.status} ${now.grpc}`,
      hint: `clients tell errors apart by status: keep ${error.status} (${error.grpc}), or declare a new error`,
    });
  }
  return findings;
}

function compareEndpoint(context: DiffContext, beforeService: ServiceModel, afterService: ServiceModel, before: EndpointModel, after: EndpointModel): Finding[] {
  const findings: Finding[] = [];
  const { locator } = context;
  const owner = afterService.name;
  const name = `endpoint \`${owner}.${after.name}\``;
  const httpAt = locator.at(owner, ['endpoints', after.name, 'http']);
  const newVersion = `add a new endpoint version (e.g. \`/v2${before.http.path}\`) beside the old one and keep the old until no client calls it`;
  if (before.http.method !== after.http.method) {
    findings.push({ classification: 'breaking', code: 'http-method-changed', ...httpAt, message: `${name}: method ${before.http.method} -> ${after.http.method}`, hint: newVersion });
  }
  if (pathShape(before.http.path) !== pathShape(after.http.path)) {
    findings.push({ classification: 'breaking', code: 'http-path-changed', ...httpAt, message: `${name}: path \`${before.http.path}\` -> \`${after.http.path}\``, hint: newVersion });
  } else if (before.http.path !== after.http.path) {
    findings.push({
      classification: 'warning', code: 'path-param-renamed', ...httpAt,
      message: `${name}: path parameter renamed (\`${before.http.path}\` -> \`${after.http.path}\`): the URLs are the same, the input field that holds it is renamed`,
      hint: `JSON clients of the gRPC method name the field: keep the parameter's name`,
    });
  }
  if (before.http.successStatus !== after.http.successStatus) {
    findings.push({
      classification: 'breaking', code: 'success-status-changed', ...(locator.has(owner, ['endpoints', after.name, 'status']) ? locator.at(owner, ['endpoints', after.name, 'status']) : httpAt),
      message: `${name}: success status ${before.http.successStatus} -> ${after.http.successStatus}`, hint: `clients check the status: keep ${before.http.successStatus}`,
    });
  }
  const outputAt = locator.at(owner, ['endpoints', after.name, 'output']);
  if ((before.output === null) !== (after.output === null) || (before.output && after.output && before.output.list !== after.output.list)) {
    const show = (o: EndpointModel['output']) => (o === null ? 'no body' : `${o.type}${o.list ? '[]' : ''}`);
    findings.push({ classification: 'breaking', code: 'output-changed', ...outputAt, message: `${name}: output ${show(before.output)} -> ${show(after.output)}`, hint: newVersion });
  } else if (before.output && after.output && keyOf(resolveType(context.before, beforeService.name, before.output.type)) !== keyOf(resolveType(context.after, owner, after.output.type))) {
    // Another type than before: compared with the earlier one here, as an output (the same type is compared where it is declared).
    const use = { ...unused, output: true };
    findings.push(...compareNamedTypes(context, { scope: beforeService.name, name: before.output.type }, { scope: owner, name: after.output.type }, use, outputAt));
  }
  if (!before.inputSynthesized || !after.inputSynthesized) {
    const beforeKey = keyOf(resolveType(context.before, beforeService.name, before.input));
    const afterKey = keyOf(resolveType(context.after, owner, after.input));
    // The same type is compared where it is declared; another one is compared with it here, as an input.
    if (beforeKey !== afterKey) {
      const use = { ...unused, input: true, pathParams: after.http.pathParams.filter((p) => before.http.pathParams.includes(p)) };
      findings.push(...compareNamedTypes(context, { scope: beforeService.name, name: before.input }, { scope: owner, name: after.input }, use, locator.at(owner, ['endpoints', after.name, 'input'])));
    }
  }
  for (const error of after.errors.filter((e) => !before.errors.some((o) => o.name === e.name))) {
    findings.push({
      classification: 'warning', code: 'error-added', ...locator.at(owner, ['endpoints', after.name, 'errors']),
      message: `${name} may now answer error \`${error.name}\` (${error.status})`, hint: `clients that handle only the errors they know see it as an unexpected failure`,
    });
  }
  return findings;
}
