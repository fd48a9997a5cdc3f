// The retry rule on its own: what undici reports, and how far the attempt got, decide.
import { describe, expect, it } from 'vitest';
import { notTaken, type AttemptProgress } from '../../../runtime/gateway/retry.js';

const failure = (code: string) => Object.assign(new Error(code), { code });
const notWritten: AttemptProgress = { written: false, reusedConnection: false, answerBytes: 0 };
const reusedSilent: AttemptProgress = { written: true, reusedConnection: true, answerBytes: 0 };

describe('notTaken', () => {
  it.each(['ECONNREFUSED', 'UND_ERR_CONNECT_TIMEOUT', 'ENOTFOUND', 'ECONNRESET', 'UND_ERR_SOCKET'])('retries %s before the request was written', (code) => {
    expect(notTaken(failure(code), notWritten)).toBe(true);
  });

  it.each(['UND_ERR_SOCKET', 'ECONNRESET', 'EPIPE'])('retries %s on a reused connection with no answer byte', (code) => {
    expect(notTaken(failure(code), reusedSilent)).toBe(true);
  });

  it.each([
    ['a new connection', { written: true, reusedConnection: false, answerBytes: 0 }],
    ['part of an answer read', { written: true, reusedConnection: true, answerBytes: 12 }],
  ] as const)('never retries a closed connection after %s', (_, progress) => {
    expect(notTaken(failure('UND_ERR_SOCKET'), progress)).toBe(false);
  });

  it.each(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_ABORTED', 'UND_ERR_DESTROYED', 'GATEWAY_CLIENT_CLOSED', 'GATEWAY_BODY_TOO_LARGE'])(
    'never retries %s',
    (code) => {
      expect(notTaken(failure(code), reusedSilent)).toBe(false);
      expect(notTaken(failure(code), notWritten)).toBe(false);
    },
  );

  it('never retries an error without a code', () => {
    expect(notTaken(new Error('something'), notWritten)).toBe(false);
  });
});
