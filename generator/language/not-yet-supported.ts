// Parts of the language that are designed but not built yet. The spec rejects them with a message
// that says so, instead of an "unknown key" or, worse, accepting and ignoring them.
import type { SpecPath } from './load.js';

const LATER: Record<string, string> = {
  idempotency: 'idempotency keys',
  autoscaling: 'autoscaling',
  probes: 'custom probes',
};

export function notYetSupported(at: SpecPath, key: string): string | undefined {
  const feature = LATER[key];
  if (feature === undefined) return undefined;
  const where = at.length > 0 ? ` (in \`${at.join('.')}\`)` : '';
  return `\`${key}\`${where} is not supported yet: support for ${feature} comes in a later version of meshspec; remove it for now`;
}
