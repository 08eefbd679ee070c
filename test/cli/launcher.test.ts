import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { FakeAdminServer, NEW_KEY } from './fake-admin-server.js';

// bin/llm-gateway.js as npx runs it: a separate Node process that loads the TypeScript CLI through tsx.
const run = promisify(execFile);
const LAUNCHER = 'bin/llm-gateway.js';
const server = new FakeAdminServer();

beforeAll(() => server.start());
afterAll(() => server.stop());

const launch = (args: string[], env: Record<string, string> = {}) =>
  run(process.execPath, [LAUNCHER, ...args], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    timeout: 20_000,
  });

describe('bin/llm-gateway.js', () => {
  it('prints the usage', async () => {
    const { stdout } = await launch(['--help']);
    expect(stdout).toMatch(/^Usage: llm-gateway keys/);
  });

  it('creates a key against a gateway and exits 0 promptly', async () => {
    const started = Date.now();
    const { stdout } = await launch(['keys', 'create', '--tenant', 'acme', '--json'], {
      GATEWAY_URL: server.url,
      GATEWAY_ADMIN_KEY: 'launcher-admin-key-123',
    });
    expect(JSON.parse(stdout)).toMatchObject({ key: NEW_KEY, tenant: 'acme' });
    expect(server.last.headers.authorization).toBe('Bearer launcher-admin-key-123');
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('exits 2 on an unknown flag and 1 when the gateway is down', async () => {
    await expect(launch(['keys', 'list', '--bogus'])).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/--bogus/),
    });
    await expect(
      launch(['keys', 'list', '--url', 'http://127.0.0.1:9'], { GATEWAY_ADMIN_KEY: 'x'.repeat(12) }),
    ).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/not reachable/),
    });
  });
});
