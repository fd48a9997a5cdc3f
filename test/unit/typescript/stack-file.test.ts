import { describe, expect, it } from 'vitest';
import { emitted, fixtureModel } from './fixture.js';

describe('stack.ts', () => {
  it('lists every host factory, no gateway when the mesh has none, and the runtime settings with the bus', () => {
    const text = emitted('stack.ts');
    expect(text).toContain("import type { DevStack } from 'meshspec/runtime/dev';\n");
    expect(text).toContain("import { ordersHost } from './orders/host.js';\nimport { usersHost } from './users/host.js';\n");
    expect(text).toContain(
      "export const stack: DevStack = {\n  mesh: 'shop',\n  services: [ordersHost, usersHost],\n  gateway: null,\n" +
        '  runtime: {\n    bodyLimitBytes: 1048576,\n    shutdownGraceMs: 10000,\n' +
        "    bus: {\n      kind: 'memory',\n      maxAttempts: 5,\n      retryDelayMs: 100,\n      maxRetryDelayMs: 5000,\n" +
        '      claimIdleMs: 30000,\n      maxLength: 100000,\n      maxAgeMs: null,\n    },\n  },\n};\n',
    );
    expect(text).not.toContain('gateway/routes');
  });

  it('imports the generated gateway config and OpenAPI document when the mesh has a gateway', () => {
    const model = fixtureModel();
    model.gateway = {
      port: 8080,
      routes: [{ prefix: '/api/users', service: 'users', rewrite: '/users' }],
      timeoutMs: 1000,
      bodyLimitBytes: 1024,
      deploy: model.services[0]!.deploy,
      source: model.services[0]!.source,
    };
    const text = emitted('stack.ts', model);
    expect(text).toContain("import { gatewayConfig } from './gateway/routes.js';\n");
    expect(text).toContain("import { gatewayOpenApi } from './gateway/openapi.js';\n");
    expect(text).toContain('  gateway: { ...gatewayConfig, openapi: gatewayOpenApi },\n');
  });
});
