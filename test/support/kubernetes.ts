// Validators for generated Kubernetes objects: the object schemas of kubernetes-models, and the
// checks of the API server those schemas leave out (object names, label values, images, ports,
// integer ranges), as `kubectl apply` would report them.
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import { Ingress } from 'kubernetes-models/networking.k8s.io/v1/Ingress';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Namespace } from 'kubernetes-models/v1/Namespace';
import { Service } from 'kubernetes-models/v1/Service';
import { ServiceAccount } from 'kubernetes-models/v1/ServiceAccount';

export type Obj = Record<string, any>;

const models: Record<string, new (data: any) => { validate(): void }> = {
  ConfigMap,
  Deployment,
  HorizontalPodAutoscaler,
  Ingress,
  Namespace,
  NetworkPolicy,
  PodDisruptionBudget,
  Service,
  ServiceAccount,
};

/** Throws when `o` does not match the schema of its kind. */
export function validateObject(o: Obj): void {
  const Model = models[o.kind];
  if (!Model) throw new Error(`unexpected kind ${o.kind}`);
  new Model(o).validate();
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const PORT_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const ENV_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;
const CONFIG_KEY = /^[-._a-zA-Z0-9]+$/;
const INT32_MAX = 2 ** 31 - 1;

/** What the API server would reject in `o` beyond its schema, one line per problem. */
export function apiServerProblems(o: Obj): string[] {
  const problems: string[] = [];
  const where = `${o.kind}/${o.metadata?.name}`;
  const check = (ok: boolean, what: string) => {
    if (!ok) problems.push(`${where}: ${what}`);
  };
  const name = String(o.metadata?.name ?? '');
  if (o.kind === 'Namespace' || o.kind === 'Service') check(name.length <= 63 && (o.kind === 'Service' ? DNS_1035_LABEL : DNS_LABEL).test(name), `name ${JSON.stringify(name)} is not a DNS label`);
  else check(name.length <= 253 && DNS_SUBDOMAIN.test(name), `name ${JSON.stringify(name)} is not a DNS subdomain`);
  if (o.metadata?.namespace !== undefined) check(DNS_LABEL.test(o.metadata.namespace) && o.metadata.namespace.length <= 63, `namespace ${o.metadata.namespace} is not a DNS label`);
  const labels = (l: Record<string, string> | undefined, at: string) => {
    for (const [key, value] of Object.entries(l ?? {})) check(value.length <= 63 && LABEL_VALUE.test(value), `${at} ${key}=${JSON.stringify(value)} is not a label value`);
  };
  labels(o.metadata?.labels, 'label');
  if (o.kind === 'ConfigMap') {
    for (const [key, value] of Object.entries(o.data ?? {})) {
      check(CONFIG_KEY.test(key) && key.length <= 253, `data key ${JSON.stringify(key)} is not a valid key`);
      check(typeof value === 'string', `data ${key} is not a string`);
    }
  }
  if (o.kind === 'Deployment') {
    const spec = o.spec ?? {};
    // Absent when an autoscaler owns the count.
    check(spec.replicas === undefined || (Number.isInteger(spec.replicas) && spec.replicas >= 0 && spec.replicas <= INT32_MAX), `replicas ${spec.replicas} is not an int32`);
    labels(spec.selector?.matchLabels, 'selector');
    labels(spec.template?.metadata?.labels, 'pod label');
    const pod = spec.template?.spec ?? {};
    const grace = pod.terminationGracePeriodSeconds;
    check(grace === undefined || (Number.isSafeInteger(grace) && grace >= 0), `terminationGracePeriodSeconds ${grace} is not an int64 the API server accepts`);
    for (const c of pod.containers ?? []) {
      check(typeof c.name === 'string' && c.name.length <= 63 && DNS_LABEL.test(c.name), `container name ${JSON.stringify(c.name)} is not a DNS label`);
      check(typeof c.image === 'string' && c.image !== '' && c.image.trim() === c.image, `image ${JSON.stringify(c.image)} is empty or has surrounding whitespace`);
      for (const p of c.ports ?? []) {
        check(Number.isInteger(p.containerPort) && p.containerPort >= 1 && p.containerPort <= 65535, `containerPort ${p.containerPort} is out of range`);
        check(p.name === undefined || (p.name.length <= 15 && PORT_NAME.test(p.name) && /[a-z]/.test(p.name)), `port name ${p.name} is not an IANA service name`);
      }
      for (const e of c.env ?? []) check(ENV_NAME.test(e.name), `env name ${JSON.stringify(e.name)} is not valid`);
    }
  }
  if (o.kind === 'Service') {
    for (const p of o.spec?.ports ?? []) {
      check(Number.isInteger(p.port) && p.port >= 1 && p.port <= 65535, `port ${p.port} is out of range`);
      check(p.name === undefined || (p.name.length <= 63 && DNS_LABEL.test(p.name)), `port name ${p.name} is not a DNS label`);
    }
    labels(o.spec?.selector, 'selector');
  }
  if (o.kind === 'PodDisruptionBudget') labels(o.spec?.selector?.matchLabels, 'selector');
  return problems;
}
