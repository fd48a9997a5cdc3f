// Comparing one object of a hook file (`handlers`, `subscriptions` or `fallbacks`) with what the spec declares:
// stubs for what is missing, warnings for what the spec dropped. Never removes a member.
import type { Insertion } from './edits.js';
import { appendMembers, memberLayout } from './insert-members.js';
import type { ObjectShape } from './parse.js';
import type { StubLayout } from './stubs.js';
import type { Style } from './style.js';

export interface Member {
  name: string;
  render: (layout: StubLayout) => string;
}

export interface ObjectSection {
  /** The hook file's path, for messages. */
  path: string;
  /** `handlers`, `subscriptions` or `fallbacks`. */
  object: string;
  /** `endpoint`, `event handler` or `fallback`. */
  label: string;
  /** The service's spec file, named in warnings so the user knows where to look. */
  specFile: string;
  wanted: Member[];
}

export interface SectionOutcome {
  insertions: Insertion[];
  added: string[];
  changes: string[];
  warnings: string[];
}

/** Names the spec wants that the object lacks. */
function missingNames(shape: ObjectShape, wanted: readonly { name: string }[]): string[] {
  const present = new Set(shape.names);
  return wanted.filter((m) => !present.has(m.name)).map((m) => m.name);
}

export function extendObject(text: string, shape: ObjectShape, section: ObjectSection, style: Style): SectionOutcome {
  const { path, object, label } = section;
  const wantedNames = new Set(section.wanted.map((m) => m.name));
  const warnings = [...new Set(shape.names)]
    .filter((name) => !wantedNames.has(name))
    .map(
      (name) =>
        `${path}: \`${object}.${name}\` is no longer ${/^[aeiou]/.test(label) ? 'an' : 'a'} ${label} in the spec (${section.specFile}); ` +
        'delete it when you are done with it — meshspec never deletes your code',
    );
  const missing = new Set(missingNames(shape, section.wanted));
  if (missing.size === 0) return { insertions: [], added: [], changes: [], warnings };
  if (shape.opaque) {
    // A spread (`...base`) may already provide them; a stub after it would override the real one.
    warnings.push(
      `${path}: \`${object}\` has a spread or computed key, so meshspec cannot tell whether it provides ` +
        `${[...missing].map((n) => `\`${n}\``).join(', ')}; add any that are missing by hand`,
    );
    return { insertions: [], added: [], changes: [], warnings };
  }
  const layout = memberLayout(text, shape, style);
  const members = section.wanted.filter((m) => missing.has(m.name));
  return {
    insertions: appendMembers(text, shape, members.map((m) => m.render(layout)), style),
    added: members.map((m) => m.name),
    changes: members.map((m) => `${path}: added stub for ${label} \`${m.name}\``),
    warnings,
  };
}
