// Free ports for `meshspec dev --processes --free-ports`. Every process must know every other's
// address before it starts (MESH_<SERVICE>_HTTP), so the ports are chosen here rather than by
// each child listening on port 0.
import { createServer, type Server } from 'node:net';
import type { PlannedMesh, PortAssignment } from './plan.js';

/**
 * A free port for every listener of the mesh, all distinct: each is held until the last is bound, so
 * the system cannot hand out one twice. Another program may still take one before a child binds it;
 * the child then fails to start and says which port.
 *
 * @param mesh the services and gateway of the model
 * @param host the interface to probe; default `127.0.0.1`
 * @example await freePortAssignment(model) // { services: { users: { http: 41873, grpc: 39121 } }, gateway: 45011, gatewayMetrics: 45013 }
 */
export async function freePortAssignment(mesh: PlannedMesh, host = '127.0.0.1'): Promise<PortAssignment> {
  const wanted = mesh.services.reduce((n, s) => n + (s.ports.grpc === null ? 1 : 2), mesh.gateway ? 2 : 0);
  const ports = await freePorts(wanted, host);
  const next = () => ports.shift() as number;
  const services = Object.fromEntries(mesh.services.map((s) => [s.name, { http: next(), grpc: s.ports.grpc === null ? null : next() }]));
  return { services, gateway: mesh.gateway ? next() : null, gatewayMetrics: mesh.gateway ? next() : null };
}

/**
 * `count` distinct TCP ports that were free a moment ago on `host`: all are held until the last one
 * is bound, so the system cannot hand out the same port twice.
 *
 * @param count how many
 * @param host the interface to probe; default `127.0.0.1`
 * @example const [http, grpc] = await freePorts(2);
 */
export async function freePorts(count: number, host = '127.0.0.1'): Promise<number[]> {
  const servers: Server[] = Array.from({ length: count }, () => createServer());
  try {
    return await Promise.all(
      servers.map(
        (server) =>
          new Promise<number>((resolve, reject) => {
            server.once('error', reject);
            server.listen(0, host, () => resolve((server.address() as { port: number }).port));
          }),
      ),
    );
  } finally {
    await Promise.all(servers.map((server) => new Promise<void>((resolve) => (server.listening ? server.close(() => resolve()) : resolve()))));
  }
}
