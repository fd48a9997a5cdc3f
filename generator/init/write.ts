// Writes a planned init as one transaction, through the writer generate uses: every file staged
// beside its target first, so a failure (a full disk, a read-only folder) leaves the folder as it was.
import { applyPlan } from '../writer/apply.js';
import type { InitPlan } from './plan.js';

/** Creates and updates the plan's files (and the project folder, when it is new). */
export async function writeInit(plan: InitPlan): Promise<void> {
  await applyPlan(plan.root, { create: plan.create, update: plan.update, remove: [], foreign: [], unchanged: 0 });
}
