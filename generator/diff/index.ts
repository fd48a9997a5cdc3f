// `meshspec diff`'s classifier: every change between two compiled specs, judged for clients already
// deployed and events already in flight, each positioned in the new spec.
import type { SpecDocument } from '../language/load.js';
import type { MeshModel } from '../model/types.js';
import { diffContext } from './context.js';
import { compareEvents } from './events.js';
import { sortFindings, type Finding } from './finding.js';
import { SpecLocator } from './locator.js';
import { compareServices } from './transport.js';
import { compareTypes } from './types.js';

export type { Classification, Finding, Position } from './finding.js';
export { SpecLocator } from './locator.js';

/**
 * The changes from `before` to `after`, breaking ones first.
 *
 * @param documents the new spec's documents (loadSpec), for positions
 * @example diffModels(earlier, current, documents).filter((f) => f.classification === 'breaking')
 */
export function diffModels(before: MeshModel, after: MeshModel, documents: SpecDocument[]): Finding[] {
  const context = diffContext(before, after, new SpecLocator(documents));
  // Services first: an endpoint's input or output of another name is compared there, with its direction.
  const findings = [...compareServices(context), ...compareEvents(context), ...compareTypes(context)];
  return sortFindings(findings);
}
