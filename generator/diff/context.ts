// What every concern's check reads: both models, where each type travels, and where to point in the
// new spec; and the one rule that turns "breaking for inputs / for outputs" into a classification.
import type { MeshModel } from '../model/types.js';
import { worst, type Classification } from './finding.js';
import type { SpecLocator } from './locator.js';
import { mergeUses, typeUses, type TypeUse } from './usage.js';

export interface DiffContext {
  before: MeshModel;
  after: MeshModel;
  locator: SpecLocator;
  /** The use of a type (by key) in either spec. */
  useOf(key: string): TypeUse;
  /** Event versions before and after, by name (absent on one side: added or removed). */
  versions: Map<string, { before?: number; after?: number }>;
  /** Pairs of types already compared (`before key -> after key`), so recursive types end. */
  compared: Set<string>;
}

export function diffContext(before: MeshModel, after: MeshModel, locator: SpecLocator): DiffContext {
  const usesBefore = typeUses(before);
  const usesAfter = typeUses(after);
  const versions = new Map<string, { before?: number; after?: number }>();
  for (const e of before.events) versions.set(e.name, { before: e.version });
  for (const e of after.events) versions.set(e.name, { ...versions.get(e.name), after: e.version });
  return { before, after, locator, useOf: (key) => mergeUses(usesBefore.get(key), usesAfter.get(key)), versions, compared: new Set() };
}

/** How a change to a type is judged: for the clients that send it (input) and those that parse it (output). */
export interface Rule {
  input: Classification;
  output: Classification;
}

export interface Judgement {
  classification: Classification;
  /** Events whose payload changed in a way subscribers or queued events notice, without a version bump. */
  unbumped: { event: string; version: number }[];
  /** Events whose version was bumped, which makes the payload change a new version rather than a break. */
  bumped: { event: string; version: number }[];
}

/**
 * The classification of a change to a type used as `use`: an input counts the input rule, an output
 * the output rule, and an event payload both (subscribers parse new events, new subscribers parse
 * queued old ones) unless the event's `version` went up.
 */
export function judge(context: DiffContext, use: TypeUse, rule: Rule): Judgement {
  let classification: Classification = 'safe';
  if (use.input) classification = worst(classification, rule.input);
  if (use.output) classification = worst(classification, rule.output);
  const both = worst(rule.input, rule.output);
  const unbumped: Judgement['unbumped'] = [];
  const bumped: Judgement['bumped'] = [];
  for (const event of use.events) {
    if (both === 'safe') continue;
    const v = context.versions.get(event);
    const version = v?.after ?? v?.before ?? 1;
    if (v?.before !== undefined && v.after !== undefined && v.after > v.before) bumped.push({ event, version });
    else if (v?.before !== undefined && v.after !== undefined) {
      unbumped.push({ event, version });
      classification = worst(classification, both);
    }
  }
  return { classification, unbumped, bumped };
}

/** The hint that goes with an event payload change left at the same version. */
export function bumpHint(unbumped: Judgement['unbumped']): string {
  return unbumped.map((e) => `bump event \`${e.event}\` to \`version: ${e.version + 1}\``).join('; ');
}
