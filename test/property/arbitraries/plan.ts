// A generated spec as plain data, shaped like the YAML it becomes: the arbitraries build a SpecPlan,
// the renderers print it (render-yaml.ts, render-hand.ts), and the checks read it to know what to
// expect (which services serve gRPC, which inputs to send).
import type { StringFormatName } from '../../../common/formats.js';

export interface FieldPlan {
  name: string;
  /** Absent for an inline enum. */
  type?: string;
  enum?: string[];
  items?: string;
  values?: string;
  field: number;
  optional?: boolean;
  description?: string;
  format?: StringFormatName;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  /** A value the field's own constraints accept (the semantic checks check it against its schema). */
  example?: string | number | boolean;
}

export interface TypePlan {
  name: string;
  description?: string;
  /** A record has fields, an enum has values. */
  fields?: FieldPlan[];
  reserved?: number[];
  enum?: string[];
}

export interface EndpointPlan {
  name: string;
  description?: string;
  http: string;
  status?: number;
  input?: string;
  output?: string;
  errors?: string[];
  emits?: string[];
  idempotent?: boolean;
}

export interface DeployPlan {
  image?: string;
  replicas?: number;
  resources?: { cpu?: string; memory?: string };
  shutdownDelay?: string;
  env?: Record<string, string | number | boolean>;
  secrets?: Record<string, string>;
  tag?: string;
  digest?: string;
  autoscaling?: { min?: number; max: number; cpu: string };
}

export interface ServicePlan {
  service: string;
  description?: string;
  ports: { http: number; grpc?: number };
  calls?: Record<string, { transport?: 'http' | 'grpc'; policy?: string; endpoints?: Record<string, { policy: string }>; balance?: string }>;
  types?: TypePlan[];
  errors?: { name: string; status: number; description?: string }[];
  endpoints?: EndpointPlan[];
  publishes?: string[];
  subscribes?: Record<string, string>;
  deploy?: DeployPlan;
}

export interface EventPlan {
  name: string;
  payload: string;
  version?: number;
  description?: string;
}

export interface GatewayPlan {
  port: number;
  timeout?: string;
  bodyLimit?: string;
  routes: { prefix: string; service: string; rewrite?: string }[];
  deploy?: DeployPlan;
}

/** `runtime.bus`: the kind stays memory, so specs that serve need no broker; the delays are ordered as the checks demand. */
export interface BusPlan {
  kind?: 'memory';
  maxAttempts?: number;
  retryDelay?: string;
  maxRetryDelay?: string;
  claimIdle?: string;
  retention?: { maxLength?: number; maxAge?: string };
}

/** A resilience policy as the spec writes it. */
export interface PolicyPlan {
  timeout?: string;
  attemptTimeout?: string;
  retry?: { attempts?: number; backoff?: string; initial?: string; max?: string; jitter?: string; budget?: string };
  circuitBreaker?: { consecutiveFailures?: number; failureRatio?: string; window?: string; minimumCalls?: number; openFor?: string; halfOpenCalls?: number; countedFailures?: string[] };
  bulkhead?: { maxConcurrent: number; maxQueue?: number };
}

export interface MeshPlan {
  mesh: string;
  version: string;
  description?: string;
  runtime?: { bodyLimit?: string; shutdownGrace?: string; bus?: BusPlan };
  deploy?: { namespace?: string; registry?: string };
  policies?: Record<string, PolicyPlan>;
  types?: TypePlan[];
  events?: EventPlan[];
  gateway?: GatewayPlan;
}

/** How the YAML text is laid out; the content is the same either way. */
export type RenderStyle =
  | { kind: 'yaml'; indent: 2 | 4; flowFields: boolean; quotes: 'plain' | 'single' | 'double' }
  | { kind: 'hand'; indent: 2 | 4; flowFields: boolean; comments: boolean };

export interface SpecPlan {
  mesh: MeshPlan;
  services: ServicePlan[];
  style: RenderStyle;
}

/** A spec folder as text: `mesh.yaml` and `services/<name>.yaml`, paths relative to the spec folder. */
export type SpecFiles = Record<string, string>;
