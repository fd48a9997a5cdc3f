// The example shop's services and gateway port as the generator reads them from spec/, for tests
// that plan the shop's processes (planProcesses) on free ports.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import type { PlannedMesh } from '../../generator/cli/processes/plan.js';
import { repoRoot } from './project.js';

/** The shop's services, in the order their processes are planned. */
export const SHOP_SERVICES = ['inventory', 'orders', 'payments', 'users'] as const;

/**
 * The shop's services (name and spec ports) and gateway port, read from spec/.
 *
 * @returns what planProcesses and freePortAssignment take
 * @example
 * const plan = planProcesses(shopMesh(), { ports: await freePortAssignment(shopMesh()), bus });
 */
export function shopMesh(): PlannedMesh {
  const mesh = parse(readFileSync(path.join(repoRoot, 'spec/mesh.yaml'), 'utf8')) as { gateway: { port: number } };
  const services = SHOP_SERVICES.map((name) => {
    const spec = parse(readFileSync(path.join(repoRoot, `spec/services/${name}.yaml`), 'utf8')) as { ports: { http: number; grpc?: number } };
    return { name, ports: { http: spec.ports.http, grpc: spec.ports.grpc ?? null } };
  });
  return { services, gateway: { port: mesh.gateway.port } };
}
