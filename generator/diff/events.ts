// Changes to the mesh's events: removed, added, their version lowered or raised, another payload type.
// A payload's own changes are judged with the types (generator/diff/usage.ts marks payloads).
import type { DiffContext } from './context.js';
import type { Finding } from './finding.js';
import { compareNamedTypes } from './types.js';
import { unused } from './usage.js';

export function compareEvents(context: DiffContext): Finding[] {
  const findings: Finding[] = [];
  const { locator, before, after } = context;
  for (const old of before.events) {
    const now = after.events.find((e) => e.name === old.name);
    if (!now) {
      findings.push({
        classification: 'breaking', code: 'event-removed', ...locator.at(null, ['events', old.name]),
        message: `event \`${old.name}\` removed: its subscribers${old.subscribers.length > 0 ? ` (${old.subscribers.map((s) => s.service).join(', ')})` : ''} and the events already queued have no declaration`,
        hint: `keep declaring it until no service publishes or subscribes to it and its queues are drained`,
      });
      continue;
    }
    const versionAt = locator.has(null, ['events', now.name, 'version']) ? locator.at(null, ['events', now.name, 'version']) : locator.at(null, ['events', now.name]);
    if (now.version < old.version) {
      findings.push({
        classification: 'breaking', code: 'event-version-lowered', ...versionAt,
        message: `event \`${now.name}\`: version ${old.version} -> ${now.version}; subscribers would read version ${now.version} payloads as the old shape`,
        hint: `versions only go up: use \`version: ${old.version + 1}\``,
      });
    } else if (now.version > old.version) {
      findings.push({
        classification: 'safe', code: 'event-version-bumped', ...versionAt,
        message: `event \`${now.name}\`: version ${old.version} -> ${now.version}; subscribers accept both versions until version ${old.version} is retired`,
      });
    }
    if ((old.payloadScope ?? null) !== (now.payloadScope ?? null) || old.payload !== now.payload) {
      const use = { ...unused, events: [now.name] };
      findings.push(...compareNamedTypes(context, { scope: old.payloadScope ?? null, name: old.payload }, { scope: now.payloadScope ?? null, name: now.payload }, use,
        locator.at(null, ['events', now.name, 'payload'])));
    }
  }
  for (const now of after.events.filter((e) => !before.events.some((o) => o.name === e.name))) {
    findings.push({ classification: 'safe', code: 'event-added', ...locator.at(null, ['events', now.name]), message: `event \`${now.name}\` added` });
  }
  return findings;
}
