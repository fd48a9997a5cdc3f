// The Deployment of a workload: one hardened container, health-checked through the runtime's
// `/health` (alive) and `/ready` (accepting traffic; false once shutdown starts) endpoints.
//
// A pod stops in this order: SIGTERM; /ready answers 503 while the process keeps serving for the
// shutdown delay (SHUTDOWN_DELAY), time for endpoints, kube-proxy and load balancers to stop sending
// it requests; then the listener closes and requests in flight finish within the grace period; the
// process exits. The kubelet's SIGKILL comes only after terminationGracePeriodSeconds, sized past both.
import { createHash } from 'node:crypto';
import type { MeshModel } from '../../model/types.js';
import { configMapName } from '../../naming/index.js';
import { commonLabels, objectMeta, selectorLabels } from './labels.js';
import type { IContainer, IDeployment, IEnvVar, IProbe, ITopologySpreadConstraint, Workload } from './types.js';

/** Extra time past the runtime's drain before the kubelet kills the container (closing the bus, clients, exiting). */
const killMarginSeconds = 5;

/** Failed readiness probes in a row before the pod is not ready: one slow answer does not take it out. */
const readinessFailureThreshold = 2;

/** The readiness period when the delay allows it (the probe costs a request each time). */
const longestReadinessPeriodSeconds = 5;

/** The image's non-root user (uid/gid 1000, `node` in the official Node images). */
const nonRootId = 1000;

export function deploymentObject(model: MeshModel, workload: Workload): IDeployment {
  const selector = selectorLabels(model, workload.name);
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: objectMeta(model, workload.name),

    spec: {
      // An autoscaler owns the count when there is one: a fixed value here would reset it on every apply.
      ...(workload.autoscaling ? {} : { replicas: workload.replicas }),
      selector: { matchLabels: selector },
      // Start a new pod before stopping an old one: a rollout never lowers capacity.
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
      template: {
        metadata: {
          labels: commonLabels(model, workload.name),
          annotations: {
            // Pods roll when the ConfigMap changes, which a Deployment would not notice on its own.
            'meshspec/config-hash': configHash(workload.config),
            ...metricsAnnotations(workload),
          },
        },
        spec: {
          terminationGracePeriodSeconds: terminationGraceSeconds(workload),
          // Its own identity (service-account.ts); services never talk to the Kubernetes API, and do not need Docker-link env vars.
          serviceAccountName: workload.name,
          automountServiceAccountToken: false,
          enableServiceLinks: false,
          securityContext: {
            // A numeric user lets the kubelet verify runAsNonRoot whatever USER the image names.
            runAsNonRoot: true,
            runAsUser: nonRootId,
            runAsGroup: nonRootId,
            seccompProfile: { type: 'RuntimeDefault' },
          },
          ...(maxReplicas(workload) > 1 ? { topologySpreadConstraints: [spreadAcrossNodes(model, workload)] } : {}),
          containers: [container(workload)],
          // The root filesystem is read-only; Node and libraries that write temporary files get /tmp.
          volumes: [{ name: 'tmp', emptyDir: { sizeLimit: '64Mi' } }],
        },
      },
    },
  };
}

function container(workload: Workload): IContainer {
  const env: IEnvVar[] = workload.secrets.map((s) => ({
    name: s.env,
    // By reference only: the value never appears in generated files.
    valueFrom: { secretKeyRef: { name: s.secret, key: s.key } },
  }));
  return {
    name: workload.name,
    image: workload.image,
    // No command: the image's ENTRYPOINT runs the built entry, which starts the workload its argument names.
    args: workload.args,
    ports: workload.ports.map((p) => ({ name: p.name, containerPort: p.containerPort, protocol: 'TCP' })),
    envFrom: [{ configMapRef: { name: configMapName(workload.name) } }],
    ...(env.length > 0 ? { env } : {}),
    resources: {
      requests: { ...workload.resources.requests },
      limits: { ...workload.resources.limits },
    },
    // Up to 60 s to boot (connecting to the bus and the database) before liveness takes over.
    startupProbe: probe('/health', workload.probePort, { periodSeconds: 2, failureThreshold: 30 }),
    livenessProbe: probe('/health', workload.probePort, { periodSeconds: 10, failureThreshold: 3 }),
    readinessProbe: probe('/ready', workload.probePort, {
      periodSeconds: readinessPeriodSeconds(workload.shutdownDelayMs),
      failureThreshold: readinessFailureThreshold,
    }),
    securityContext: {
      runAsNonRoot: true,
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
    },
    volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
  };
}

/**
 * Replicas spread over nodes, so that losing one node takes at most its share of a workload. The
 * skew is a preference (ScheduleAnyway), not a rule: with DoNotSchedule, a cluster with fewer
 * schedulable nodes than replicas (a small cluster, a node drained or down) would leave pods Pending
 * and a rollout stuck, since a rollout never lowers capacity (maxUnavailable 0); the scheduler
 * still spreads whenever it can.
 *
 * @param model the mesh (selector labels)
 * @param workload a replicated workload
 * @example spreadAcrossNodes(model, orders).topologyKey // 'kubernetes.io/hostname'
 */
export function spreadAcrossNodes(model: MeshModel, workload: Workload): ITopologySpreadConstraint {
  return {
    maxSkew: 1,
    topologyKey: 'kubernetes.io/hostname',
    whenUnsatisfiable: 'ScheduleAnyway',
    labelSelector: { matchLabels: selectorLabels(model, workload.name) },
  };
}

/**
 * The `prometheus.io/*` annotations that Prometheus's usual pod discovery reads: every service
 * serves `GET /metrics` on its HTTP port, the gateway on its `metrics` port (never its public one). A
 * group's pod names its probe port (one of its members' HTTP ports: the annotation holds one port).
 *
 * @param workload a workload (its ports and metrics port)
 * @example metricsAnnotations(users) // { 'prometheus.io/scrape': 'true', 'prometheus.io/port': '3001', 'prometheus.io/path': '/metrics' }
 */
export function metricsAnnotations(workload: Workload): Record<string, string> {
  const port = workload.ports.find((p) => p.name === workload.metricsPort);
  if (!port) throw new Error(`kubernetes: ${workload.name} has no port ${workload.metricsPort}`);
  return { 'prometheus.io/scrape': 'true', 'prometheus.io/port': String(port.containerPort), 'prometheus.io/path': '/metrics' };
}

/**
 * How long the kubelet waits after SIGTERM before it kills the container: the whole drain (the delay,
 * then the grace period for requests in flight) and a margin, so that a pod is never killed while it
 * still finishes requests it accepted.
 *
 * @param workload its shutdown delay and grace period
 * @example terminationGraceSeconds({ shutdownDelayMs: 5000, shutdownGraceMs: 10_000, ... }) // 20
 */
export function terminationGraceSeconds(workload: Pick<Workload, 'shutdownDelayMs' | 'shutdownGraceMs'>): number {
  return Math.ceil((workload.shutdownDelayMs + workload.shutdownGraceMs) / 1000) + killMarginSeconds;
}

/**
 * The readiness period whose failures fit in the shutdown delay (period x failureThreshold < delay),
 * so the 503 of a stopping pod is seen while it still serves. Kubernetes drops a terminating pod from
 * its Service's ready endpoints by itself; the probe speaks for it where readiness still counts then
 * (an endpoint's `serving` condition, which kube-proxy falls back to, and load balancers that ask the
 * pod). Between 1 s and 5 s: a delay of 2 s or less leaves no room, and the kubelet's own removal remains.
 *
 * @param delayMs the workload's shutdown delay
 * @example readinessPeriodSeconds(5000) // 2: two failed probes within 4 s
 */
export function readinessPeriodSeconds(delayMs: number): number {
  const fitting = Math.ceil(delayMs / 1000 / readinessFailureThreshold) - 1;
  return Math.min(longestReadinessPeriodSeconds, Math.max(1, fitting));
}

function probe(path: string, port: string, timing: { periodSeconds: number; failureThreshold: number }): IProbe {
  return { httpGet: { path, port }, timeoutSeconds: 2, ...timing };
}

/** A short digest of the ConfigMap data (keys are already sorted, so the JSON is canonical). */
function configHash(config: Record<string, string>): string {
  return createHash('sha256').update(JSON.stringify(config)).digest('hex').slice(0, 16);
}

/**
 * The most replicas the workload may run: its autoscaler's `max`, else its fixed count.
 *
 * @param workload a workload
 * @example maxReplicas({ ...orders, replicas: 2, autoscaling: { min: 2, max: 10, cpuPercent: 70 } }) // 10
 */
export function maxReplicas(workload: Pick<Workload, 'replicas' | 'autoscaling'>): number {
  return workload.autoscaling?.max ?? workload.replicas;
}
