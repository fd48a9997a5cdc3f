// A service (or the gateway) could not start for a reason its operator can fix: a taken port, a
// missing hook, a bad env var. Reported as one line, without a stack.

export interface StartupErrorDetails {
  /** The service (or `gateway`) that failed. */
  service?: string;
  listener?: 'http' | 'grpc' | 'metrics';
  port?: number;
  /** System error code, e.g. EADDRINUSE. */
  code?: string;
}

export class StartupError extends Error {
  readonly details: StartupErrorDetails;

  constructor(message: string, details: StartupErrorDetails = {}, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StartupError';
    this.details = details;
  }
}

/** The StartupError for a failed listen, or undefined when `err` is not about the port. */
export function portError(
  err: unknown,
  port: number,
  service: string,
  listener: 'http' | 'grpc',
): StartupError | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  const text = `${typeof code === 'string' ? code : ''} ${err instanceof Error ? err.message : String(err)}`;
  const details = { service, listener, port };
  // gRPC reports bind failures in its message only.
  if (/EADDRINUSE|address already in use/i.test(text)) {
    return new StartupError(`port ${port} (${service} ${listener}) is already in use`, { ...details, code: 'EADDRINUSE' }, { cause: err });
  }
  if (/EACCES|permission denied/i.test(text)) {
    return new StartupError(`port ${port} (${service} ${listener}) needs privileges this process does not have`, { ...details, code: 'EACCES' }, { cause: err });
  }
  if (/EADDRNOTAVAIL/.test(text)) {
    return new StartupError(`cannot listen for ${service} ${listener} on port ${port}: the address is not available on this machine`, { ...details, code: 'EADDRNOTAVAIL' }, { cause: err });
  }
  return undefined;
}
