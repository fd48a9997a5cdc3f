// startService with a proto: the gRPC server runs next to HTTP on the same Invoke, and the default
// transportFor reaches it. Uses the example spec's inventory service and its emitted protos.
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileSpec } from '../../../generator/pipeline.js';
import {
  createTransportFactory,
  isMeshError,
  NotFound,
  startService,
  type EndpointDescriptor,
  type RunningService,
  type SchemaRegistry,
  type ServiceDefinition,
} from '../../support/runtime.js';
import { definitionOf, schemasOf } from '../grpc/harness.js';
import { writeProtos } from '../proto/write-protos.js';
import { captureLogger, testSettings } from './fixtures.js';

const product = { id: 'p-1', name: 'Lamp', price: 12.5, available: 3 };
let out: string;
let definition: ServiceDefinition;
let schemas: SchemaRegistry;
let service: RunningService;

beforeAll(async () => {
  const { model } = await compileSpec('spec');
  if (!model) throw new Error('the example spec does not compile');
  out = await writeProtos(model);
  definition = definitionOf(model, 'inventory', join(out, 'proto'));
  schemas = schemasOf(model);
  const handlers = {
    async getProduct(input: { id: string }) {
      if (input.id !== product.id) throw new NotFound(`no product ${input.id}`);
      return product;
    },
  };
  service = await startService(
    { definition, handlers, schemas, events: {}, callees: {}, createClients: () => ({}) },
    testSettings(captureLogger('inventory').logger, { grpcPort: 0 }),
  );
});

afterAll(async () => {
  await service?.close();
  await rm(out, { recursive: true, force: true });
});

const getProduct = () => definition.endpoints.find((e) => e.name === 'getProduct') as EndpointDescriptor;

describe('a service with a gRPC port', () => {
  it('listens on both ports and answers the same hooks over each', async () => {
    expect(service.grpcPort).toBeGreaterThan(0);
    const factory = createTransportFactory({
      callees: { inventory: definition },
      schemas,
      logger: captureLogger('caller').logger,
      discovery: { grpc: { inventory: `127.0.0.1:${service.grpcPort}` } },
    });
    const grpc = factory.transportFor('inventory', 'grpc');
    expect(await grpc.call(getProduct(), { id: 'p-1' }, { requestId: 'g-1' })).toEqual(product);
    const err = await grpc.call(getProduct(), { id: 'p-9' }, {}).catch((e: unknown) => e);
    expect(isMeshError(err, 'NotFound')).toBe(true);

    const http = await fetch(`http://127.0.0.1:${service.httpPort}/products/p-1`);
    expect(await http.json()).toEqual(product);
    await factory.close();
  });

  it('does not start gRPC when its port is set to null', async () => {
    const httpOnly = await startService(
      { definition, handlers: {}, schemas, events: {}, callees: {}, createClients: () => ({}) },
      testSettings(captureLogger('inventory').logger, { grpcPort: null }),
    );
    expect(httpOnly.grpcPort).toBeNull();
    await httpOnly.close();
  });
});
