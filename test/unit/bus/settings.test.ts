// EVENT_BUS / EVENT_BUS_URL / EVENT_BUS_NAMESPACE over the spec's runtime.bus defaults.
import { describe, expect, it } from 'vitest';
import { busSettingsFromEnv, DEFAULT_BUS, redactUrl, type BusDefaults } from '../../../runtime/bus/settings.js';
import { StartupError } from '../../../runtime/host/startup-error.js';

const redisSpec: BusDefaults = { ...DEFAULT_BUS, kind: 'redis', maxAttempts: 7 };

describe('busSettingsFromEnv', () => {
  it("keeps the spec's kind and settings when EVENT_BUS is unset, with the local broker URL", () => {
    const settings = busSettingsFromEnv(redisSpec, {});
    expect(settings).toMatchObject({ kind: 'redis', url: 'redis://127.0.0.1:6379', maxAttempts: 7, fromEnvironment: false, namespace: 'meshspec' });
    expect(busSettingsFromEnv(DEFAULT_BUS, {})).toMatchObject({ kind: 'memory', url: null, fromEnvironment: false });
  });

  it('lets EVENT_BUS and EVENT_BUS_URL win over the spec', () => {
    const settings = busSettingsFromEnv(redisSpec, { EVENT_BUS: 'rabbitmq', EVENT_BUS_URL: 'amqp://u:p@broker:5672/shop' });
    expect(settings).toMatchObject({ kind: 'rabbitmq', url: 'amqp://u:p@broker:5672/shop', fromEnvironment: true, maxAttempts: 7 });
    expect(busSettingsFromEnv(redisSpec, { EVENT_BUS: 'memory', EVENT_BUS_URL: 'redis://x' })).toMatchObject({ kind: 'memory', url: null, fromEnvironment: true });
  });

  it('rejects an unknown kind, a URL that is not one, and a scheme that does not fit the kind, naming the variable', () => {
    const fail = (env: Record<string, string>) => () => busSettingsFromEnv(DEFAULT_BUS, env);
    expect(fail({ EVENT_BUS: 'kafka' })).toThrow(new StartupError("EVENT_BUS must be one of memory, redis, rabbitmq, got 'kafka'"));
    expect(fail({ EVENT_BUS: 'redis', EVENT_BUS_URL: 'not a url' })).toThrow(/^EVENT_BUS_URL is not a URL/);
    expect(fail({ EVENT_BUS: 'rabbitmq', EVENT_BUS_URL: 'redis://127.0.0.1:6379' })).toThrow(
      'EVENT_BUS_URL must start with amqp:// or amqps:// for EVENT_BUS=rabbitmq, got redis://…',
    );
    expect(fail({ EVENT_BUS_NAMESPACE: 'has space' })).toThrow(/^EVENT_BUS_NAMESPACE must be/);
  });

  it('never repeats a password from a bad URL in its message', () => {
    expect(() => busSettingsFromEnv(DEFAULT_BUS, { EVENT_BUS: 'rabbitmq', EVENT_BUS_URL: 'http://user:s3cret@host' })).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining('s3cret') }),
    );
  });

  it('takes a namespace for keys, exchanges and queues', () => {
    expect(busSettingsFromEnv(redisSpec, { EVENT_BUS_NAMESPACE: 'shop-test.1' }).namespace).toBe('shop-test.1');
  });
});

describe('redactUrl', () => {
  it('hides the password and keeps the rest', () => {
    expect(redactUrl('amqp://guest:guest@127.0.0.1:5672')).toBe('amqp://guest:***@127.0.0.1:5672');
    expect(redactUrl('redis://127.0.0.1:6379')).toBe('redis://127.0.0.1:6379');
    expect(redactUrl('::')).toBe('(unparsable URL)');
  });
});
