import type { LocalGateway } from '../../lib/local/gateway.js';
import { startKeyTestGateway } from '../helpers/key-config.js';
import { tempDir } from '../helpers/tmp.js';

// With an authorizer cache (TTL > 0) the local edge behaves as API Gateway: Authorization is the identity source
// and the cache key; decisions are reused until the TTL passes; a key only in x-api-key never reaches the authorizer.
const ADMIN_KEY = 'test-admin-key-cache';
const dir = tempDir('gw-authz-cache');
let gateway: LocalGateway;
let clock = Date.UTC(2026, 10, 26, 12);

beforeAll(async () => {
  gateway = await startKeyTestGateway(dir.path, ADMIN_KEY, { cacheTtlSeconds: 60, now: () => clock });
});
afterAll(async () => {
  await gateway.stop();
  dir.remove();
});

const call = (path: string, init: RequestInit = {}) => fetch(`${gateway.url}${path}`, init);

it('a revoked key keeps its cached allow until the TTL passes, then gets 401', async () => {
  const created = (await (
    await call('/admin/keys', {
      method: 'POST',
      headers: { Authorization: `Bearer ${ADMIN_KEY}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ tenant: 'cached' }),
    })
  ).json()) as { key: string; id: string };
  const auth = { Authorization: `Bearer ${created.key}` };
  expect((await call('/v1/models', { headers: auth })).status).toBe(200);
  await call(`/admin/keys/${created.id}/revoke`, { method: 'POST', headers: { Authorization: `Bearer ${ADMIN_KEY}` } });
  clock += 59_000;
  expect((await call('/v1/models', { headers: auth })).status).toBe(200);
  clock += 2_000;
  expect((await call('/v1/models', { headers: auth })).status).toBe(401);
});

it('x-api-key alone is refused at the edge when the cache is on', async () => {
  const { key } = gateway.devKey;
  expect((await call('/v1/models', { headers: { 'x-api-key': key } })).status).toBe(401);
  expect((await call('/v1/models', { headers: { Authorization: `Bearer ${key}` } })).status).toBe(200);
});
