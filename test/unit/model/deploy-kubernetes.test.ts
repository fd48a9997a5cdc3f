// The model of the Kubernetes keys of `deploy` and the gateway: an image by tag or digest, autoscaling
// (whose `min` is the replica count), and the gateway's ingress.
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MeshModel } from '../../../generator/model/types.js';
import { compileSpec } from '../../../generator/pipeline.js';

const digest = `sha256:${'ab'.repeat(32)}`;
let dir = '';
let model: MeshModel;

const service = (name: string, port: number, deploy: string) =>
  [`service: ${name}`, `ports: { http: ${port} }`, 'endpoints:', '  get:', `    http: GET /${name}`, deploy].join('\n');

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'meshspec-deploy-'));
  await mkdir(path.join(dir, 'spec/services'), { recursive: true });
  await writeFile(path.join(dir, 'spec/mesh.yaml'), [
    'mesh: shop', 'version: 1.0.0', 'deploy: { registry: ghcr.io/acme }',
    'gateway:', '  port: 8080', '  ingress: { host: shop.example.com, tlsSecret: shop-tls }',
    '  routes:', '    - { prefix: /tagged, service: tagged }', '  deploy: { digest: ' + digest + ' }',
  ].join('\n'));
  await writeFile(path.join(dir, 'spec/services/tagged.yaml'), service('tagged', 3001, 'deploy: { tag: 1.0.1-hotfix, autoscaling: { max: 5, cpu: 60% } }'));
  await writeFile(path.join(dir, 'spec/services/pinned.yaml'), service('pinned', 3002, `deploy: { tag: 1.0.1, digest: ${digest}, replicas: 3 }`));
  await writeFile(path.join(dir, 'spec/services/plain.yaml'), service('plain', 3003, ''));
  const result = await compileSpec('spec', dir);
  if (!result.model) throw new Error(JSON.stringify(result.diagnostics));
  model = result.model;
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const deployOf = (name: string) => model.services.find((s) => s.name === name)!.deploy;

describe('the Kubernetes keys of deploy in the model', () => {
  it('builds the image from the registry and the tag, the digest, or the mesh version', () => {
    expect(deployOf('tagged').image).toBe('ghcr.io/acme/tagged:1.0.1-hotfix');
    expect(deployOf('pinned').image).toBe(`ghcr.io/acme/pinned:1.0.1@${digest}`);
    expect(deployOf('plain').image).toBe('ghcr.io/acme/plain:1.0.0');
    expect(model.gateway!.deploy.image).toBe(`ghcr.io/acme/gateway:1.0.0@${digest}`);
  });

  it('reads autoscaling with min defaulting to 1, which is then the replica count', () => {
    expect(deployOf('tagged')).toMatchObject({ replicas: 1, autoscaling: { min: 1, max: 5, cpuPercent: 60 } });
    expect(deployOf('pinned').replicas).toBe(3);
    expect(deployOf('pinned')).not.toHaveProperty('autoscaling');
  });

  it('reads the gateway ingress, leaving out what the spec leaves out', () => {
    expect(model.gateway!.ingress).toEqual({ host: 'shop.example.com', tlsSecret: 'shop-tls' });
  });
});
