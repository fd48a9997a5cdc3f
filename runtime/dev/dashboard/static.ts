// The page's files (page/ beside this module, copied into dist by the build): only files under that
// folder, whatever the request's dots, encoded slashes or NUL bytes say, never cached, and held to
// a Content-Security-Policy that lets it load nothing but its own files.
import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ApiProblem } from './problem.js';

/** The page's folder: page/ beside this module, from the sources (tsx) as from dist. */
export const DEFAULT_PAGE_DIR = fileURLToPath(new URL('./page/', import.meta.url));

/** What the page may load: its own files and data: images; no inline script, no other site. */
export const CONTENT_SECURITY_POLICY = "default-src 'self'; img-src 'self' data:; style-src 'self'; connect-src 'self'";

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * The file of `pageDir` a URL path names (`/` is index.html), or null when it names none: outside
 * the folder, a dot file, a folder, or missing.
 *
 * @param pageDir - the page's folder
 * @param urlPath - the request's path, still percent-encoded
 * @throws ApiProblem 400 for a malformed percent-encoding
 * @example
 * await pageFile('/srv/page', '/app.js'); // '/srv/page/app.js'
 * await pageFile('/srv/page', '/..%2f..%2fetc/passwd'); // null
 */
export async function pageFile(pageDir: string, urlPath: string): Promise<string | null> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    throw new ApiProblem(400, 'bad_path', 'the path has a malformed percent-encoding');
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  const relative = decoded === '/' ? 'index.html' : decoded.replace(/^\/+/, '');
  if (relative.split('/').some((part) => part.startsWith('.'))) return null;
  const root = path.resolve(pageDir);
  const file = path.resolve(root, relative);
  if (!file.startsWith(root + path.sep)) return null;
  try {
    // A link inside the folder must not lead out of it either.
    const [real, realRoot] = await Promise.all([realpath(file), realpath(root)]);
    if (!real.startsWith(realRoot + path.sep)) return null;
    return (await stat(real)).isFile() ? real : null;
  } catch {
    return null;
  }
}

/**
 * Serves a file of the page (GET or HEAD); 404 when `urlPath` names none.
 *
 * @param res - the response
 * @param pageDir - the page's folder
 * @param urlPath - the request's path, still percent-encoded
 * @param head - true for HEAD: headers only
 * @throws ApiProblem 404, or 400 for a malformed path
 * @example
 * await serveStatic(res, DEFAULT_PAGE_DIR, '/', false);
 */
export async function serveStatic(res: ServerResponse, pageDir: string, urlPath: string, head: boolean): Promise<void> {
  const file = await pageFile(pageDir, urlPath);
  if (file === null) throw new ApiProblem(404, 'not_found', 'no such page or file');
  const { size } = await stat(file);
  res.writeHead(200, {
    'content-type': TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream',
    'content-length': String(size),
    'cache-control': 'no-store',
    'content-security-policy': CONTENT_SECURITY_POLICY,
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'referrer-policy': 'no-referrer',
  });
  if (head) {
    res.end();
    return;
  }
  await new Promise<void>((resolve, reject) => {
    const stream = createReadStream(file);
    stream.on('error', (err) => {
      res.destroy(err);
      reject(err);
    });
    stream.on('end', resolve);
    stream.pipe(res);
  });
}
