// A POST's JSON body, read whole but never more than the limit: the dashboard holds it in memory.
import type { IncomingMessage } from 'node:http';
import { ApiProblem } from './problem.js';

/** The largest request body the dashboard reads: 1 MiB. */
export const MAX_BODY_BYTES = 1024 * 1024;

/**
 * Reads and parses a JSON request body of at most `limit` bytes.
 *
 * @param req - the request
 * @param limit - the most bytes read (default MAX_BODY_BYTES)
 * @returns the parsed value
 * @throws ApiProblem 413 (`body_too_large`) past the limit, 400 (`bad_json`) for an empty or malformed body
 * @example
 * const request = await readJsonBody(req);
 */
export async function readJsonBody(req: IncomingMessage, limit: number = MAX_BODY_BYTES): Promise<unknown> {
  const tooLarge = () => new ApiProblem(413, 'body_too_large', `the request body is larger than ${limit} bytes`);
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    // Not read at all: the connection closes after the answer instead of draining a large upload.
    req.resume();
    throw tooLarge();
  }
  // Listeners rather than for-await: leaving that loop early would destroy the socket before the 413 is sent.
  const chunks = await new Promise<Buffer[]>((resolve, reject) => {
    const read: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (chunk: Buffer) => {
      if (over) return;
      size += chunk.length;
      if (size > limit) {
        over = true;
        reject(tooLarge());
        return;
      }
      read.push(chunk);
    });
    req.on('end', () => resolve(read));
    req.on('error', reject);
  });
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') throw new ApiProblem(400, 'bad_json', 'the request body is empty: send a JSON object');
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new ApiProblem(400, 'bad_json', `the request body is not JSON: ${(err as Error).message}`);
  }
}
