// A small hand-built MeshModel exercising every proto mapping: scalars, optional, arrays, maps,
// enums (inline, mesh-level, with runs of capitals), self-reference, reserved numbers, mesh-level
// imports, synthesized inputs, list and empty outputs, and a service without a gRPC port.
import { DEFAULT_BUS } from '../../../runtime/bus/settings.js';
import type {
  EndpointModel,
  FieldModel,
  MeshModel,
  RecordTypeModel,
  ServiceModel,
  TypeModel,
  TypeRef,
} from '../../../generator/model/types.js';

const at = (file: string) => ({ file, line: 1, col: 1 });
const str: TypeRef = { kind: 'primitive', name: 'string' };
const int: TypeRef = { kind: 'primitive', name: 'integer' };
const num: TypeRef = { kind: 'primitive', name: 'number' };
const bool: TypeRef = { kind: 'primitive', name: 'boolean' };
const ref = (name: string): TypeRef => ({ kind: 'ref', name });
const arr = (items: TypeRef): TypeRef => ({ kind: 'array', items });
const map = (values: TypeRef): TypeRef => ({ kind: 'map', values });

function field(name: string, number: number, type: TypeRef, extra: Partial<FieldModel> = {}): FieldModel {
  return { name, number, type, optional: false, constraints: {}, ...extra };
}

function record(name: string, owner: string | null, fields: FieldModel[], extra: Partial<RecordTypeModel> = {}): RecordTypeModel {
  return { kind: 'record', name, owner, fields, reserved: [], source: at(owner ? `services/${owner}.yaml` : 'mesh.yaml'), ...extra };
}

function endpoint(name: string, input: string, output: EndpointModel['output'], extra: Partial<EndpointModel> = {}): EndpointModel {
  const method = name.charAt(0).toUpperCase() + name.slice(1);
  return {
    name,
    http: { method: 'POST', path: `/${name}`, pathParams: [], successStatus: 200, inputSource: 'body' },
    grpcMethod: method,
    input,
    inputSynthesized: false,
    output,
    errors: [],
    emits: [],
    idempotent: false,
    source: at('services/catalog.yaml'),
    ...extra,
  };
}

const types: TypeModel[] = [
  record('GetItemInput', 'catalog', [field('id', 1, str)]),
  { kind: 'enum', name: 'HTTPStatus', owner: null, values: ['ok', 'notFound', 'v2Gone'], inline: false, source: at('mesh.yaml') },
  record(
    'Item',
    'catalog',
    [
      field('id', 1, str, { description: 'Stable id.\nNever reused.' }),
      field('count', 2, int),
      field('price', 3, num),
      field('active', 4, bool),
      field('tags', 6, arr(str)),
      field('attrs', 7, map(str)),
      field('kind', 8, ref('ItemKind')),
      field('status', 10, ref('Status'), { optional: true }),
      field('owner', 11, ref('Party'), { optional: true }),
      field('children', 12, arr(ref('Item'))),
      field('scores', 13, map(int)),
      field('notes', 14, str, { optional: true }),
      field('rating2Value', 15, num, { optional: true }),
      field('kinds', 16, arr(ref('ItemKind'))),
      field('parties', 17, map(ref('Party'))),
      field('http', 18, ref('HTTPStatus'), { optional: true }),
      field('labels', 19, arr(str), { optional: true }),
      field('extras', 20, map(num), { optional: true }),
    ],
    { description: 'Something the catalog sells.', reserved: [5, 9] },
  ),
  { kind: 'enum', name: 'ItemKind', owner: 'catalog', values: ['physical', 'digitalDownload'], inline: true, source: at('services/catalog.yaml') },
  record('ListItemsQuery', 'catalog', [field('kind', 1, ref('ItemKind'), { optional: true }), field('limit', 2, int, { optional: true })]),
  record('Party', null, [field('partyId', 1, str), field('vip', 2, bool, { optional: true })], { description: 'Someone.' }),
  { kind: 'enum', name: 'Status', owner: null, values: ['active', 'retired'], inline: false, source: at('mesh.yaml'), description: 'Lifecycle.' },
];

function service(name: string, grpc: number | null, endpoints: EndpointModel[], extra: Partial<ServiceModel> = {}): ServiceModel {
  return {
    name,
    ports: { http: 3000, grpc },
    binding: 'node',
    extraRoutes: false,
    healthChecks: [],
    types: [],
    errors: [],
    endpoints,
    calls: [],
    publishes: [],
    subscribes: [],
    storage: null,
    deploy: { image: name, replicas: 1, resources: { requests: { cpu: '1', memory: '1Mi' }, limits: { cpu: '1', memory: '1Mi' } }, shutdownDelayMs: 5000, env: [], secrets: [] },
    file: `services/${name}.yaml`,
    source: at(`services/${name}.yaml`),
    ...extra,
  };
}

const catalogEndpoints: EndpointModel[] = [
  endpoint('deleteItem', 'GetItemInput', null),
  endpoint('getItem', 'GetItemInput', { type: 'Item', list: false }, { inputSynthesized: true, description: 'One item by id.' }),
  endpoint('listItems', 'ListItemsQuery', { type: 'Item', list: true }),
  endpoint('putItem', 'Item', { type: 'Item', list: false }),
];

export function fixtureModel(): MeshModel {
  return {
    name: 'acme',
    version: '1.0.0',
    generatorVersion: '0.1.0',
    files: ['mesh.yaml', 'services/catalog.yaml', 'services/web.yaml'],
    meshFile: 'mesh.yaml',
    policies: [],
    runtime: { bodyLimitBytes: 1024, shutdownGraceMs: 1000, bus: { ...DEFAULT_BUS } },
    deploy: { namespace: 'acme', registry: 'r' },
    types: structuredClone(types),
    events: [],
    services: [
      service('catalog', 50051, structuredClone(catalogEndpoints), { description: 'The catalog.' }),
      service('web', null, [endpoint('ping', 'GetItemInput', null)]),
    ],
    gateway: null,
  };
}
