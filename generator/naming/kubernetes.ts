// Kubernetes names: one workload (Deployment, Service, PodDisruptionBudget, ConfigMap) per service and
// one for the gateway, in the mesh's namespace; discovery through environment variables.

/** The workload name of the gateway. */
export const GATEWAY_WORKLOAD = 'gateway';

/** `<workload>-config`: the ConfigMap a workload loads its environment from. */
export function configMapName(workload: string): string {
  return `${workload}-config`;
}

/**
 * `<workload>-headless`: the headless Service of a service's pods, whose DNS name resolves to one
 * address per ready pod (what a caller's `dns` names, for client-side load balancing).
 *
 * @param workload the service's workload name
 * @example headlessServiceName('users') // 'users-headless'
 */
export function headlessServiceName(workload: string): string {
  return `${workload}-headless`;
}

/** The variables the runtime reads: `MESH_<SERVICE>_HTTP` / `MESH_<SERVICE>_GRPC` (discovery), `MESH_<SERVICE>_DATABASE_URL` (storage). */
export { databaseEnvName, discoveryEnvName } from '../../common/discovery.js';

/** Objects Kubernetes itself keeps in a namespace: a workload of the same name would replace them. */
export const RESERVED_OBJECTS: Readonly<Record<string, readonly string[]>> = {
  default: ['kubernetes'],
};

/**
 * The variables a service reads its bus from (runtime/bus/settings.ts): the adapter (in the
 * ConfigMap) and the broker's URL (from a Secret, since it may hold a password).
 */
export const EVENT_BUS_ENV = { kind: 'EVENT_BUS', url: 'EVENT_BUS_URL' } as const;

/** The key of the broker's URL in the {@link eventBusSecretName} Secret. */
export const EVENT_BUS_SECRET_KEY = 'url';

/**
 * `<mesh>-event-bus`: the Secret holding the broker's URL (key `url`) that every Deployment which
 * publishes or subscribes references. The generated manifests never contain it: the operator creates it.
 *
 * @param mesh the mesh's name
 * @example eventBusSecretName('shop') // 'shop-event-bus'
 */
export function eventBusSecretName(mesh: string): string {
  return `${mesh}-event-bus`;
}

/** The variable services read their idempotency store's Redis URL from (runtime/host/idempotency-store.ts). */
export const IDEMPOTENCY_STORE_ENV = 'IDEMPOTENCY_STORE_URL';

/**
 * `<mesh>-idempotency-store`: the Secret holding the URL (key `url`) of the Redis that services
 * without storage keep idempotency records in (`deploy.idempotencyStore`). The operator creates it.
 *
 * @param mesh the mesh's name
 * @example idempotencyStoreSecretName('shop') // 'shop-idempotency-store'
 */
export function idempotencyStoreSecretName(mesh: string): string {
  return `${mesh}-idempotency-store`;
}

/** The key of the database URL in the {@link databaseSecretName} Secret. */
export const DATABASE_SECRET_KEY = 'url';

/**
 * `<mesh>-<service>-database`: the Secret holding the URL of a service's own database (key `url`),
 * which the Deployment running a service with `storage` references. The generated manifests never
 * contain it (nor any database server): the operator creates it for the PostgreSQL they bring.
 *
 * @param mesh the mesh's name
 * @param service the service's name
 * @example databaseSecretName('shop', 'orders') // 'shop-orders-database'
 */
export function databaseSecretName(mesh: string, service: string): string {
  return `${mesh}-${service}-database`;
}

/** Longest name of a container port (an IANA service name). */
const PORT_NAME_MAX = 15;

/**
 * The container port names of a group's pod, one per member's port, in the order given: Kubernetes
 * wants them unique within the pod and IANA service names (at most 15 of `[a-z0-9-]`, a letter
 * among them, no leading, trailing or double `-`). `<service>-<kind>` when it fits, else the service's
 * name cut short, with a number when two cut names would meet.
 *
 * @param ports each member's port: the service's name (lowercase letters and digits, starting with a letter) and `http` or `grpc`
 * @example groupPortNames([{ service: 'users', kind: 'http' }, { service: 'notifications', kind: 'http' }]) // ['users-http', 'notificati-http']
 */
export function groupPortNames(ports: readonly { service: string; kind: 'http' | 'grpc' }[]): string[] {
  const taken = new Set<string>();
  return ports.map(({ service, kind }) => {
    const room = PORT_NAME_MAX - kind.length - 1;
    let name = `${service.slice(0, room)}-${kind}`;
    for (let n = 2; taken.has(name); n++) name = `${service.slice(0, room - String(n).length)}${n}-${kind}`;
    taken.add(name);
    return name;
  });
}
