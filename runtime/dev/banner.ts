// The lines `meshspec dev` prints once the stack is up: where the gateway and each service listen
// (tests and users read the URLs from here, the ports may be free ones), and what to press to stop.

/** What the banner names. */
export interface BannerContent {
  /** The gateway's origin; null when the mesh has no gateway. */
  readonly gatewayUrl: string | null;
  /** Where the gateway's `/metrics` is (its own listener); omitted: not printed. */
  readonly gatewayMetricsUrl?: string | null;
  /** Per service: `http://host:port` and `host:port` for gRPC (null without gRPC). */
  readonly urls: Readonly<Record<string, { http: string; grpc: string | null }>>;
  /** Where the dashboard listens; omitted or null: not printed. */
  readonly dashboardUrl?: string | null;
  /** The event bus, e.g. `redis redis://127.0.0.1:6379` (a URL with its password redacted); omitted: not printed. */
  readonly bus?: string;
}

/**
 * The start-up banner of `meshspec dev`, aligned in columns.
 *
 * @param mesh the mesh's name
 * @param content the URLs (and the bus, if any) to list
 * @example
 * banner('shop', { gatewayUrl: 'http://127.0.0.1:8080', urls: { users: { http: 'http://127.0.0.1:3001', grpc: null } } })
 * // '\nmeshspec dev: shop\n  gateway  http://127.0.0.1:8080\n  users    http://127.0.0.1:3001\nCtrl-C to stop\n\n'
 * banner('shop', { gatewayUrl: 'http://127.0.0.1:8080', gatewayMetricsUrl: 'http://127.0.0.1:9464/metrics', urls: {} })
 * // '…\n  gateway  http://127.0.0.1:8080  metrics http://127.0.0.1:9464/metrics\n…'
 * banner('shop', { gatewayUrl: null, dashboardUrl: 'http://127.0.0.1:9400', urls: {} })
 * // '…\n  dashboard  http://127.0.0.1:9400\n…'
 */
export function banner(mesh: string, content: BannerContent): string {
  const names = Object.keys(content.urls);
  const width = Math.max('gateway'.length, ...(content.dashboardUrl ? ['dashboard'.length] : []), ...names.map((n) => n.length)) + 2;
  const lines = [`\nmeshspec dev: ${mesh}`];
  if (content.gatewayUrl) lines.push(`  ${'gateway'.padEnd(width)}${content.gatewayUrl}${content.gatewayMetricsUrl ? `  metrics ${content.gatewayMetricsUrl}` : ''}`);
  for (const name of names) {
    const { http, grpc } = content.urls[name] as { http: string; grpc: string | null };
    lines.push(`  ${name.padEnd(width)}${http}${grpc ? `  grpc ${grpc}` : ''}`);
  }
  if (content.dashboardUrl) lines.push(`  ${'dashboard'.padEnd(width)}${content.dashboardUrl}`);
  if (content.bus !== undefined) lines.push(`  ${'bus'.padEnd(width)}${content.bus}`);
  lines.push('Ctrl-C to stop\n\n');
  return lines.join('\n');
}
