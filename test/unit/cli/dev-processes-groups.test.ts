// `meshspec dev --processes` with groups: one child per group, started from generated/<group>/main.ts,
// whose services keep their spec ports (the runtime takes PORT/GRPC_PORT for a process of one service
// only) and whose readiness is asked of the member started last.
import { describe, expect, it } from 'vitest';
import { planProcesses, specPorts, type PlannedMesh } from '../../../generator/cli/processes/plan.js';

const mesh: PlannedMesh = {
  services: [
    { name: 'inventory', ports: { http: 3002, grpc: 50052 } },
    { name: 'orders', ports: { http: 3003, grpc: null } },
    { name: 'users', ports: { http: 3001, grpc: 50051 } },
  ],
  gateway: { port: 8080 },
  groups: [{ name: 'core', services: ['inventory', 'users'] }],
};
const bus = { kind: 'redis', url: 'redis://127.0.0.1:6379', namespace: 'test-groups' } as const;

describe('planProcesses with groups', () => {
  const plan = planProcesses(mesh, { ports: specPorts(mesh), bus, outDir: 'gen' });

  it('starts every service of its own, then every group, from its entry point', () => {
    expect(plan.services.map((p) => [p.name, p.entry, p.readyUrl])).toEqual([
      ['orders', 'gen/orders/main.ts', 'http://127.0.0.1:3003/ready'],
      // users starts after inventory: once it is ready, both listen.
      ['core', 'gen/core/main.ts', 'http://127.0.0.1:3001/ready'],
    ]);
  });

  it('gives the group every address and the bus, and blanks PORT and GRPC_PORT so that the shell\'s cannot stop it', () => {
    expect(plan.services[1]!.env).toEqual({
      MESH_INVENTORY_HTTP: 'http://127.0.0.1:3002',
      MESH_INVENTORY_GRPC: '127.0.0.1:50052',
      MESH_ORDERS_HTTP: 'http://127.0.0.1:3003',
      MESH_USERS_HTTP: 'http://127.0.0.1:3001',
      MESH_USERS_GRPC: '127.0.0.1:50051',
      HOST: '127.0.0.1',
      PORT: '',
      GRPC_PORT: '',
      EVENT_BUS: 'redis',
      EVENT_BUS_URL: 'redis://127.0.0.1:6379',
      EVENT_BUS_NAMESPACE: 'test-groups',
    });
    // Every service stays addressable by name for the gateway and the banner.
    expect(Object.keys(plan.urls)).toEqual(['inventory', 'orders', 'users']);
    expect(plan.gateway?.env).toMatchObject({ MESH_USERS_HTTP: 'http://127.0.0.1:3001', PORT: '8080' });
  });

  it('moves a service of its own to another port, and refuses to move a grouped one', () => {
    const moved = { services: { ...specPorts(mesh).services, orders: { http: 41003, grpc: null } }, gateway: 41000 };
    expect(planProcesses(mesh, { ports: moved, bus }).services[0]!.env).toMatchObject({ PORT: '41003', MESH_ORDERS_HTTP: 'http://127.0.0.1:41003' });
    const groupedMoved = { services: { ...specPorts(mesh).services, users: { http: 41001, grpc: 50051 } }, gateway: 8080 };
    expect(() => planProcesses(mesh, { ports: groupedMoved, bus })).toThrow("the services of group 'core' listen on their spec ports: 'users' cannot be moved");
  });

  it('plans as before without groups', () => {
    const { groups: _, ...ungrouped } = mesh;
    expect(planProcesses(ungrouped, { ports: specPorts(ungrouped), bus }).services.map((p) => p.name)).toEqual(['inventory', 'orders', 'users']);
  });
});
