// Golden error cases: each folder under test/golden/errors holds a broken spec and the exact
// diagnostics (file:line:col, code, message) meshspec must report for it, all of them at once.
// `UPDATE_GOLDEN=1 npx vitest run test/unit/language/golden-errors.test.ts` rewrites expected.txt
// from what meshspec reports now: review the diff before committing it.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileSpec } from '../../../generator/pipeline.js';
import { formatDiagnostic } from '../../../generator/language/diagnostics.js';

const root = path.resolve(import.meta.dirname, '../../golden/errors');
const cases = readdirSync(root).sort();

describe('golden error cases', () => {
  it('has the cases the issue asks for', () => {
    const known = [
      'bad-yaml', 'schema-violation', 'unknown-reference', 'duplicate-field-number', 'illegal-name', 'port-clash',
      // Issue #5's known failures and their classes, each reported wrongly (or called valid) before.
      'generated-suffix-type', 'proto-enum-values', 'service-file-clash', 'event-payload-scope',
      'mesh-schema-error-isolated', 'service-schema-error-isolated', 'mesh-sections-unreadable',
      'duplicate-type-no-follow-on', 'broken-field-no-follow-on', 'name-suggestions', 'path-params', 'schema-messages',
      'yaml-indentation', 'yaml-unquoted-values', 'yaml-other-mistakes',
      // Issue #7: the bus settings and the subscription object form.
      'bus-schema', 'bus-retry-delays', 'bus-claim-idle', 'bus-subscription-handler',
      // Issue #8: resilience policies, their references, balancing and idempotency.
      'policy-values', 'policy-references', 'policy-schema',
      // Issue #8: call fallbacks, their names and the failures a policy lets them answer.
      'fallback-references', 'fallback-schema',
      // Issue #9: the HTTP binding and extra routes, per service and for the mesh.
      'http-schema',
      // Groups of services deployed as one process (`deploy.groups`).
      'group-references', 'group-names', 'group-deploy', 'group-schema',
      // Issue #10: the shutdown delay the manifests drain by, set in `deploy` only.
      'deploy-shutdown-delay',
      // Issue #13: autoscaling, image tags and digests, the gateway's ingress.
      'deploy-autoscaling', 'deploy-k8s-schema',
      // Issue #13: the gateway's metrics listener, and where Prometheus scrapes from.
      'gateway-metrics-port', 'gateway-metrics-port-default', 'deploy-monitoring-true', 'deploy-monitoring-labels',
      // The gateway's authentication, rate limits, CORS and listener limits.
      'gateway-schema', 'gateway-auth', 'gateway-auth-empty', 'gateway-jwt-keys', 'gateway-jwt-nokeys', 'gateway-delegate',
      'gateway-delegate-method', 'gateway-delegate-params', 'gateway-limits', 'gateway-cors-hostile',
      // A gateway route's own methods, body limit and timeout.
      'gateway-route-methods', 'gateway-route-schema',
      // Issue #11: a service's `storage`, its schema and where its database URL comes from.
      'storage-schema', 'storage-checks',
      // Issue #12: a service's `sagas`, their references, mappings and storage.
      'saga-schema', 'saga-references', 'saga-mappings', 'saga-storage', 'saga-synthesized-names', 'saga-endpoints',
      // Issue #12: choreographed sagas, their forms, schema and references.
      'choreography-schema', 'choreography-forms', 'choreography-references', 'choreography-storage',
      // Issue #14: an event's older versions still accepted during a rollout.
      'event-versions', 'event-versions-schema', 'event-versions-duplicate',
    ];
    for (const name of known) {
      expect(cases).toContain(name);
    }
  });

  for (const name of cases) {
    it(name, async () => {
      const dir = path.join(root, name);
      const result = await compileSpec('spec', dir);
      const actual = result.diagnostics.map(formatDiagnostic);
      if (process.env.UPDATE_GOLDEN) writeFileSync(path.join(dir, 'expected.txt'), `${actual.join('\n')}\n`);
      const expected = readFileSync(path.join(dir, 'expected.txt'), 'utf8').trimEnd().split('\n');
      expect(result.model).toBeNull();
      expect(actual).toEqual(expected);
    });
  }
});
