// A stopping service with a drain delay: /ready answers 503 at once, every request keeps being served
// during the delay (each answer retiring its keep-alive connection), and only then the listener
// closes; requests under steady keep-alive load see no failure before that point.
import { Pool } from 'undici';
import { describe, expect, it } from 'vitest';
import { startService } from '../../support/runtime.js';
import { captureLogger, testSettings, usersHost } from './fixtures.js';

describe('shutdown with a drain delay', () => {
  it('turns /ready off first, keeps serving with Connection: close, and fails no request meanwhile', async () => {
    const { logger } = captureLogger('users');
    const service = await startService(usersHost(), testSettings(logger, { shutdownDelayMs: 400, shutdownGraceMs: 2_000 }));
    const origin = `http://127.0.0.1:${service.httpPort}`;
    const pool = new Pool(origin, { connections: 10 });
    const statuses: number[] = [];
    const connectionHeaders: string[] = [];
    let stopping = false;
    let failuresWhileServing = 0;
    // Ten keep-alive clients, each sending requests back to back until the service is gone.
    const clients = Array.from({ length: 10 }, async () => {
      for (;;) {
        try {
          const sentWhileStopping = stopping;
          const res = await pool.request({ path: '/users/1', method: 'GET' });
          await res.body.dump();
          statuses.push(res.statusCode);
          if (sentWhileStopping) connectionHeaders.push(String(res.headers['connection']));
        } catch {
          // Refused once the listener closed: the clients stop there.
          return;
        }
      }
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const closed = service.close();
    // close() retired the connections before its first wait: what is sent from here is answered so.
    stopping = true;
    // During the delay: not ready, still serving.
    const ready = await fetch(`${origin}/ready`);
    expect(ready.status).toBe(503);
    const during = await fetch(`${origin}/users/1`);
    if (during.status !== 200) failuresWhileServing++;
    await closed;
    await Promise.all(clients);
    await pool.close();
    expect(failuresWhileServing).toBe(0);
    expect(statuses.length).toBeGreaterThan(20);
    expect(statuses.every((status) => status === 200)).toBe(true);
    expect(connectionHeaders.length).toBeGreaterThan(0);
    expect(connectionHeaders.every((value) => value === 'close')).toBe(true);
  });
});
