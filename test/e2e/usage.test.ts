import { DynamoDBClient } from '../../lambdas/aws-http/dynamodb.js';
import type { LedgerEntry } from '../../lambdas/ledger/ledger-entry.js';
import { LedgerStore } from '../../lambdas/ledger/ledger-store.js';
import { runCli } from '../../cli/run.js';
import type { LocalGateway } from '../../local/gateway.js';
import { gatewayTable } from '../../lambdas/store/tables.js';
import { expectOpenAIError } from '../helpers/error-shape.js';
import { startKeyTestGateway } from '../helpers/key-config.js';
import { tempDir } from '../helpers/tmp.js';

// The usage API end to end on the local gateway: ledger entries written straight into its store (the chat path does
// not write the ledger yet), read back through /v1/usage with tenant keys and /admin/usage with the admin key, and
// through the CLI.
const ADMIN_KEY = 'test-admin-key-usage-0123456789';
const dir = tempDir('gw-usage');
let gateway: LocalGateway;
let store: DynamoDBClient;

interface Key {
  key: string;
  id: string;
}
let keys: Record<'acmeReader' | 'acmeChat' | 'globexReader' | 'todayReader', Key>;

const call = async (path: string, auth: string) => {
  const res = await fetch(`${gateway.url}${path}`, { headers: auth === '' ? {} : { Authorization: `Bearer ${auth}` } });
  return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, unknown> };
};

const createKey = async (tenant: string, scopes: string[]): Promise<Key> => {
  const res = await fetch(`${gateway.url}/admin/keys`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${ADMIN_KEY}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ tenant, scopes }),
  });
  expect(res.status).toBe(201);
  return (await res.json()) as Key;
};

let ids = 0;
const entry = (
  over: Partial<LedgerEntry> & Pick<LedgerEntry, 'tenant' | 'keyId' | 'alias' | 'createdAt'>,
): LedgerEntry => ({
  id: `req_usage${String((ids += 1)).padStart(18, '0')}`,
  requestId: 'client-request-id',
  plan: 'default',
  provider: 'echo',
  model: 'echo-1',
  status: 200,
  stream: false,
  usage: { inputTokens: 1_000, outputTokens: 100, cachedInputTokens: 200, cacheWriteTokens: 50 },
  estimated: false,
  costMicros: 1_500,
  attempts: 1,
  ...over,
});

const isoDay = (date: Date): string => date.toISOString().slice(0, 10);

beforeAll(async () => {
  gateway = await startKeyTestGateway(dir.path, ADMIN_KEY);
  keys = {
    acmeReader: await createKey('acme', ['usage:read']),
    acmeChat: await createKey('acme', ['chat']),
    globexReader: await createKey('globex', ['chat', 'usage:read']),
    todayReader: await createKey('today-co', ['usage:read']),
  };

  store = new DynamoDBClient({
    endpoint: gateway.store.endpoint,
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  const ledger = new LedgerStore(store, gatewayTable.id);
  const { acmeChat, acmeReader, globexReader, todayReader } = keys;
  const now = new Date();
  const lastMonth = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 15, 12));
  for (const recorded of [
    entry({ tenant: 'acme', keyId: acmeChat.id, alias: 'demo', createdAt: '2025-03-01T00:00:00.000Z' }),
    entry({
      tenant: 'acme',
      keyId: acmeChat.id,
      alias: 'other',
      createdAt: '2025-03-01T23:59:59.999Z',
      costMicros: 2_500,
    }),
    entry({
      tenant: 'acme',
      keyId: acmeChat.id,
      alias: 'demo',
      createdAt: '2025-03-02T08:00:00.000Z',
      estimated: true,
    }),
    entry({
      tenant: 'acme',
      keyId: acmeReader.id,
      alias: 'demo',
      createdAt: '2025-03-02T09:00:00.000Z',
      status: 502,
      usage: undefined,
      costMicros: undefined,
    }),
    entry({
      tenant: 'acme',
      keyId: acmeChat.id,
      alias: 'demo',
      createdAt: '2025-02-28T23:59:59.999Z',
      costMicros: 1_000_000,
    }),
    entry({
      tenant: 'globex',
      keyId: globexReader.id,
      alias: 'demo',
      createdAt: '2025-03-01T12:00:00.000Z',
      costMicros: 12_345_678,
    }),
    entry({ tenant: 'today-co', keyId: todayReader.id, alias: 'demo', createdAt: now.toISOString() }),
    entry({ tenant: 'today-co', keyId: todayReader.id, alias: 'demo', createdAt: lastMonth.toISOString() }),
  ]) {
    await ledger.record(recorded);
  }
});
afterAll(async () => {
  store.destroy();
  await gateway.stop();
  dir.remove();
});

const MARCH = 'from=2025-03-01&to=2025-03-31';

describe('GET /v1/usage', () => {
  it("the key's tenant: totals, by day, by model and by key, in the API's shape", async () => {
    const res = await call(`/v1/usage?${MARCH}`, keys.acmeReader.key);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.body).toMatchObject({ object: 'usage', tenant: 'acme', from: '2025-03-01', to: '2025-03-31' });
    expect(res.body.totals).toEqual({
      requests: 4,
      input_tokens: 3_000,
      output_tokens: 300,
      cached_tokens: 600,
      cache_write_tokens: 150,
      cost_usd: 0.0055,
      cost_micros: 5_500,
      estimated_requests: 1,
      unpriced_requests: 0,
      errors: 1,
      cache_hits: 0,
      cache_misses: 0,
      cache_hit_rate: 0,
      saved_usd: 0,
      saved_micros: 0,
      stored_responses: 0,
      stored_bytes: 0,
      stored_write_units: 0,
      stored_write_usd_estimate: 0,
    });
    const pick = (rows: unknown, label: string) =>
      (rows as Record<string, number | string>[]).map((r) => [r[label], r.requests, r.cost_micros]);
    expect(pick(res.body.by_day, 'day')).toEqual([
      ['2025-03-01', 2, 4_000],
      ['2025-03-02', 2, 1_500],
    ]);
    expect(pick(res.body.by_model, 'model')).toEqual([
      ['demo', 3, 3_000],
      ['other', 1, 2_500],
    ]);
    expect(pick(res.body.by_key, 'key_id')).toEqual(
      [
        [keys.acmeChat.id, 3, 5_500],
        [keys.acmeReader.id, 1, 0],
      ].sort(),
    );
  });

  it('the date range is inclusive at both ends, in UTC days', async () => {
    const day = async (query: string) =>
      ((await call(`/v1/usage?${query}`, keys.acmeReader.key)).body.totals as { requests: number }).requests;
    expect(await day('from=2025-03-02&to=2025-03-02')).toBe(2);
    expect(await day('from=2025-03-01&to=2025-03-01')).toBe(2);
    expect(await day('from=2025-02-28&to=2025-02-28')).toBe(1);
    expect(await day('from=2025-02-01&to=2025-03-31')).toBe(5);
    expect(await day('from=2025-04-01&to=2025-04-30')).toBe(0);
  });

  it('filters by model and by key', async () => {
    const totals = async (query: string) =>
      (await call(`/v1/usage?${MARCH}&${query}`, keys.acmeReader.key)).body.totals as {
        requests: number;
        cost_micros: number;
      };
    expect(await totals('model=other')).toMatchObject({ requests: 1, cost_micros: 2_500 });
    expect(await totals(`key_id=${keys.acmeReader.id}`)).toMatchObject({ requests: 1, cost_micros: 0 });
    expect(await totals(`model=demo&key_id=${keys.acmeChat.id}`)).toMatchObject({ requests: 2, cost_micros: 3_000 });
    expect(await totals('model=nothing')).toMatchObject({ requests: 0 });
  });

  it('defaults to this month so far', async () => {
    const res = await call('/v1/usage', keys.todayReader.key);
    expect(res.status).toBe(200);
    const today = isoDay(new Date());
    expect(res.body).toMatchObject({
      tenant: 'today-co',
      from: `${today.slice(0, 7)}-01`,
      to: today,
      totals: { requests: 1 },
    });
  });

  it('a tenant sees only its own usage, whatever it asks for', async () => {
    const own = await call(`/v1/usage?${MARCH}`, keys.globexReader.key);
    expect(own.body).toMatchObject({
      tenant: 'globex',
      totals: { requests: 1, cost_micros: 12_345_678, cost_usd: 12.345678 },
    });
    expect(JSON.stringify(own.body)).not.toContain(keys.acmeChat.id);
    const othersKey = await call(`/v1/usage?${MARCH}&key_id=${keys.acmeChat.id}`, keys.globexReader.key);
    expect(othersKey.body).toMatchObject({ tenant: 'globex', totals: { requests: 0 }, by_key: [] });
    const tenantParam = await call(`/v1/usage?${MARCH}&tenant=acme`, keys.globexReader.key);
    expect(tenantParam.status).toBe(400);
    expect(expectOpenAIError(tenantParam.body, 'invalid_query').param).toBe('tenant');
  });

  it('a key without usage:read gets 403, no key 401', async () => {
    const res = await call(`/v1/usage?${MARCH}`, keys.acmeChat.key);
    expect(res.status).toBe(403);
    expectOpenAIError(res.body, 'missing_scope');
    const none = await call(`/v1/usage?${MARCH}`, '');
    expect(none.status).toBe(401);
    expectOpenAIError(none.body, 'invalid_api_key');
  });

  it.each([
    ['from=2026-02-30', 'invalid_query', 'from'],
    ['from=2025-03-01&to=03/31/2025', 'invalid_query', 'to'],
    ['from=2025-03-02&to=2025-03-01', 'invalid_date_range', 'from'],
    ['from=2025-01-01&to=2026-01-02', 'invalid_date_range', 'from'],
    ['from=2025-03-01&from=2025-03-02', 'invalid_query', 'from'],
    ['key_id=key_short', 'invalid_query', 'key_id'],
    ['model=', 'invalid_query', 'model'],
    ['limit=10', 'invalid_query', 'limit'],
  ])('?%s → 400 %s naming %s', async (query, code, param) => {
    const res = await call(`/v1/usage?${query}`, keys.acmeReader.key);
    expect(res.status).toBe(400);
    expect(expectOpenAIError(res.body, code).param).toBe(param);
  });
});

describe('GET /admin/usage', () => {
  it('every tenant with usage: combined totals, then each tenant', async () => {
    const res = await call(`/admin/usage?${MARCH}`, ADMIN_KEY);
    expect(res.status).toBe(200);
    const body = res.body as {
      totals: { requests: number; cost_micros: number };
      tenants: { tenant: string; totals: { requests: number } }[];
    };
    expect(body).toMatchObject({ object: 'usage', from: '2025-03-01', to: '2025-03-31' });
    expect(body.tenants.map((t) => [t.tenant, t.totals.requests])).toEqual([
      ['acme', 4],
      ['globex', 1],
    ]);
    expect(body.totals).toMatchObject({ requests: 5, cost_micros: 5_500 + 12_345_678 });
    expect((res.body.by_model as { model: string; requests: number }[]).map((m) => [m.model, m.requests])).toEqual([
      ['demo', 4],
      ['other', 1],
    ]);
  });

  it('one tenant with ?tenant=, listed even without usage', async () => {
    const one = await call(`/admin/usage?${MARCH}&tenant=globex`, ADMIN_KEY);
    expect((one.body.tenants as { tenant: string }[]).map((t) => t.tenant)).toEqual(['globex']);
    expect(one.body.totals).toMatchObject({ requests: 1 });
    const idle = await call(`/admin/usage?${MARCH}&tenant=dev`, ADMIN_KEY);
    expect(idle.body).toMatchObject({ totals: { requests: 0 }, tenants: [{ tenant: 'dev', by_day: [] }] });
  });

  it('a tenant key is refused (403), a malformed tenant or date is a 400', async () => {
    const tenantKey = await call(`/admin/usage?${MARCH}`, keys.acmeReader.key);
    expect(tenantKey.status).toBe(403);
    expectOpenAIError(tenantKey.body, 'admin_required');
    const badTenant = await call('/admin/usage?tenant=Acme%20Corp', ADMIN_KEY);
    expect(badTenant.status).toBe(400);
    expect(expectOpenAIError(badTenant.body, 'invalid_query').param).toBe('tenant');
    const badDate = await call('/admin/usage?to=2026-02-29', ADMIN_KEY);
    expect(expectOpenAIError(badDate.body, 'invalid_query').param).toBe('to');
  });
});

describe('llm-gateway usage', () => {
  async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
    let out = '';
    let err = '';
    const code = await runCli([...argv, '--url', gateway.url], {
      env: { GATEWAY_ADMIN_KEY: ADMIN_KEY },
      stdout: { write: (text: string) => (out += text) },
      stderr: { write: (text: string) => (err += text) },
    });
    return { code, out, err };
  }

  it('a table by tenant with a TOTAL line, costs in USD', async () => {
    const { code, out, err } = await cli('usage', '--from', '2025-03-01', '--to', '2025-03-31');
    expect([code, err]).toEqual([0, '']);
    const lines = out.trimEnd().split('\n');
    expect(lines[0]).toBe('Usage of all tenants, 2025-03-01 to 2025-03-31 (UTC), by tenant:');
    expect(lines[2]).toMatch(/^TENANT +REQUESTS +INPUT +OUTPUT +CACHED +CACHE WRITE +ERRORS +COST \(USD\)$/);
    expect(lines[3]).toMatch(/^acme +4 +3,000 +300 +600 +150 +1 +0\.0055$/);
    expect(lines[4]).toMatch(/^globex +1 +1,000 +100 +200 +50 +0 +12\.345678$/);
    expect(lines[5]).toMatch(/^TOTAL +5 +4,000 +400 +800 +200 +1 +12\.351178$/);
    expect(out).toContain('1 request(s) had no usage from the provider');
  });

  it('--by key names each key with its tenant; --tenant narrows to one', async () => {
    const byKey = await cli('usage', '--from', '2025-03-01', '--to', '2025-03-31', '--by', 'key');
    expect(byKey.out).toMatch(new RegExp(`^${keys.globexReader.id} +globex +1 `, 'm'));
    expect(byKey.out).toMatch(new RegExp(`^${keys.acmeChat.id} +acme +3 `, 'm'));
    const oneTenant = await cli('usage', '--tenant', 'acme', '--from', '2025-03-01', '--to', '2025-03-31');
    expect(oneTenant.out).toMatch(/^Usage of tenant acme, 2025-03-01 to 2025-03-31 \(UTC\), by day:$/m);
    expect(oneTenant.out).toMatch(/^2025-03-01 +2 +2,000 /m);
    expect(oneTenant.out).not.toContain('globex');
  });

  it('--format csv: one row per tenant, key, alias, upstream model and day, the cost exact', async () => {
    const { code, out } = await cli('usage', '--from', '2025-03-01', '--to', '2025-03-31', '--format', 'csv');
    expect(code).toBe(0);
    const lines = out.split('\r\n');
    expect(lines[0]).toBe('tenant,key_id,alias,model,day,requests,input_tokens,output_tokens,cached_tokens,cost_usd');
    expect(lines.at(-1)).toBe('');
    expect(lines).toContain(`globex,${keys.globexReader.id},demo,echo-1,2025-03-01,1,1000,100,200,12.345678`);
    const acme = lines.filter((line) => line.startsWith('acme,'));
    expect(acme.reduce((sum, line) => sum + Number(line.split(',')[5]), 0)).toBe(4);
  });

  it('--json prints the API JSON as is', async () => {
    const { code, out } = await cli('usage', '--from', '2025-03-01', '--to', '2025-03-31', '--json');
    expect(code).toBe(0);
    const api = await call(`/admin/usage?${MARCH}`, ADMIN_KEY);
    expect(JSON.parse(out)).toEqual(api.body);
  });

  it("the gateway's 400 is the CLI's error (exit 1)", async () => {
    const { code, err } = await cli('usage', '--from', '2025-01-01', '--to', '2026-12-31');
    expect(code).toBe(1);
    expect(err).toMatch(/^error: .*at most 366.*\(invalid_date_range\)/);
  });
});
