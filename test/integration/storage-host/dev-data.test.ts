// The dev stack's embedded databases: a service with storage on PGlite keeps its data in
// `<data>/<service>` across a stop and start of the stack, and in memory forgets it.
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type DevStack, type StackOptions } from '../../support/runtime.js';
import { call, notesHost } from './fixtures.js';

const stack: DevStack = { mesh: 'test', services: [() => notesHost()], gateway: null, runtime: { bodyLimitBytes: 65_536, shutdownGraceMs: 1000 } };
// No URL in the environment: the embedded engine, whatever the machine running the tests has set.
const quiet = (data: string): StackOptions => ({ ports: { notes: { http: 0 } }, output: { write: () => true }, logLevel: 'silent', data, env: {} });

describe('the dev stack keeps a service\'s data in its data folder', () => {
  let data: string;

  beforeAll(async () => {
    data = await mkdtemp(path.join(tmpdir(), 'meshspec-data-'));
  });

  afterAll(async () => {
    await rm(data, { recursive: true, force: true });
  });

  it('a note written before a restart of the stack is read after it', async () => {
    const first = await startStack(stack, quiet(data));
    try {
      expect((await call(first.services['notes']!.httpPort, 'POST', '/notes', { id: 'n-1', body: 'survives' })).status).toBe(201);
    } finally {
      await first.close();
    }
    expect(existsSync(path.join(data, 'notes'))).toBe(true);

    const second = await startStack(stack, quiet(data));
    try {
      expect(await call(second.services['notes']!.httpPort, 'GET', '/notes/n-1')).toEqual({ status: 200, body: { id: 'n-1', body: 'survives' } });
    } finally {
      await second.close();
    }
  });

  it('in memory (MESH_DATA=memory) nothing is kept', async () => {
    const options = (): StackOptions => ({ ports: { notes: { http: 0 } }, output: { write: () => true }, logLevel: 'silent', env: { MESH_DATA: 'memory' } });
    const first = await startStack(stack, options());
    try {
      expect((await call(first.services['notes']!.httpPort, 'POST', '/notes', { id: 'm-1', body: 'gone' })).status).toBe(201);
    } finally {
      await first.close();
    }
    const second = await startStack(stack, options());
    try {
      expect((await call(second.services['notes']!.httpPort, 'GET', '/notes/m-1')).status).toBe(404);
    } finally {
      await second.close();
    }
  });
});
