// `deploy:` sections and the mesh's unit-bearing settings, with values at the edges of what the schema allows.
import type { Choose } from './choose.js';
import { ENV_NAMES } from './names.js';
import type { DeployPlan } from './plan.js';

const IMAGES = ['ghcr.io/acme/app:1.0.0', 'app', 'registry.local:5000/a/b@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef', 'Upper/Case:Tag'];
const CPUS = ['100m', '1', '0.5', '250m', '2.25', '1000m'];
const MEMORIES = ['128Mi', '1Gi', '512Mi', '64Mi'];
const ENV_VALUES: (string | number | boolean)[] = ['on', '', 'a: b', 'multi\nline', '# not a comment', 'true', '0123', 0, 1.5, -1, true, false, 'Grüße', "it's \"quoted\""];
const SECRETS = ['db/password', 'api-key/token', 'a/b.c', 'x1-y2/KEY_1'];
const TAGS = ['1.0.1', 'latest', 'v2_rc.1-hotfix', 'A'.repeat(128)];
/** The edges of a CPU target and a usual one. */
const CPU_TARGETS = ['1%', '70%', '100%'];
/** None, under the readiness probe's reach, the default, long, the longest a timer waits. */
const SHUTDOWN_DELAYS = ['0s', '1500ms', '5s', '90s', '596h'];

export function deploy(choose: Choose): DeployPlan | undefined {
  if (!choose.chance(0.4)) return undefined;
  const out: DeployPlan = {};
  if (choose.chance(0.3)) out.image = choose.pick(IMAGES);
  if (choose.chance(0.5)) out.replicas = choose.pick([0, 1, 2, 3, 1000]);
  if (choose.chance(0.4)) {
    out.resources = {};
    if (choose.chance(0.7)) out.resources.cpu = choose.pick(CPUS);
    if (choose.chance(0.7)) out.resources.memory = choose.pick(MEMORIES);
  }
  if (choose.chance(0.4)) {
    out.env = {};
    for (const name of choose.some(ENV_NAMES, 3)) out.env[name] = choose.pick(ENV_VALUES);
  }
  if (choose.chance(0.3)) {
    out.secrets = {};
    for (const name of choose.some(['DB_PASSWORD', 'TOKEN', 'FEATURE_X'], 2)) out.secrets[name] = choose.pick(SECRETS);
  }
  // Last, so the choices above stay those of earlier seeds.
  if (choose.chance(0.3)) out.shutdownDelay = choose.pick(SHUTDOWN_DELAYS);
  // A tag or digest only without a whole image, autoscaling only without a fixed count (the checks refuse both pairs).
  if (out.image === undefined && choose.chance(0.3)) out.tag = choose.pick(TAGS);
  if (out.image === undefined && choose.chance(0.2)) out.digest = `sha256:${'0123456789abcdef'.repeat(4)}`;
  if (out.replicas === undefined && choose.chance(0.3)) {
    const min = choose.pick([undefined, 1, 2, 1000]);
    out.autoscaling = { ...(min === undefined ? {} : { min }), max: Math.max(min ?? 1, choose.pick([1, 3, 1000])), cpu: choose.pick(CPU_TARGETS) };
  }
  return out;
}

export const SIZES = ['1mb', '1kb', '100kb', '16mb', '1gb', '99999999999gb'];
export const DURATIONS = ['10s', '1s', '2500ms', '2m', '1h', '0ms', '24h', '596h'];
