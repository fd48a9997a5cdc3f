// A small evaluator of Kubernetes NetworkPolicies, as the API defines them: a pod that no policy
// selects for a direction is open in that direction; once one does, only what some rule of a
// selecting policy allows passes. A connection needs the sender's egress and the receiver's ingress.
// Supports what the generator emits (matchLabels pod and namespace selectors, numeric ports); anything
// else throws, so a policy the evaluator cannot judge never passes silently.
export type Obj = Record<string, any>;

/** A pod: its namespace (null: an address outside the cluster) and labels. */
export interface Endpoint {
  namespace: string | null;
  labels: Record<string, string>;
}

/** A cluster's namespaces and their labels (`kubernetes.io/metadata.name` is added as Kubernetes does). */
export type Namespaces = Record<string, Record<string, string>>;

/**
 * Whether `from` may open a connection to `to` on `port`/`protocol` under `policies`.
 *
 * @param policies NetworkPolicy objects
 * @param namespaces the namespaces' labels
 * @param from the sender
 * @param to the receiver
 * @param port a numeric port
 * @param protocol TCP (default) or UDP
 * @example connectionAllowed(policies, { shop: {} }, gatewayPod, usersPod, 3001) // true
 */
export function connectionAllowed(policies: readonly Obj[], namespaces: Namespaces, from: Endpoint, to: Endpoint, port: number, protocol = 'TCP'): boolean {
  return directionAllows(policies, namespaces, 'Egress', from, to, port, protocol) && directionAllows(policies, namespaces, 'Ingress', to, from, port, protocol);
}

function directionAllows(policies: readonly Obj[], namespaces: Namespaces, direction: 'Ingress' | 'Egress', subject: Endpoint, peer: Endpoint, port: number, protocol: string): boolean {
  // An address outside the cluster has no policies of its own.
  if (subject.namespace === null) return true;
  const selecting = policies.filter(
    (p) => p.kind === 'NetworkPolicy' && p.metadata.namespace === subject.namespace && typesOf(p).includes(direction) && matches(p.spec.podSelector, subject.labels),
  );
  if (selecting.length === 0) return true;
  return selecting.some((p) =>
    ((direction === 'Ingress' ? p.spec.ingress : p.spec.egress) ?? []).some((rule: Obj) => {
      const peers: Obj[] | undefined = direction === 'Ingress' ? rule.from : rule.to;
      const peerOk = peers === undefined || peers.length === 0 || peers.some((x) => peerMatches(x, p.metadata.namespace, namespaces, peer));
      const portOk = rule.ports === undefined || rule.ports.length === 0 || rule.ports.some((x: Obj) => portMatches(x, port, protocol));
      return peerOk && portOk;
    }),
  );
}

/** policyTypes as the API defaults them: Ingress always, Egress when the policy has egress rules. */
function typesOf(policy: Obj): string[] {
  return policy.spec.policyTypes ?? ['Ingress', ...(policy.spec.egress ? ['Egress'] : [])];
}

function peerMatches(peer: Obj, policyNamespace: string, namespaces: Namespaces, endpoint: Endpoint): boolean {
  if (peer.ipBlock) throw new Error('evaluator: ipBlock peers are not supported');
  if (endpoint.namespace === null) return false;
  const namespaceOk = peer.namespaceSelector
    ? matches(peer.namespaceSelector, { ...namespaces[endpoint.namespace], 'kubernetes.io/metadata.name': endpoint.namespace })
    : endpoint.namespace === policyNamespace;
  const podOk = peer.podSelector ? matches(peer.podSelector, endpoint.labels) : true;
  return namespaceOk && podOk;
}

function portMatches(rule: Obj, port: number, protocol: string): boolean {
  if (rule.port !== undefined && typeof rule.port !== 'number') throw new Error(`evaluator: named port ${rule.port} is not supported`);
  const ruleProtocol = rule.protocol ?? 'TCP';
  if (ruleProtocol !== protocol) return false;
  if (rule.port === undefined) return true;
  return rule.endPort === undefined ? rule.port === port : port >= rule.port && port <= rule.endPort;
}

function matches(selector: Obj | undefined, labels: Record<string, string>): boolean {
  if (selector?.matchExpressions) throw new Error('evaluator: matchExpressions are not supported');
  return Object.entries(selector?.matchLabels ?? {}).every(([k, v]) => labels[k] === v);
}
