// What a failing check may say on /ready, which anyone reaching the port can read: one line, no
// stack, no internal address (host:port, IPs, URLs, file paths), at most MAX_MESSAGE_LENGTH characters.

/** Longest error message a check result carries. */
export const MAX_MESSAGE_LENGTH = 200;

const URL_PATTERN = /\b[a-z][a-z0-9+.-]*:\/\/\S+/gi;
const IPV4_PATTERN = /\b\d{1,3}(?:\.\d{1,3}){3}(?::\d+)?\b/g;
const IPV6_PATTERN = /\[?\b(?:[0-9a-f]{0,4}:){2,7}[0-9a-f]{0,4}\]?(?::\d+)?/gi;
const HOST_PORT_PATTERN = /\b[a-z0-9][a-z0-9.-]*:\d{2,5}\b/gi;
const PATH_PATTERN = /(?:^|\s)(?:\/[\w.-]+){2,}/g;

/**
 * The message of a failure, fit to show: its first line, addresses and paths replaced, truncated.
 *
 * @param error - what the check threw (anything)
 * @example
 * boundedMessage(new Error('connect ECONNREFUSED 10.0.0.7:5432\n    at TCPConnectWrap...')); // 'connect ECONNREFUSED <address>'
 */
export function boundedMessage(error: unknown): string {
  const raw = error instanceof Error ? error.message : typeof error === 'string' ? error : 'the check failed';
  const firstLine = (raw.split(/\r?\n/, 1)[0] ?? '').trim();
  const clean = firstLine
    .replace(URL_PATTERN, '<address>')
    .replace(IPV4_PATTERN, '<address>')
    .replace(IPV6_PATTERN, (match) => (match.replace(/[^:]/g, '').length >= 2 && /[0-9a-f]/i.test(match) ? '<address>' : match))
    .replace(HOST_PORT_PATTERN, '<address>')
    .replace(PATH_PATTERN, (match) => `${match.startsWith(' ') ? ' ' : ''}<path>`);
  const text = clean === '' ? 'the check failed' : clean;
  return text.length <= MAX_MESSAGE_LENGTH ? text : `${text.slice(0, MAX_MESSAGE_LENGTH - 1)}…`;
}
