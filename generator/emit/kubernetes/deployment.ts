// The Deployment of a workload: one hardened container, health-checked through the runtime's
// `/health` (alive) and `/ready` (accepting traffic; false once shutdown starts) endpoints.
import { createHash } from 'node:crypto';
import type { MeshModel } from '../../model/types.js';
import { configMapName } from '../../naming/index.js';
import { commonLabels, objectMeta, selectorLabels } from './labels.js';
import type { IContainer, IDeployment, IEnvVar, IProbe, Workload } from './types.js';

/** Extra time past the runtime's drain before the kubelet kills the container. */
const killMarginSeconds = 5;

/** The image's non-root user (uid/gid 1000, `node` in the official Node images). */
const nonRootId = 1000;

export function deploymentObject(model: MeshModel, workload: Workload): IDeployment {
  const selector = selectorLabels(model, workload.name);
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: objectMeta(model, workload.name),

    spec: {
      replicas: workload.replicas,
      selector: { matchLabels: selector },
      // Start a new pod before stopping an old one: a rollout never lowers capacity.
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
      template: {
        metadata: {
          labels: commonLabels(model, workload.name),
          // Pods roll when the ConfigMap changes, which a Deployment would not notice on its own.
          annotations: { 'meshspec/config-hash': configHash(workload.config) },
        },
        spec: {
          terminationGracePeriodSeconds: Math.ceil(model.runtime.shutdownGraceMs / 1000) + killMarginSeconds,
          // Services never talk to the Kubernetes API, and do not need Docker-link env vars.
          automountServiceAccountToken: false,
          enableServiceLinks: false,
          securityContext: {
            // A numeric user lets the kubelet verify runAsNonRoot whatever USER the image names.
            runAsNonRoot: true,
            runAsUser: nonRootId,
            runAsGroup: nonRootId,
            seccompProfile: { type: 'RuntimeDefault' },
          },
          containers: [container(workload)],
          // The root filesystem is read-only; tsx keeps its compile cache under the temp dir.
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
    command: workload.command,
    ports: workload.ports.map((p) => ({ name: p.name, containerPort: p.containerPort, protocol: 'TCP' })),
    envFrom: [{ configMapRef: { name: configMapName(workload.name) } }],
    ...(env.length > 0 ? { env } : {}),
    resources: {
      requests: { ...workload.resources.requests },
      limits: { ...workload.resources.limits },
    },
    // Up to 60 s to boot (tsx compiles on first start) before liveness takes over.
    startupProbe: probe('/health', workload.probePort, { periodSeconds: 2, failureThreshold: 30 }),
    livenessProbe: probe('/health', workload.probePort, { periodSeconds: 10, failureThreshold: 3 }),
    readinessProbe: probe('/ready', workload.probePort, { periodSeconds: 5, failureThreshold: 2 }),
    securityContext: {
      runAsNonRoot: true,
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
    },
    volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
  };
}

function probe(path: string, port: string, timing: { periodSeconds: number; failureThreshold: number }): IProbe {
  return { httpGet: { path, port }, timeoutSeconds: 2, ...timing };
}

/** A short digest of the ConfigMap data (keys are already sorted, so the JSON is canonical). */
function configHash(config: Record<string, string>): string {
  return createHash('sha256').update(JSON.stringify(config)).digest('hex').slice(0, 16);
}
