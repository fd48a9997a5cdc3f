// A request's JSON body, read alike by both bindings: the size limit enforced while it streams (a
// declared length over the limit is refused before reading; a body growing past it stops being
// buffered at once), decoded like body-parser does (gzip, deflate, br and zstd; a UTF-8 BOM dropped),
// then parsed. Refusals carry a fixed message; what a library said (zlib's reason) is their `cause`,
// for the log only.
import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import zlib from 'node:zlib';
import { BadRequest, boundText, PayloadTooLarge, UnsupportedMediaType, type MeshError } from '../errors/index.js';

type Decoder = () => zlib.Gunzip | zlib.Inflate | zlib.BrotliDecompress;

const DECODERS: Record<string, Decoder> = {
  gzip: () => zlib.createGunzip(),
  deflate: () => zlib.createInflate(),
  br: () => zlib.createBrotliDecompress(),
  ...('createZstdDecompress' in zlib ? { zstd: (zlib as unknown as { createZstdDecompress: Decoder }).createZstdDecompress } : {}),
};

/**
 * Reads and parses a request's JSON body (the caller checked it has one, in JSON and UTF-8).
 * An empty body is `{}`, as Express reads it.
 *
 * @param req - the request, its body unread
 * @param limitBytes - the largest body accepted, counted after content decoding
 * @returns the parsed JSON value
 * @throws PayloadTooLarge (413) past the limit, UnsupportedMediaType (415) for an unknown
 *   Content-Encoding, BadRequest (400) for malformed JSON or a body that does not decode
 * @example
 * const body = await readJsonBody(req, 1_048_576);
 */
export async function readJsonBody(req: IncomingMessage, limitBytes: number): Promise<unknown> {
  const text = await readBodyText(req, limitBytes);
  const json = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (json.length === 0) return {};
  try {
    return JSON.parse(json) as unknown;
  } catch {
    throw new BadRequest('malformed JSON body');
  }
}

function tooLarge(limitBytes: number): MeshError {
  return new PayloadTooLarge(`request body is larger than the limit of ${limitBytes} bytes`);
}

/**
 * Reads a request's body as UTF-8 text, decoded and within the limit as readJsonBody reads it (for
 * a caller that parses and words its refusals itself: the dev dashboard).
 *
 * @param req - the request, its body unread
 * @param limitBytes - the largest body accepted, counted after content decoding
 * @returns the body's text (empty for an empty body)
 * @throws PayloadTooLarge (413) past the limit, UnsupportedMediaType (415) for an unknown
 *   Content-Encoding, BadRequest (400) for a body that does not decode or an aborted request
 * @example
 * const text = await readBodyText(req, 1_048_576);
 */
export function readBodyText(req: IncomingMessage, limitBytes: number): Promise<string> {
  const encoding = (req.headers['content-encoding'] ?? 'identity').toLowerCase();
  let source: Readable = req;
  let declared: number | null = null;
  if (encoding === 'identity') {
    const length = Number.parseInt(req.headers['content-length'] ?? '', 10);
    declared = Number.isNaN(length) ? null : length;
    // Refused before reading: node discards the unread body once the answer is sent.
    if (declared !== null && declared > limitBytes) return Promise.reject(tooLarge(limitBytes));
  } else {
    const decoder = DECODERS[encoding];
    if (!decoder) return Promise.reject(new UnsupportedMediaType(`unsupported content encoding "${boundText(encoding, 40)}"; use gzip, deflate, br or identity`));
    source = req.pipe(decoder());
  }

  return new Promise<string>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let received = 0;
    // Methods of one object, not named arrows: under tsx (keepNames) each named arrow made per
    // request costs an Object.defineProperty.
    const on = {
      stop(error: MeshError | null): void {
        source.off('data', on.data);
        source.off('end', on.end);
        source.off('error', on.error);
        req.off('close', on.close);
        if (source !== req) {
          req.unpipe();
          source.destroy();
        }
        if (error) {
          // Nothing more is kept; the rest is discarded so the connection stays usable for the answer.
          req.resume();
          reject(error);
        }
      },
      data(chunk: Buffer): void {
        received += chunk.length;
        if (received > limitBytes) on.stop(tooLarge(limitBytes));
        else chunks.push(chunk);
      },
      end(): void {
        on.stop(null);
        if (declared !== null && received !== declared) reject(new BadRequest('request size did not match content length'));
        else resolve(Buffer.concat(chunks, received).toString('utf8'));
      },
      error(err: Error): void {
        on.stop(source === req ? new BadRequest('request aborted') : new BadRequest(`request body is not valid ${encoding} data`, undefined, { cause: err }));
      },
      close(): void {
        if (!req.complete) on.stop(new BadRequest('request aborted'));
      },
    };
    source.on('data', on.data);
    source.once('end', on.end);
    source.once('error', on.error);
    req.once('close', on.close);
  });
}
