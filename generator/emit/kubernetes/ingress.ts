// The gateway's Ingress (networking.k8s.io/v1), when the spec's `gateway.ingress` asks for one:
// every path of its host to the gateway's Service on port 80, through the IngressClass it names
// (else the cluster's default), with TLS from the Secret it names (which the operator or
// cert-manager creates: no certificate is ever generated).
import type { IngressModel, MeshModel } from '../../model/types.js';
import { GATEWAY_WORKLOAD } from '../../naming/index.js';
import { objectMeta } from './labels.js';
import type { IIngress } from './types.js';

/** The port of the gateway's Service (service.ts: clients reach the gateway on port 80). */
const gatewayServicePort = 80;

/**
 * The Ingress in front of the gateway's Service.
 *
 * @param model the mesh (namespace, labels)
 * @param ingress the spec's `gateway.ingress`
 * @example ingressObject(model, { host: 'shop.example.com', tlsSecret: 'shop-tls' }).spec?.tls // [{ hosts: ['shop.example.com'], secretName: 'shop-tls' }]
 */
export function ingressObject(model: MeshModel, ingress: IngressModel): IIngress {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: objectMeta(model, GATEWAY_WORKLOAD),
    spec: {
      ...(ingress.className !== undefined ? { ingressClassName: ingress.className } : {}),
      ...(ingress.tlsSecret !== undefined ? { tls: [{ hosts: [ingress.host], secretName: ingress.tlsSecret }] } : {}),
      rules: [
        {
          host: ingress.host,
          http: {
            paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: GATEWAY_WORKLOAD, port: { number: gatewayServicePort } } } }],
          },
        },
      ],
    },
  };
}
