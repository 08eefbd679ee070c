import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ENDPOINT_FILE as CLI_ENDPOINT_FILE } from '../../cli/local-discovery.js';
import { runCli } from '../../cli/run.js';
import { ENDPOINT_FILE } from '../../local/endpoint-file.js';
import { startLocalGateway, type LocalGateway } from '../../local/gateway.js';
import { writeKeyTestConfig } from '../helpers/key-config.js';
import { tempDir } from '../helpers/tmp.js';

// The CLI against the real local gateway, the admin key found the way a developer's shell finds it: in the data
// directory the gateway generated it into.
const dir = tempDir('gw-cli');
let gateway: LocalGateway;

beforeAll(async () => {
  gateway = await startLocalGateway({
    port: 0,
    host: '127.0.0.1',
    dataDir: dir.path,
    configFile: writeKeyTestConfig(dir.path, 0),
  });
});
afterAll(async () => {
  await gateway.stop();
  // Removed at exit: the CLI never finds a gateway that has stopped.
  expect(existsSync(join(dir.path, ENDPOINT_FILE))).toBe(false);
  dir.remove();
});

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli([...argv, '--url', gateway.url], {
    env: { GATEWAY_DATA_DIR: dir.path },
    stdout: { write: (text: string) => (out += text) },
    stderr: { write: (text: string) => (err += text) },
  });
  return { code, out, err };
}

it('create → the key works; list shows it; rotate → the new one works; revoke → 401', async () => {
  expect(gateway.adminKey.source).toBe('new');
  const created = await cli('keys', 'create', '--tenant', 'cli-co', '--models', 'demo', '--expires', '30d', '--json');
  expect(created).toMatchObject({ code: 0, err: '' });
  const { key, id, models, expiresAt } = JSON.parse(created.out) as {
    key: string;
    id: string;
    models: string[];
    expiresAt: string;
  };
  expect(models).toEqual(['demo']);
  expect(Date.parse(expiresAt) - Date.now()).toBeGreaterThan(29 * 86_400_000);
  const call = (k: string) => fetch(`${gateway.url}/v1/models`, { headers: { Authorization: `Bearer ${k}` } });
  expect((await call(key)).status).toBe(200);

  const listed = await cli('keys', 'list', '--tenant', 'cli-co');
  expect(listed.code).toBe(0);
  expect(listed.out).toContain(id);
  expect(listed.out).not.toContain(key);

  const rotated = await cli('keys', 'rotate', id, '--grace', '0s', '--json');
  expect(rotated.code).toBe(0);
  const next = JSON.parse(rotated.out) as { key: string; id: string };
  expect((await call(next.key)).status).toBe(200);
  expect((await call(key)).status).toBe(401);

  expect((await cli('keys', 'revoke', next.id)).code).toBe(0);
  expect((await call(next.key)).status).toBe(401);
  const missing = await cli('keys', 'get', 'key_0000000000000000');
  expect(missing.code).toBe(1);
  expect(missing.err).toContain('key_not_found');
});

it('finds the gateway on port 0 without --url: the port is in the data directory while it runs', async () => {
  let out = '';
  const code = await runCli(['keys', 'list', '--tenant', 'nobody'], {
    env: { GATEWAY_DATA_DIR: dir.path },
    stdout: { write: (text: string) => (out += text) },
    stderr: { write: () => true },
  });
  expect(code).toBe(0);
  expect(gateway.port).not.toBe(8001);
  expect(readFileSync(join(dir.path, ENDPOINT_FILE), 'utf8')).toContain(gateway.url);
  expect(out).toContain('nobody');
});

it('the CLI and the gateway agree on the file name', () => {
  expect(CLI_ENDPOINT_FILE).toBe(ENDPOINT_FILE);
});

it('labels: --label is repeatable, stored on the key, shown by get and kept by rotate; bad labels are refused', async () => {
  const created = await cli(
    'keys',
    'create',
    '--tenant',
    'label-co',
    '--label',
    'cost-centre=cc-42',
    '--label',
    'team=search',
    '--json',
  );
  expect(created.code).toBe(0);
  const { id, labels } = JSON.parse(created.out) as { id: string; labels: Record<string, string> };
  expect(labels).toEqual({ 'cost-centre': 'cc-42', team: 'search' });
  const shown = await cli('keys', 'get', id);
  expect(shown.out).toMatch(/labels +cost-centre=cc-42,team=search/);
  const rotated = await cli('keys', 'rotate', id, '--grace', '0s', '--json');
  expect((JSON.parse(rotated.out) as { labels: unknown }).labels).toEqual(labels);

  // The key's labels are columns of the usage CSV.
  const client = await fetch(`${gateway.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${JSON.parse(rotated.out).key as string}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ model: 'demo', messages: [{ role: 'user', content: 'hi' }] }),
  });
  expect(client.status).toBe(200);
  const csv = await cli('usage', '--tenant', 'label-co', '--format', 'csv');
  const [header, row] = csv.out.split('\r\n');
  expect(header).toMatch(/,cost_usd,label:cost-centre,label:team$/);
  expect(row).toMatch(/^label-co,key_\w+,demo,echo-1,\d{4}-\d{2}-\d{2},1,.*,cc-42,search$/);

  const badValue = await cli('keys', 'create', '--tenant', 'label-co', '--label', 'cost-centre=has space');
  expect(badValue.code).toBe(2);
  expect(badValue.err).toContain('--label: ');
  expect((await cli('keys', 'create', '--tenant', 'label-co', '--label', 'novalue')).err).toContain(
    '"novalue" is not name=value',
  );
  const eleven = Array.from({ length: 11 }, (_, i) => ['--label', `l${i}=v`]).flat();
  expect((await cli('keys', 'create', '--tenant', 'label-co', ...eleven)).err).toContain('at most 10 labels');
  const res = await fetch(`${gateway.url}/admin/keys`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${gateway.adminKey.key}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ tenant: 'label-co', labels: { 'Cost Centre': 'x' } }),
  });
  expect(res.status).toBe(400);
});
