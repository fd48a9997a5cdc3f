import { describe, expect, it } from 'vitest';
import { emitted, fixtureModel } from './fixture.js';

describe('<svc>/main.ts', () => {
  it("runs the service's host as its own process with the spec's runtime settings, the bus's included", () => {
    const model = fixtureModel();
    model.runtime = { bodyLimitBytes: 2048, shutdownGraceMs: 750, bus: { kind: 'redis', maxAttempts: 7, retryDelayMs: 250, maxRetryDelayMs: 2000, claimIdleMs: 60_000, maxLength: 5000, maxAgeMs: 3_600_000 } };
    expect(emitted('users/main.ts', model)).toBe(
      [
        "import { runServices } from 'meshspec/runtime/host';",
        "import { usersHost } from './host.js';",
        '',
        "// The spec's runtime settings are defaults: BODY_LIMIT, SHUTDOWN_GRACE, EVENT_BUS and EVENT_BUS_URL",
        '// in the environment win.',
        'await runServices([usersHost()], {',
        '  bodyLimitBytes: 2048,',
        '  shutdownGraceMs: 750,',
        '  bus: {',
        "    kind: 'redis',",
        '    maxAttempts: 7,',
        '    retryDelayMs: 250,',
        '    maxRetryDelayMs: 2000,',
        '    claimIdleMs: 60000,',
        '    maxLength: 5000,',
        '    maxAgeMs: 3600000,',
        '  },',
        '});',
        '',
      ].join('\n'),
    );
  });
});
