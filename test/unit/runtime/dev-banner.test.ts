// The `meshspec dev` banner names where the gateway's /metrics is, now that it has a listener of its own.
import { describe, expect, it } from 'vitest';
import { banner } from '../../../runtime/dev/banner.js';

describe('dev banner', () => {
  const urls = { users: { http: 'http://127.0.0.1:3001', grpc: null } };

  it("prints the gateway's metrics URL on the gateway's line, where its URL stays the first word after the name", () => {
    const text = banner('shop', { gatewayUrl: 'http://127.0.0.1:8080', gatewayMetricsUrl: 'http://127.0.0.1:9464/metrics', urls });
    expect(text).toContain('\n  gateway  http://127.0.0.1:8080  metrics http://127.0.0.1:9464/metrics\n');
    expect(/^\s+gateway\s+(http:\/\/\S+)/m.exec(text)?.[1]).toBe('http://127.0.0.1:8080');
  });

  it('prints no metrics URL when it has none', () => {
    expect(banner('shop', { gatewayUrl: 'http://127.0.0.1:8080', urls })).not.toContain('metrics');
  });
});
