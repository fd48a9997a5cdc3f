// `meshspec dev`'s dashboard flags: documented in its help, and refused before any work when they
// cannot apply (with --processes, together, or with a port that is not one).
import { describe, expect, it } from 'vitest';
import { dashboardSettings, devCommand, devUsage } from '../../../generator/cli/dev.js';
import { prepareDevAuth, prepareDevAuthWithToken } from '../../../generator/cli/dev-auth.js';
import { UsageError } from '../../../generator/cli/usage-error.js';

describe('meshspec dev dashboard flags', () => {
  it('are in the help text', () => {
    expect(devUsage).toContain('--dashboard-port N');
    expect(devUsage).toContain('--no-dashboard');
    expect(devUsage).toContain('http://127.0.0.1:9400');
  });

  it('give the dashboard its port: the default, the one asked for, a free one with --free-ports, or none', () => {
    expect(dashboardSettings({})).toEqual({});
    expect(dashboardSettings({ 'dashboard-port': '9500' })).toEqual({ port: 9500 });
    expect(dashboardSettings({ 'dashboard-port': '9500', 'free-ports': true })).toEqual({ port: 9500 });
    expect(dashboardSettings({ 'free-ports': true })).toEqual({ port: 0 });
    expect(dashboardSettings({ 'no-dashboard': true })).toBe(false);
    expect(dashboardSettings({ processes: true, 'free-ports': true })).toBe(false);
  });

  it('refuses --dashboard-port with --processes, which runs no dashboard', async () => {
    await expect(devCommand(['--processes', '--dashboard-port', '9500'])).rejects.toThrow(UsageError);
    await expect(devCommand(['--processes', '--dashboard-port', '9500'])).rejects.toThrow(/--dashboard-port goes without --processes/);
  });

  it('refuses --dashboard-port with --no-dashboard, and a port that is not one', async () => {
    await expect(devCommand(['--no-dashboard', '--dashboard-port', '9500'])).rejects.toThrow(/contradict/);
    for (const port of ['x', '-1', '65536', '80.5']) {
      await expect(devCommand([`--dashboard-port=${port}`]), port).rejects.toThrow(/--dashboard-port must be a port number/);
    }
  });
});

describe('development token for the dashboard', () => {
  const auth = { jwt: { algorithms: ['HS256'], secretEnv: 'JWT_SECRET', issuer: 'shop', audience: 'shop-api' } };

  it('is the token prepareDevAuth prints, and prepareDevAuth still answers the notes alone', async () => {
    const env: NodeJS.ProcessEnv = {};
    const { notes, token } = await prepareDevAuthWithToken(auth, env, () => 1_700_000_000_000);
    expect(token).toMatch(/^ey[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(notes.at(-1)).toBe(`development token (expires in 12h): ${token}`);
    expect(await prepareDevAuth(auth, env, () => 1_700_000_000_000)).toEqual(notes.slice(-1));
  });

  it('is undefined when dev makes none (no auth, delegated auth, a JWKS)', async () => {
    expect(await prepareDevAuthWithToken(undefined, {})).toEqual({ notes: [], token: undefined });
    expect((await prepareDevAuthWithToken({ delegate: { service: 'users', path: '/auth' } }, {})).token).toBeUndefined();
    expect((await prepareDevAuthWithToken({ jwt: { algorithms: ['RS256'], jwksUrl: 'https://idp.example/jwks' } }, {})).token).toBeUndefined();
  });
});
