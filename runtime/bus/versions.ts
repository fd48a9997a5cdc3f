// Which payload schema an incoming envelope is read with: its event's current version, or an older
// one the spec still accepts during a rollout, upgraded to the current payload by the subscriber's
// hook. Any other version (retired, or newer than this service's spec) cannot be handled by any
// retry: it is unprocessable, so the adapter dead-letters it at once with the reason.
import type { EventCatalog } from '../service/definition.js';
import { describeIssues } from '../validation/issues.js';
import type { Validators } from '../validation/types.js';
import { UnprocessableEvent, type EventEnvelope } from './types.js';

/**
 * One event's entry of the catalog (generated/events.ts).
 *
 * @example
 * const entry: EventCatalogEntry = { payload: 'OrderCreatedV2', version: 2, accepts: { 1: 'OrderCreated' } };
 */
export type EventCatalogEntry = EventCatalog[string];

/**
 * Turns an accepted older version's payload (already checked against its schema) into the current
 * payload: the subscriber's hook for that version.
 *
 * @param payload - the older version's payload
 * @example
 * const upgrade: UpgradeFunction = async (payload) => ({ ...(payload as object), currency: 'EUR' });
 */
export type UpgradeFunction = (payload: unknown) => Promise<unknown>;

/**
 * What {@link currentPayload} reads an envelope with.
 *
 * @example
 * const reading: VersionedReading = { service: 'mailer', entry: events['order.created'], validators, upgrade: (v) => hookFor(v) };
 */
export interface VersionedReading {
  /** The subscribing service, named in the reasons. */
  readonly service: string;
  readonly entry: EventCatalogEntry;
  readonly validators: Validators;
  /** The upgrade hook of an accepted version; undefined when the service has none for it. */
  readonly upgrade: (version: number) => UpgradeFunction | undefined;
}

/**
 * The envelope's payload as the current version of its event: checked against the schema of the
 * envelope's version, upgraded when that version is an accepted older one, and checked again.
 * Throws UnprocessableEvent (dead-lettered at once) for a version neither current nor accepted, a
 * payload that does not match its version's schema, or an upgrade that returns an invalid payload;
 * an error the upgrade hook throws passes through (retried like a handler's).
 *
 * @param envelope - the delivery
 * @param reading - the subscriber, the event's catalog entry, the validators and the upgrade hooks
 * @example
 * const payload = await currentPayload(envelope, { service: 'mailer', entry: events['order.created'], validators, upgrade });
 * await hook(payload, ctx);
 */
export async function currentPayload(envelope: EventEnvelope, reading: VersionedReading): Promise<unknown> {
  const { entry, validators } = reading;
  const version = envelope.version;
  if (version === entry.version) {
    checked(entry.payload, envelope.payload, reading, `invalid '${envelope.event}' payload from ${envelope.source}`);
    return envelope.payload;
  }
  const olderType = typeof version === 'number' ? entry.accepts?.[version] : undefined;
  if (olderType === undefined) throw new UnprocessableEvent(notTaken(envelope, reading));
  checked(olderType, envelope.payload, reading, `invalid '${envelope.event}' version ${version} payload from ${envelope.source}`);
  const upgrade = reading.upgrade(version);
  // checkUpgrades refuses to start a service without them; a definition edited by hand could still lack one.
  if (upgrade === undefined) throw new UnprocessableEvent(`${reading.service} has no upgrade hook for '${envelope.event}' version ${version}`);
  const upgraded = await upgrade(envelope.payload);
  const result = validators.validate(entry.payload, upgraded);
  if (!result.ok) {
    throw new UnprocessableEvent(
      `the upgrade of '${envelope.event}' version ${version} to ${entry.version} in ${reading.service} returned an invalid ${entry.payload}: ${describeIssues(result.issues)}`,
    );
  }
  return upgraded;
}

/**
 * The versions of an event a subscriber takes, newest first: `2 (current), 1`.
 *
 * @param entry - the event's catalog entry
 * @example
 * takenVersions({ payload: 'OrderCreatedV2', version: 2, accepts: { 1: 'OrderCreated' } }); // '2 (current) and 1'
 */
export function takenVersions(entry: EventCatalogEntry): string {
  const older = Object.keys(entry.accepts ?? {}).map(Number).sort((a, b) => b - a);
  const all = [`${entry.version} (current)`, ...older.map(String)];
  return all.length === 1 ? `only version ${all[0]}` : `versions ${all.slice(0, -1).join(', ')} and ${all.at(-1)}`;
}

function checked(type: string, payload: unknown, reading: VersionedReading, lead: string): void {
  const result = reading.validators.validate(type, payload);
  if (!result.ok) throw new UnprocessableEvent(`${lead}: ${describeIssues(result.issues)}`);
}

/** Why an envelope's version cannot be handled, and what brings it back. */
function notTaken(envelope: EventEnvelope, reading: VersionedReading): string {
  const { entry, service } = reading;
  const version = envelope.version;
  const shown = typeof version === 'number' ? `version ${version}` : `version ${JSON.stringify(version) ?? 'undefined'} (not a number)`;
  const head = `'${envelope.event}' ${shown} from ${envelope.source} is not taken by ${service}, which takes ${takenVersions(entry)}`;
  if (typeof version === 'number' && Number.isInteger(version) && version > entry.version) {
    return `${head}: it is newer than ${service}'s spec; deploy ${service} generated from the spec that declares it, then replay the dead letter`;
  }
  if (typeof version === 'number' && Number.isInteger(version) && version >= 1) {
    return `${head}: version ${version} is retired; to handle it, list it again in the event's \`accepts\` with its payload, then replay the dead letter`;
  }
  return head;
}
