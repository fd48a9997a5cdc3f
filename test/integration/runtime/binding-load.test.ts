// startService runs the binding the definition names, Express loaded only then (runtime/http/load-app.ts).
import { describe, expect, it } from 'vitest';
import { startService } from '../../support/runtime.js';
import { captureLogger, jsonOf, testSettings, usersDefinition, usersHost } from './fixtures.js';

describe('the binding a started service runs', () => {
  it.each(['node', 'express'] as const)('%s: serves the endpoints', async (binding) => {
    const service = await startService(usersHost({ definition: { ...usersDefinition, binding } }), testSettings(captureLogger('users').logger));
    try {
      const res = await fetch(`http://127.0.0.1:${service.httpPort}/users/1`);
      expect(res.status).toBe(200);
      expect((await jsonOf(res)).id).toBe(1);
      // Express's own mark would say which binding answered; neither shows it.
      expect(res.headers.get('x-powered-by')).toBeNull();
      const missing = await fetch(`http://127.0.0.1:${service.httpPort}/nowhere`);
      expect((await jsonOf(missing)).error.code).toBe('NotFound');
    } finally {
      await service.close();
    }
  });
});
