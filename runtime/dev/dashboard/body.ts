// A POST's JSON body, read whole but never more than the limit (the runtime's own reader:
// runtime/http/body.ts), parsed, and refused in the dashboard's words.
import type { IncomingMessage } from 'node:http';
import { isMeshError } from '../../errors/index.js';
import { readBodyText } from '../../http/body.js';
import { ApiProblem } from './problem.js';

/** The largest request body the dashboard reads: 1 MiB. */
export const MAX_BODY_BYTES = 1024 * 1024;

/**
 * Reads and parses a JSON request body of at most `limit` bytes.
 *
 * @param req - the request
 * @param limit - the most bytes read (default MAX_BODY_BYTES)
 * @returns the parsed value
 * @throws ApiProblem 413 (`body_too_large`) past the limit, 415 (`unsupported_media_type`) for an unknown
 *   Content-Encoding, 400 (`bad_json`) for an empty, malformed or unreadable body
 * @example
 * const request = await readJsonBody(req);
 */
export async function readJsonBody(req: IncomingMessage, limit: number = MAX_BODY_BYTES): Promise<unknown> {
  let text: string;
  try {
    text = await readBodyText(req, limit);
  } catch (err) {
    throw problemOfBody(err, limit);
  }
  if (text.trim() === '') throw new ApiProblem(400, 'bad_json', 'the request body is empty: send a JSON object');
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new ApiProblem(400, 'bad_json', `the request body is not JSON: ${(err as Error).message}`);
  }
}

/** The dashboard's refusal of a body the runtime's reader refused (over the limit, an unknown encoding, unreadable). */
function problemOfBody(err: unknown, limit: number): ApiProblem {
  if (isMeshError(err, 'PayloadTooLarge')) return new ApiProblem(413, 'body_too_large', `the request body is larger than ${limit} bytes`);
  if (isMeshError(err, 'UnsupportedMediaType')) return new ApiProblem(415, 'unsupported_media_type', err.message);
  return new ApiProblem(400, 'bad_json', `the request body could not be read: ${isMeshError(err) ? err.message : 'the request ended early'}`);
}
