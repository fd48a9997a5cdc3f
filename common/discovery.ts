// How a process learns where a service is: the generated manifests set these variables and the
// runtime's discovery reads them, so both sides spell them the same way.

/** `MESH_<SERVICE>_HTTP` (an origin) / `MESH_<SERVICE>_GRPC` (`host:port`). */
export function discoveryEnvName(service: string, kind: 'HTTP' | 'GRPC'): string {
  return `MESH_${service.toUpperCase()}_${kind}`;
}
