// What `meshspec dev --processes` gives each child: the entry point a container runs and the
// environment its manifests would set, with every service able to find every other.
import { describe, expect, it } from 'vitest';
import { planProcesses, specPorts, type PlannedMesh } from '../../../generator/cli/processes/plan.js';

const mesh: PlannedMesh = {
  services: [
    { name: 'users', ports: { http: 3001, grpc: 50051 } },
    { name: 'mailer', ports: { http: 3005, grpc: null } },
  ],
  gateway: { port: 8080 },
};
const bus = { kind: 'rabbitmq', url: 'amqp://guest:guest@127.0.0.1:5672' } as const;

describe('planProcesses', () => {
  it('starts each service from its generated entry point with its ports, the bus and every address', () => {
    const plan = planProcesses(mesh, { ports: specPorts(mesh), bus, outDir: 'gen' });
    expect(plan.services.map((p) => [p.name, p.entry, p.readyUrl])).toEqual([
      ['users', 'gen/users/main.ts', 'http://127.0.0.1:3001/ready'],
      ['mailer', 'gen/mailer/main.ts', 'http://127.0.0.1:3005/ready'],
    ]);
    const addresses = { MESH_USERS_HTTP: 'http://127.0.0.1:3001', MESH_USERS_GRPC: '127.0.0.1:50051', MESH_MAILER_HTTP: 'http://127.0.0.1:3005' };
    expect(plan.services[0]!.env).toEqual({
      ...addresses,
      HOST: '127.0.0.1',
      PORT: '3001',
      GRPC_PORT: '50051',
      EVENT_BUS: 'rabbitmq',
      EVENT_BUS_URL: 'amqp://guest:guest@127.0.0.1:5672',
    });
    // A GRPC_PORT in the user's shell must not reach a service without gRPC.
    expect(plan.services[1]!.env).toMatchObject({ PORT: '3005', GRPC_PORT: 'off' });
    expect(plan.gateway).toEqual({ name: 'gateway', entry: 'gen/gateway/main.ts', env: { ...addresses, HOST: '127.0.0.1', PORT: '8080', METRICS_PORT: '9464' }, readyUrl: 'http://127.0.0.1:8080/ready' });
    expect(plan.urls).toEqual({ users: { http: 'http://127.0.0.1:3001', grpc: '127.0.0.1:50051' }, mailer: { http: 'http://127.0.0.1:3005', grpc: null } });
    expect(plan.gatewayUrl).toBe('http://127.0.0.1:8080');
    expect(plan.gatewayMetricsUrl).toBe('http://127.0.0.1:9464/metrics');
  });

  it('gives every service process MESH_DATA when asked (their PGlite folders), never the gateway', () => {
    const plan = planProcesses(mesh, { ports: specPorts(mesh), bus, dataRoot: '/project/.meshspec/data' });
    expect(plan.services.map((p) => p.env['MESH_DATA'])).toEqual(['/project/.meshspec/data', '/project/.meshspec/data']);
    expect(plan.gateway!.env).not.toHaveProperty('MESH_DATA');
    expect(planProcesses(mesh, { ports: specPorts(mesh), bus }).services[0]!.env).not.toHaveProperty('MESH_DATA');
  });

  it('uses the assigned ports and passes a namespace on', () => {
    const ports = { services: { users: { http: 41001, grpc: 41002 }, mailer: { http: 41003, grpc: null } }, gateway: 41004, gatewayMetrics: 41005 };
    const plan = planProcesses(mesh, { ports, bus: { ...bus, namespace: 'test-1' } });
    expect(plan.services[0]!.env).toMatchObject({ PORT: '41001', GRPC_PORT: '41002', MESH_MAILER_HTTP: 'http://127.0.0.1:41003', EVENT_BUS_NAMESPACE: 'test-1' });
    expect(plan.services[0]!.entry).toBe('generated/users/main.ts');
    expect(plan.gateway!.env['PORT']).toBe('41004');
    expect(plan.gateway!.env['METRICS_PORT']).toBe('41005');
    expect(plan.gatewayMetricsUrl).toBe('http://127.0.0.1:41005/metrics');
  });

  it('plans no gateway for a mesh without one', () => {
    const plan = planProcesses({ ...mesh, gateway: null }, { ports: { ...specPorts(mesh), gateway: null }, bus });
    expect(plan.gateway).toBeNull();
    expect(plan.gatewayUrl).toBeNull();
    expect(plan.gatewayMetricsUrl).toBeNull();
  });
});
