// Reading one sample out of a Prometheus text exposition, for assertions on /metrics.

/**
 * The value of the sample `name{labels}` (labels matched exactly, in any order), or undefined.
 *
 * @param text - the /metrics text
 * @param name - the sample's name, e.g. `meshspec_server_requests_total`
 * @param labels - every label of the sample
 * @example
 * sampleOf(text, 'meshspec_server_requests_total', { service: 'users', endpoint: 'createUser', transport: 'http', status: '201' }); // 3
 */
export function sampleOf(text: string, name: string, labels: Readonly<Record<string, string>>): number | undefined {
  const wanted = Object.entries(labels).sort(([a], [b]) => a.localeCompare(b));
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && line !== name && !line.startsWith(`${name} `)) continue;
    const match = /^([^{\s]+)(?:\{(.*)\})?\s+(\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const got = [...(match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1]!, m[2]!] as const).sort(([a], [b]) => a.localeCompare(b));
    if (got.length === wanted.length && got.every(([k, v], i) => k === wanted[i]![0] && v === wanted[i]![1])) return Number(match[3]);
  }
  return undefined;
}
