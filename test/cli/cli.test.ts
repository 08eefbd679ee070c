import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { createdKeySchema, keyListSchema } from '../../lambdas/api/key-schemas.js';
import { tempDir } from '../helpers/tmp.js';
import { FakeAdminServer, NEW_KEY, createdKey } from './fake-admin-server.js';
import { cli, occurrences } from './run-cli.js';

// runCli against a fake admin API over real HTTP: what it sends, what it prints, its exit codes.
const ADMIN_KEY = 'test-admin-key-0123456789abcdef';
const server = new FakeAdminServer();
const data = tempDir('gw-cli');

beforeAll(() => server.start());
afterAll(async () => {
  await server.stop();
  data.remove();
});
beforeEach(() => server.reset());

const env = (extra: Record<string, string> = {}) => ({
  GATEWAY_URL: server.url,
  GATEWAY_ADMIN_KEY: ADMIN_KEY,
  ...extra,
});
const bodyOf = (text: string): unknown => JSON.parse(text);

describe('keys create', () => {
  it('posts the request: models split, scopes, expiry 30 days ahead, with the admin key as bearer', async () => {
    const before = Date.now();
    const result = await cli(
      [
        'keys',
        'create',
        '--tenant',
        'acme',
        '--name',
        'ci',
        '--plan',
        'pro',
        '--models',
        'gpt-4o, claude-sonnet',
        '--scopes',
        'chat,usage:read',
        '--expires',
        '30d',
      ],
      { env: env() },
    );
    expect(result).toMatchObject({ code: 0, stderr: '' });
    const { method, url, headers, body } = server.last;
    expect([method, url]).toEqual(['POST', '/admin/keys']);
    expect(headers.authorization).toBe(`Bearer ${ADMIN_KEY}`);
    expect(headers['content-type']).toBe('application/json');
    const sent = bodyOf(body) as Record<string, unknown>;
    expect(sent).toEqual({
      tenant: 'acme',
      name: 'ci',
      plan: 'pro',
      models: ['gpt-4o', 'claude-sonnet'],
      scopes: ['chat', 'usage:read'],
      expiresAt: expect.any(String),
    });
    const ahead = Date.parse(String(sent.expiresAt)) - before;
    expect(ahead).toBeGreaterThanOrEqual(30 * 86_400_000);
    expect(ahead).toBeLessThan(30 * 86_400_000 + 60_000);
  });

  it('sends only the tenant when nothing else is given', async () => {
    await cli(['keys', 'create', '--tenant', 'acme'], { env: env() });
    expect(bodyOf(server.last.body)).toEqual({ tenant: 'acme' });
  });

  it('prints the key once, says it will not be shown again, and "all" for null models', async () => {
    const { code, stdout } = await cli(['keys', 'create', '--tenant', 'acme'], { env: env() });
    expect(code).toBe(0);
    expect(occurrences(stdout, NEW_KEY)).toBe(1);
    expect(stdout).toMatch(/will not be shown again/);
    expect(stdout).toMatch(/^ {2}models +all$/m);
    expect(stdout).toMatch(/^ {2}id +key_0000000000000001$/m);
    expect(stdout).toMatch(/^ {2}tenant +acme$/m);
    expect(stdout).toMatch(/^ {2}plan +default$/m);
    expect(stdout).toMatch(/^ {2}scopes +chat$/m);
    expect(stdout).toMatch(/^ {2}expires +never$/m);
  });

  it('lists the allowed models when the key has some', async () => {
    const { stdout } = await cli(['keys', 'create', '--tenant', 'acme', '--models', 'a,b'], { env: env() });
    expect(stdout).toMatch(/^ {2}models +a,b$/m);
  });

  it('--json prints the API JSON as is, the key in the field "key"', async () => {
    const { code, stdout } = await cli(['keys', 'create', '--tenant', 'acme', '--json'], { env: env() });
    expect(code).toBe(0);
    const printed = bodyOf(stdout);
    expect(printed).toEqual(createdKey());
    expect(createdKeySchema.parse(printed).key).toBe(NEW_KEY);
    expect(stdout).toBe(`${JSON.stringify(printed, null, 2)}\n`);
  });

  it('rejects an invalid request before sending it (exit 2)', async () => {
    const { code, stderr } = await cli(['keys', 'create', '--tenant', 'acme', '--scopes', 'chat,admin'], {
      env: env(),
    });
    expect(code).toBe(2);
    expect(stderr).toMatch(/--scopes/);
    expect(server.requests).toHaveLength(0);
  });
});

describe('admin key', () => {
  it('reads it from <GATEWAY_DATA_DIR>/local-admin-key, trimmed, when GATEWAY_ADMIN_KEY is not set', async () => {
    writeFileSync(join(data.path, 'local-admin-key'), '  key-from-data-dir-file\n');
    const { code } = await cli(['keys', 'list'], { env: { GATEWAY_URL: server.url, GATEWAY_DATA_DIR: data.path } });
    expect(code).toBe(0);
    expect(server.last.headers.authorization).toBe('Bearer key-from-data-dir-file');
  });

  it('defaults the data dir to .gateway-data under the working directory', async () => {
    const cwd = join(data.path, 'project');
    mkdirSync(join(cwd, '.gateway-data'), { recursive: true });
    writeFileSync(join(cwd, '.gateway-data', 'local-admin-key'), 'key-from-default-dir\n');
    await cli(['keys', 'list'], { env: { GATEWAY_URL: server.url }, cwd });
    expect(server.last.headers.authorization).toBe('Bearer key-from-default-dir');
  });

  it('prefers GATEWAY_ADMIN_KEY to the file', async () => {
    writeFileSync(join(data.path, 'local-admin-key'), 'key-from-data-dir-file\n');
    await cli(['keys', 'list'], { env: env({ GATEWAY_DATA_DIR: data.path }) });
    expect(server.last.headers.authorization).toBe(`Bearer ${ADMIN_KEY}`);
  });

  it('without one, says to set GATEWAY_ADMIN_KEY or start the gateway, and sends nothing (exit 1)', async () => {
    const empty = tempDir('gw-cli-empty');
    try {
      const { code, stderr } = await cli(['keys', 'list'], {
        env: { GATEWAY_URL: server.url, GATEWAY_DATA_DIR: empty.path },
      });
      expect(code).toBe(1);
      expect(stderr).toMatch(/^error: .*GATEWAY_ADMIN_KEY.*npm start/);
      expect(server.requests).toHaveLength(0);
    } finally {
      empty.remove();
    }
  });
});

describe('keys list', () => {
  it('prints an aligned table', async () => {
    const { code, stdout } = await cli(['keys', 'list'], { env: env() });
    expect(code).toBe(0);
    expect([server.last.method, server.last.url]).toEqual(['GET', '/admin/keys']);
    const [header, ...rows] = stdout.trimEnd().split('\n');
    expect(header).toMatch(/^ID +TENANT +NAME +PLAN +STATUS +LAST4 +CREATED +LAST USED +EXPIRES$/);
    expect(rows).toHaveLength(2);
    const columns = ['TENANT', 'NAME', 'PLAN', 'STATUS', 'LAST4', 'CREATED', 'LAST USED', 'EXPIRES'];
    const starts = columns.map((title) => header?.indexOf(title));
    const second = [
      'globex-research',
      'batch jobs',
      'enterprise',
      'revoked',
      '9z9z',
      '2030-01-01T10:00:00Z',
      '2030-01-02T03:04:05Z',
      '2030-12-31T00:00:00Z',
    ];
    expect(second.map((cell) => rows[1]?.indexOf(cell))).toEqual(starts);
    expect(rows[0]).toMatch(
      /^key_0000000000000001 +acme +acme key +default +active +3c4d +2030-01-01T10:00:00Z +never +never$/,
    );
  });

  it('filters by tenant with ?tenant=', async () => {
    await cli(['keys', 'list', '--tenant', 'acme'], { env: env() });
    expect(server.last.url).toBe('/admin/keys?tenant=acme');
  });

  it('--json prints the list object', async () => {
    const { stdout } = await cli(['keys', 'list', '--json'], { env: env() });
    expect(keyListSchema.parse(bodyOf(stdout)).data).toHaveLength(2);
  });

  it('says so when there are no keys', async () => {
    server.responder = () => ({ status: 200, body: { object: 'list', data: [] } });
    const { code, stdout } = await cli(['keys', 'list', '--tenant', 'nobody'], { env: env() });
    expect(code).toBe(0);
    expect(stdout).toBe('No keys for tenant nobody.\n');
  });
});

describe('keys get, revoke, rotate', () => {
  it('get reads /admin/keys/{id}', async () => {
    const { code, stdout } = await cli(['keys', 'get', 'key_abc'], { env: env() });
    expect(code).toBe(0);
    expect([server.last.method, server.last.url]).toEqual(['GET', '/admin/keys/key_abc']);
    expect(stdout).toMatch(/^ {2}id +key_abc$/m);
    expect(stdout).toMatch(/^ {2}status +active$/m);
  });

  it('revoke posts to /admin/keys/{id}/revoke without a body', async () => {
    const { code, stdout } = await cli(['keys', 'revoke', 'key_abc'], { env: env() });
    expect(code).toBe(0);
    expect([server.last.method, server.last.url, server.last.body]).toEqual(['POST', '/admin/keys/key_abc/revoke', '']);
    expect(stdout).toMatch(/^Revoked key key_abc/);
    expect(stdout).toMatch(/^ {2}status +revoked$/m);
  });

  it('rotate posts {} as JSON when no grace is given, and prints the new key once', async () => {
    const { code, stdout } = await cli(['keys', 'rotate', 'key_abc'], { env: env() });
    expect(code).toBe(0);
    const { method, url, body, headers } = server.last;
    expect([method, url, body]).toEqual(['POST', '/admin/keys/key_abc/rotate', '{}']);
    expect(headers['content-type']).toBe('application/json');
    expect(occurrences(stdout, NEW_KEY)).toBe(1);
    expect(stdout).toMatch(/will not be shown again/);
    expect(stdout).toMatch(/key_abc/);
  });

  it('rotate --grace 1h sends graceSeconds 3600', async () => {
    await cli(['keys', 'rotate', 'key_abc', '--grace', '1h'], { env: env() });
    expect(bodyOf(server.last.body)).toEqual({ graceSeconds: 3600 });
  });

  it('rotate --json prints the new key in "key"', async () => {
    const { stdout } = await cli(['keys', 'rotate', 'key_abc', '--json'], { env: env() });
    expect(createdKeySchema.parse(bodyOf(stdout))).toMatchObject({ key: NEW_KEY, rotatedFrom: 'key_abc' });
  });

  it('encodes the key id in the path', async () => {
    await cli(['keys', 'get', 'a/b c'], { env: env() });
    expect(server.last.url).toBe('/admin/keys/a%2Fb%20c');
  });
});

describe('failures', () => {
  it('an API error prints "error: <message> (<code>)" and exits 1', async () => {
    const { code, stdout, stderr } = await cli(['keys', 'get', 'key_missing'], { env: env() });
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toBe('error: No key key_missing (key_not_found)\n');
  });

  it('never prints the admin key, even when the API echoes it', async () => {
    server.responder = () => ({
      status: 400,
      body: {
        error: { message: `Bad header Bearer ${ADMIN_KEY}`, type: 'invalid_request_error', param: null, code: 'bad' },
      },
    });
    const { code, stdout, stderr } = await cli(['keys', 'create', '--tenant', 'acme'], { env: env() });
    expect(code).toBe(1);
    expect(stderr).toMatch(/^error: Bad header Bearer \[redacted\] \(bad\)$/m);
    expect(stdout + stderr).not.toContain(ADMIN_KEY);
  });

  it('shows an API Gateway answer that is not the gateway error shape with its HTTP status', async () => {
    server.responder = () => ({ status: 403, body: { message: 'Missing Authentication Token' } });
    const { code, stderr } = await cli(['keys', 'list'], { env: env() });
    expect(code).toBe(1);
    expect(stderr).toBe('error: Missing Authentication Token (HTTP 403)\n');
  });

  it('rejects an answer that does not match the schema (exit 1)', async () => {
    server.responder = () => ({ status: 200, body: { object: 'list', data: [{ id: 'x' }] } });
    const { code, stderr } = await cli(['keys', 'list'], { env: env() });
    expect(code).toBe(1);
    expect(stderr).toMatch(/^error: unexpected answer to GET \/admin\/keys/);
  });

  it('an unreachable gateway: a message naming the URL and `npm start`, exit 1', async () => {
    const port = await closedPort();
    const url = `http://127.0.0.1:${port}`;
    const { code, stderr } = await cli(['keys', 'list', '--url', url], { env: env() });
    expect(code).toBe(1);
    expect(stderr).toContain(`the gateway at ${url} is not reachable`);
    expect(stderr).toContain('npm start');
    expect(stderr).not.toContain(ADMIN_KEY);
  });

  it.each([
    [['keys', 'create', '--tenant', 'acme', '--bogus']],
    [['keys', 'list', '--grace', '1h']],
    [['keys', 'create', '--tenant']],
    [['keys', 'rotate']],
    [['keys', 'get', 'a', 'b']],
    [['keys', 'delete', 'a']],
    [['tenants', 'list']],
    [['keys', 'create', '--tenant', 'acme', '--expires', 'soon']],
    [['keys', 'list', '--url', 'not a url']],
    [[]],
  ])('usage error %j: message on stderr, exit 2, nothing sent', async (argv) => {
    const { code, stdout, stderr } = await cli(argv, { env: env() });
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).not.toBe('');
    expect(server.requests).toHaveLength(0);
  });

  it('names the unknown flag', async () => {
    const { stderr } = await cli(['keys', 'list', '--bogus'], { env: env() });
    expect(stderr).toMatch(/^error: .*'--bogus'/);
    expect(stderr).toMatch(/llm-gateway --help/);
  });
});

describe('help', () => {
  it.each([[['--help']], [['-h']], [['help']], [['keys', 'create', '--help']]])(
    '%j prints usage, exit 0',
    async (argv) => {
      const { code, stdout } = await cli(argv, { env: env() });
      expect(code).toBe(0);
      expect(stdout).toMatch(/^Usage: llm-gateway keys/);
      expect(server.requests).toHaveLength(0);
    },
  );
});

/** A port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const address = probe.address();
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}
