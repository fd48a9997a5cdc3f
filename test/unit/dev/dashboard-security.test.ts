// The dashboard's request checks, one function at a time: Host names, POST type and origin, body
// limits, the page's file resolution, and error answers that name no internals.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { MAX_BODY_BYTES, readJsonBody } from '../../../runtime/dev/dashboard/body.js';
import { ApiProblem, MAX_ERROR_MESSAGE, problemOf } from '../../../runtime/dev/dashboard/problem.js';
import { checkHost, checkPost, hostAllowed, ownOrigins } from '../../../runtime/dev/dashboard/security.js';
import { pageFile } from '../../../runtime/dev/dashboard/static.js';

/** A request with these headers (and this body). */
function request(headers: Record<string, string>, body: string | Buffer = ''): IncomingMessage {
  const stream = Readable.from(body === '' ? [] : [Buffer.from(body)]) as unknown as IncomingMessage;
  Object.assign(stream, { headers, method: 'POST', url: '/api/explorer/call' });
  return stream;
}

function refusal(run: () => unknown): { status: number; code: string } {
  try {
    run();
  } catch (err) {
    expect(err).toBeInstanceOf(ApiProblem);
    return { status: (err as ApiProblem).status, code: (err as ApiProblem).code };
  }
  throw new Error('not refused');
}

describe('dashboard Host check', () => {
  it('takes the loopback names with any port', () => {
    for (const host of ['localhost', 'localhost:9400', '127.0.0.1:9400', '127.0.0.1', '[::1]:9400', '[::1]', 'LOCALHOST:1']) expect(hostAllowed(host), host).toBe(true);
  });

  it('refuses any other name, a missing Host and look-alikes (DNS rebinding)', () => {
    for (const host of [undefined, '', 'evil.example', 'evil.example:9400', 'localhost.evil.example', '127.0.0.1.nip.io:9400', '10.0.0.5:9400', '[::2]:9400', 'localhost:9400@evil', '127.0.0.1:9400:1']) {
      expect(hostAllowed(host), String(host)).toBe(false);
    }
    expect(refusal(() => checkHost(request({ host: 'evil.example:9400' })))).toEqual({ status: 403, code: 'forbidden_host' });
  });
});

describe('dashboard POST checks', () => {
  const origins = ownOrigins(9400);

  it('takes JSON from the dashboard\'s own origin, or with no Origin (curl)', () => {
    expect(() => checkPost(request({ 'content-type': 'application/json' }), origins)).not.toThrow();
    expect(() => checkPost(request({ 'content-type': 'application/json; charset=utf-8', origin: 'http://127.0.0.1:9400' }), origins)).not.toThrow();
    expect(() => checkPost(request({ 'content-type': 'application/json', origin: 'http://localhost:9400' }), origins)).not.toThrow();
  });

  it('refuses another origin with 403, even with JSON', () => {
    for (const origin of ['https://evil.example', 'http://127.0.0.1:9401', 'null', 'http://localhost']) {
      expect(refusal(() => checkPost(request({ 'content-type': 'application/json', origin }), origins)), origin).toEqual({ status: 403, code: 'forbidden_origin' });
    }
  });

  it('refuses what a form can send (text/plain, urlencoded, multipart) with 415', () => {
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', '']) {
      expect(refusal(() => checkPost(request(type ? { 'content-type': type } : {}), origins)), type).toEqual({ status: 415, code: 'unsupported_media_type' });
    }
  });
});

describe('dashboard request bodies', () => {
  it('parses a JSON body', async () => {
    await expect(readJsonBody(request({}, '{"endpoint":"users.getUser"}'))).resolves.toEqual({ endpoint: 'users.getUser' });
  });

  it('refuses a declared length over 1 MiB before reading, and a longer stream as it reads (413)', async () => {
    await expect(readJsonBody(request({ 'content-length': String(MAX_BODY_BYTES + 1) }, '{}'))).rejects.toMatchObject({ status: 413, code: 'body_too_large' });
    await expect(readJsonBody(request({}, Buffer.alloc(MAX_BODY_BYTES + 10, 'a')))).rejects.toMatchObject({ status: 413 });
    await expect(readJsonBody(request({}, `"${'a'.repeat(100)}"`), 50)).rejects.toMatchObject({ status: 413 });
  });

  it('refuses broken and empty JSON with 400 and says why', async () => {
    await expect(readJsonBody(request({}, '{"endpoint":'))).rejects.toMatchObject({ status: 400, code: 'bad_json', message: expect.stringContaining('not JSON') });
    await expect(readJsonBody(request({}, '  '))).rejects.toMatchObject({ status: 400, code: 'bad_json', message: expect.stringContaining('empty') });
  });
});

describe('dashboard error answers', () => {
  it('are { error: { code, message } } with a bounded message', () => {
    const { status, body } = problemOf(new ApiProblem(400, 'bad_request', 'x'.repeat(5000)));
    expect(status).toBe(400);
    expect(body.error.code).toBe('bad_request');
    expect(body.error.message.length).toBeLessThanOrEqual(MAX_ERROR_MESSAGE);
  });

  it('never carry a stack or an internal message for an unexpected failure', () => {
    const { status, body } = problemOf(new Error('ECONNREFUSED 10.1.2.3:5432 at /home/dev/secret.ts:1'));
    expect(status).toBe(500);
    expect(JSON.stringify(body)).not.toMatch(/10\.1\.2\.3|secret|ECONNREFUSED|at \//);
  });
});

describe('dashboard page files', () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'dashboard-page-'));
  const page = path.join(root, 'page');
  mkdirSync(path.join(page, 'views'), { recursive: true });
  writeFileSync(path.join(page, 'index.html'), '<!doctype html>');
  writeFileSync(path.join(page, 'views', 'topology.js'), 'export {}');
  writeFileSync(path.join(page, '.secret'), 'no');
  writeFileSync(path.join(root, 'outside.txt'), 'secret');
  symlinkSync(path.join(root, 'outside.txt'), path.join(page, 'link.txt'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('serves index.html for / and files below the folder', async () => {
    expect(await pageFile(page, '/')).toBe(path.join(page, 'index.html'));
    expect(await pageFile(page, '/views/topology.js')).toBe(path.join(page, 'views', 'topology.js'));
    expect(await pageFile(page, '/views%2Ftopology.js')).toBe(path.join(page, 'views', 'topology.js'));
  });

  it('finds nothing outside the folder, however the path is spelled', async () => {
    for (const attempt of ['/../outside.txt', '/..%2Foutside.txt', '/%2e%2e/outside.txt', '/%2e%2e%2foutside.txt', '/views/../../outside.txt', '/..%5coutside.txt', '/link.txt', '/.secret', '/views', '/missing.js', '/index.html%00.js', `/${root}/outside.txt`]) {
      expect(await pageFile(page, attempt), attempt).toBeNull();
    }
  });

  it('refuses a malformed percent-encoding with 400', async () => {
    await expect(pageFile(page, '/%E0%A4%A')).rejects.toMatchObject({ status: 400 });
  });
});
