import { generateKey } from '../../lambdas/keys/key-format.js';
import type { LocalGateway } from '../../local/gateway.js';
import { expectOpenAIError } from '../helpers/error-shape.js';
import { startKeyTestGateway } from '../helpers/key-config.js';
import { tempDir } from '../helpers/tmp.js';

// Keys end to end on the local gateway: admin API, the authorizer at the edge, scopes, plans. Authorizer cache off
// here (TTL 0), so revocations count at once and x-api-key is accepted; the cached case has its own file.
const ADMIN_KEY = 'test-admin-key-0123456789';
const dir = tempDir('gw-keys');
let gateway: LocalGateway;

beforeAll(async () => {
  gateway = await startKeyTestGateway(dir.path, ADMIN_KEY);
});
afterAll(async () => {
  await gateway.stop();
  dir.remove();
});

interface Created {
  key: string;
  id: string;
  models: string[] | null;
  scopes: string[];
  plan: string;
  lastUsedAt: string | null;
  status: string;
}

const admin = async (method: string, path: string, body?: unknown, auth = `Bearer ${ADMIN_KEY}`) => {
  const res = await fetch(`${gateway.url}${path}`, {
    method,
    headers: { Authorization: auth, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};

const createKey = async (body: Record<string, unknown>): Promise<Created> => {
  const res = await admin('POST', '/admin/keys', body);
  expect(res.status).toBe(201);
  return res.body as unknown as Created;
};

const models = (headers: Record<string, string>) => fetch(`${gateway.url}/v1/models`, { headers });
const bearer = (key: string) => ({ Authorization: `Bearer ${key}` });

describe('admin API', () => {
  it('creates a key shown once, stored as a hash: get/list never return it', async () => {
    const created = await createKey({ tenant: 'acme', name: 'ci', models: ['demo'], scopes: ['chat'] });
    expect(created.key).toMatch(/^lgw_[0-9A-Za-z]{49}$/);
    expect(created).toMatchObject({
      tenant: 'acme',
      name: 'ci',
      plan: 'default',
      models: ['demo'],
      status: 'active',
      last4: created.key.slice(-4),
    });
    const got = await admin('GET', `/admin/keys/${created.id}`);
    expect(got.status).toBe(200);
    expect(got.body.key).toBeUndefined();
    expect(JSON.stringify(got.body)).not.toContain(created.key);
    const listed = await admin('GET', '/admin/keys?tenant=acme');
    expect((listed.body.data as Created[]).map((k) => k.id)).toContain(created.id);
    const others = await admin('GET', '/admin/keys?tenant=acm');
    expect((others.body.data as Created[]).map((k) => k.id)).not.toContain(created.id);
  });

  it.each([
    [{ tenant: 'acme', plan: 'gold' }, 'unknown_plan', 'plan'],
    [{ tenant: 'acme', models: ['demo', 'nope'] }, 'unknown_model', 'models'],
    [{ tenant: 'Acme Corp' }, 'invalid_request_body', 'tenant'],
    [{ tenant: 'acme', scopes: ['admin'] }, 'invalid_request_body', 'scopes[0]'],
    [{ tenant: 'acme', expiresAt: '2001-01-01T00:00:00Z' }, 'invalid_expiry', 'expiresAt'],
  ])('rejects %j with 400 %s', async (body, code, param) => {
    const res = await admin('POST', '/admin/keys', body);
    expect(res.status).toBe(400);
    expect(expectOpenAIError(res.body, code).param).toBe(param);
  });

  it('unknown and malformed ids', async () => {
    expect((await admin('GET', '/admin/keys/key_0000000000000000')).status).toBe(404);
    expect((await admin('POST', '/admin/keys/key_0000000000000000/revoke')).status).toBe(404);
    expect((await admin('GET', '/admin/keys/nope')).status).toBe(400);
  });

  it('a tenant key, a wrong admin key or none on admin routes → 403', async () => {
    const { key } = await createKey({ tenant: 'acme' });
    for (const auth of [`Bearer ${key}`, 'Bearer wrong-admin-key', '']) {
      const res = await admin('GET', '/admin/keys', undefined, auth);
      expect(res.status).toBe(403);
      expectOpenAIError(res.body, 'admin_required');
    }
  });
});

describe('authorization at the edge', () => {
  it('a valid key passes in Authorization: Bearer and in x-api-key; lastUsedAt is stamped', async () => {
    const created = await createKey({ tenant: 'acme' });
    expect((await models(bearer(created.key))).status).toBe(200);
    expect((await models({ 'x-api-key': created.key })).status).toBe(200);
    const after = await admin('GET', `/admin/keys/${created.id}`);
    expect(after.body.lastUsedAt).toEqual(expect.any(String));
  });

  it('unknown, revoked, expired, malformed, checksum-failing or missing keys → the same 401', async () => {
    const revoked = await createKey({ tenant: 'acme' });
    expect((await admin('POST', `/admin/keys/${revoked.id}/revoke`)).body.status).toBe('revoked');
    const expiring = await createKey({ tenant: 'acme', expiresAt: new Date(Date.now() + 1000).toISOString() });
    expect((await models(bearer(expiring.key))).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const good = generateKey();
    const typo = `${good.slice(0, 20)}${good[20] === 'a' ? 'b' : 'a'}${good.slice(21)}`;
    const cases: Record<string, Record<string, string>> = {
      unknown: bearer(generateKey()),
      revoked: bearer(revoked.key),
      expired: bearer(expiring.key),
      malformed: bearer('lgw_short'),
      checksum: bearer(typo),
      missing: {},
      'not bearer': { Authorization: `Basic ${good}` },
    };
    const bodies = new Set<string>();
    for (const [label, headers] of Object.entries(cases)) {
      const res = await models(headers);
      expect([label, res.status]).toEqual([label, 401]);
      const text = await res.text();
      expectOpenAIError(JSON.parse(text), 'invalid_api_key');
      bodies.add(text);
    }
    expect(bodies.size).toBe(1);
  });

  it('without the scope → 403; /v1/models lists only the aliases the key may use', async () => {
    const usageOnly = await createKey({ tenant: 'acme', scopes: ['usage:read'] });
    const res = await models(bearer(usageOnly.key));
    expect(res.status).toBe(403);
    expectOpenAIError(await res.json(), 'missing_scope');

    const demoOnly = await createKey({ tenant: 'acme', models: ['demo'] });
    const listed = (await (await models(bearer(demoOnly.key))).json()) as { data: { id: string }[] };
    expect(listed.data.map((m) => m.id)).toEqual(['demo']);
    const all = await createKey({ tenant: 'acme' });
    const everything = (await (await models(bearer(all.key))).json()) as { data: { id: string }[] };
    expect(everything.data.map((m) => m.id)).toEqual(['demo', 'other']);
  });

  it('rotation: the new key works, the old one until its grace ends (0 s: at once)', async () => {
    const old = await createKey({ tenant: 'acme' });
    const rotated = await admin('POST', `/admin/keys/${old.id}/rotate`, {});
    expect(rotated.status).toBe(201);
    const replacement = rotated.body as unknown as Created & { rotatedFrom: string };
    expect(replacement.rotatedFrom).toBe(old.id);
    expect(replacement.key).not.toBe(old.key);
    expect((await models(bearer(replacement.key))).status).toBe(200);
    expect((await models(bearer(old.key))).status).toBe(200);
    const oldView = await admin('GET', `/admin/keys/${old.id}`);
    expect(oldView.body).toMatchObject({
      status: 'rotated',
      rotatedTo: replacement.id,
      graceUntil: expect.any(String),
    });
    expect((await admin('POST', `/admin/keys/${old.id}/rotate`, {})).status).toBe(409);

    const next = await admin('POST', `/admin/keys/${replacement.id}/rotate`, { graceSeconds: 0 });
    expect((await models(bearer(replacement.key))).status).toBe(401);
    expect((await models(bearer((next.body as unknown as Created).key))).status).toBe(200);
  });
});

describe('plans (usage plan emulation)', () => {
  it('rate and burst: 3 at once pass, the 4th is throttled with 429', async () => {
    const { key } = await createKey({ tenant: 'burst-tenant', plan: 'tight' });
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await models(bearer(key))).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    const res = await models(bearer(key));
    expectOpenAIError(await res.json(), 'rate_limit_exceeded');
  });

  it('quota: 5 a day pass, the 6th is 429 — shared by all keys of the tenant on the plan', async () => {
    const first = await createKey({ tenant: 'metered-tenant', plan: 'metered' });
    const second = await createKey({ tenant: 'metered-tenant', plan: 'metered' });
    const statuses = [];
    for (let i = 0; i < 6; i++) statuses.push((await models(bearer(i % 2 === 0 ? first.key : second.key))).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    const res = await models(bearer(first.key));
    expectOpenAIError(await res.json(), 'request_quota_exceeded');
    const otherTenant = await createKey({ tenant: 'someone-else', plan: 'metered' });
    expect((await models(bearer(otherTenant.key))).status).toBe(200);
  });
});
