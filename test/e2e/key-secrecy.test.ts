import { hashKey } from '../../lambdas/keys/key-format.js';
import { startGatewayProcess, type GatewayProcess } from '../helpers/gateway-process.js';
import { writeKeyTestConfig } from '../helpers/key-config.js';
import { tempDir } from '../helpers/tmp.js';

// A whole run of `npm start`, everything it prints captured: a key is used well and badly, revoked, used again.
// Neither the key nor its hash may appear in any log line, response header or error body.
const ADMIN_KEY = 'secrecy-admin-key-9f8e7d6c5b4a';
const data = tempDir('gw-secrecy');
let gateway: GatewayProcess;

beforeAll(async () => {
  gateway = await startGatewayProcess({
    GATEWAY_DATA_DIR: data.path,
    GATEWAY_CONFIG: writeKeyTestConfig(data.path, 0),
    GATEWAY_ADMIN_KEY: ADMIN_KEY,
    POWERTOOLS_LOG_LEVEL: 'DEBUG',
  });
});
afterAll(async () => {
  gateway.child.kill('SIGKILL');
  await gateway.exited;
  data.remove();
});

it('no key and no key hash in logs, headers or error bodies', async () => {
  const seen: string[] = [];
  const call = async (path: string, init: RequestInit = {}, record = true) => {
    const res = await fetch(`${gateway.url}${path}`, init);
    const text = await res.text();
    if (record) seen.push(JSON.stringify([...res.headers.entries()]), text);
    return { status: res.status, text };
  };
  const adminHeaders = { Authorization: `Bearer ${ADMIN_KEY}`, 'Content-Type': 'application/json' };
  const created = await call(
    '/admin/keys',
    { method: 'POST', headers: adminHeaders, body: '{"tenant":"secret-co"}' },
    false,
  );
  const { key, id } = JSON.parse(created.text) as { key: string; id: string };
  const typo = `${key.slice(0, 30)}${key[30] === 'Z' ? 'Y' : 'Z'}${key.slice(31)}`;

  const statuses = [
    (await call('/v1/models', { headers: { Authorization: `Bearer ${key}` } })).status,
    (await call('/v1/models', { headers: { Authorization: `Bearer ${typo}` } })).status,
    (await call('/admin/keys', { headers: { Authorization: `Bearer ${key}` } })).status,
    (await call(`/admin/keys/${id}`, { headers: adminHeaders })).status,
    (await call('/admin/keys', { headers: adminHeaders })).status,
    (await call(`/admin/keys/${id}/revoke`, { method: 'POST', headers: adminHeaders })).status,
    (await call('/v1/models', { headers: { Authorization: `Bearer ${key}` } })).status,
    (await call('/no/such/route', { headers: { Authorization: `Bearer ${key}` } })).status,
  ];
  expect(statuses).toEqual([200, 401, 403, 200, 200, 200, 401, 404]);

  await gateway.waitForOutput((text) => text.includes('"path":"/no/such/route"'));
  const everything = [...seen, gateway.output(), gateway.errors()].join('\n');
  expect(gateway.output()).toContain('authorizer allowed');
  expect(gateway.output()).toContain('authorizer denied');
  for (const secret of [key, hashKey(key), typo, hashKey(typo), ADMIN_KEY]) {
    expect(everything.includes(secret)).toBe(false);
  }
});
