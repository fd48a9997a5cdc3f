// An event's `accepts`: the older versions subscribers still take during a rollout. The schema
// checks each key is a whole number; here each must be older than the event's `version`, and its
// payload a mesh-level record type like the current one.
import { isMap, isPair, isScalar } from 'yaml';
import { isRecord, type EventDeclaration, type SpecIndex } from '../collect.js';
import { isChoreographed } from '../raw.js';
import type { Reporter } from './reporter.js';
import { checkTypeRef } from './types.js';

const WHOLE_NUMBER = /^[1-9][0-9]{0,8}$/;

/**
 * Reports every accepted version of a mesh event that is not older than its current one, and every
 * accepted payload that is not a mesh-level record type.
 *
 * @param index - the spec's declarations
 * @param report - where the errors go
 * @example
 * checkEventVersions(index, report); // `accepts: { 2: ... }` on an event at `version: 2` -> accepted-version-not-older
 */
export function checkEventVersions(index: SpecIndex, report: Reporter): void {
  for (const event of index.events.values()) {
    if (event.saga !== undefined || event.raw.accepts === undefined) continue;
    checkDuplicates(event, report);
    warnSagaReaders(index, event, report);
    for (const [key, accepted] of Object.entries(event.raw.accepts)) {
      // A key the schema rejected is reported there already.
      if (!WHOLE_NUMBER.test(key)) continue;
      checkOlder(event, Number(key), report);
      const at = [...event.path, 'accepts', key, 'payload'];
      const rule = `an accepted payload is shared by every publisher and subscriber of \`${event.name}\`, so it must be a mesh-level type`;
      const payload = checkTypeRef(index, null, event.doc, at, accepted.payload, report, rule);
      if (payload && !isRecord(payload)) {
        report.error(event.doc, at, 'not-a-record', `an event payload must be a record type, and \`${accepted.payload}\` is an enum`);
      }
    }
  }
}

/**
 * A choreographed saga's owner reads its `starts` event and its compensations read a later step's
 * `fails` event without an upgrade hook: an older version there is dead-lettered, so say so where
 * the rollout is declared.
 */
function warnSagaReaders(index: SpecIndex, event: EventDeclaration, report: Reporter): void {
  const readers: string[] = [];
  for (const service of index.services.values()) {
    for (const [name, saga] of Object.entries(service.raw.sagas ?? {})) {
      if (!isChoreographed(saga) || !Array.isArray(saga.choreography)) continue;
      if (saga.starts === event.name) readers.push(`saga \`${name}\` of \`${service.name}\` starts on it`);
      const compensates = saga.choreography.some((step) => step.compensate !== undefined);
      if (compensates && saga.choreography.some((step) => step.fails === event.name)) readers.push(`saga \`${name}\` of \`${service.name}\` compensates on it`);
    }
  }
  if (readers.length === 0) return;
  report.warning(
    event.doc,
    [...event.path, 'accepts'],
    'accepted-version-in-saga',
    `${readers.join('; ')}: a saga's owner and its compensations read only the current version of \`${event.name}\` (they have no upgrade hook), so an older one is dead-lettered there; change its payload once the sagas in flight have ended`,
    { key: true },
  );
}

/**
 * `1:` and `"1":` are two keys to YAML but one version: the second would silently replace the first
 * in the data the rest of the checks read, so the document itself is looked at.
 */
function checkDuplicates(event: EventDeclaration, report: Reporter): void {
  const accepts = event.doc.doc.getIn([...event.path, 'accepts'], true);
  if (!isMap(accepts)) return;
  const seen = new Map<string, number>();
  for (const pair of accepts.items) {
    if (!isPair(pair) || !isScalar(pair.key) || !pair.key.range) continue;
    const version = String(pair.key.value);
    const first = seen.get(version);
    if (first === undefined) {
      seen.set(version, pair.key.range[0]);
      continue;
    }
    const { line, col } = event.doc.lineCounter.linePos(pair.key.range[0]);
    const earlier = event.doc.lineCounter.linePos(first).line;
    const message = `version ${version} of \`${event.name}\` is already accepted (line ${earlier}): a version has one payload; remove one of them`;
    report.diagnostics.push({ severity: 'error', code: 'duplicate-accepted-version', message, file: event.doc.file, line, col });
  }
}

function checkOlder(event: EventDeclaration, version: number, report: Reporter): void {
  const current = event.raw.version ?? 1;
  if (version < current) return;
  const at = [...event.path, 'accepts', String(version)];
  const message =
    current === 1
      ? `\`${event.name}\` is at version 1${event.raw.version === undefined ? ' (the default)' : ''}, so it has no older version to accept: ` +
        `to publish a new payload while subscribers still take the old one, set \`version: 2\` and accept \`1\``
      : `\`${event.name}\` is at version ${current}, so \`accepts\` lists only older versions (1 to ${current - 1}), and ${version} is not older: ` +
        `to roll out a new payload, raise \`version\` above every accepted one (\`version: ${version + 1}\`)`;
  report.error(event.doc, at, 'accepted-version-not-older', message, { key: true });
}
