import { runCli } from '../../cli/run.js';
import { setCacheClock } from '../../lambdas/cache/cache-clock.js';
import { reply, usage } from '../fakes/fake-openai.js';
import { CACHE_ADMIN_KEY, startCacheGateway, type CacheGateway } from '../helpers/cache-gateway.js';
import { captureEmf } from '../observability/emf-capture.js';
import { ledgerOf } from '../helpers/ledger.js';

// The response cache's rules, end to end with the openai SDK: tenants never share an entry unless the configuration
// names a shared namespace; Cache-Control no-cache (bypass, refresh) and no-store; a cut stream is not stored; sampled
// requests only where configured; a plan's cache and an alias opting out; expiry by TTL (the cache's clock moved, no
// sleeping); the books: a hit at no cost with its tokens and what it saved, in the ledger and /v1/usage.
let gw: CacheGateway;
beforeAll(async () => {
  gw = await startCacheGateway('cache-rules');
});
afterAll(() => gw.stop());
beforeEach(() => {
  gw.up.requests.length = 0;
});
afterEach(() => setCacheClock());

const chat = async (
  key: string,
  model: string,
  content: string,
  options: { headers?: Record<string, string>; temperature?: number | null } = {},
) => {
  const { temperature = 0, headers } = options;
  const body = {
    model,
    messages: [{ role: 'user' as const, content }],
    ...(temperature === null ? {} : { temperature }),
  };
  const { data, response } = await gw.openai(key).chat.completions.create(body, { headers }).withResponse();
  return { text: data.choices[0]?.message.content, cache: response.headers.get('x-gateway-cache'), response };
};

it('two tenants with identical requests never share an entry; a shared namespace is shared explicitly', async () => {
  const [a, b] = await Promise.all([gw.keyFor('tenant-a'), gw.keyFor('tenant-b')]);
  expect((await chat(a, 'cached', 'same question')).cache).toBe('miss');
  expect((await chat(b, 'cached', 'same question')).cache).toBe('miss');
  expect((await chat(a, 'cached', 'same question')).cache).toMatch(/^hit/);
  expect(gw.up.requests).toHaveLength(2);

  expect((await chat(a, 'shared', 'faq question')).cache).toBe('miss');
  expect((await chat(b, 'shared', 'faq question')).cache).toMatch(/^hit/);
  expect(gw.up.requests).toHaveLength(3);
});

it('the gates run before the lookup: a key not allowed the alias is refused though an entry is there', async () => {
  const [open, narrow] = await Promise.all([gw.keyFor('gates'), gw.keyFor('gates', 'default', ['cached'])]);
  await chat(open, 'shared', 'gated question');
  await expect(chat(narrow, 'shared', 'gated question')).rejects.toMatchObject({ status: 403 });
  expect(gw.up.requests).toHaveLength(1);
});

it('no-cache bypasses the read and refreshes the entry; no-store answers without storing', async () => {
  const key = await gw.keyFor('control');
  gw.up.enqueue(reply.text('first answer'), reply.text('second answer'), reply.text('third answer'));
  expect((await chat(key, 'cached', 'control')).text).toBe('first answer');
  const fresh = await chat(key, 'cached', 'control', { headers: { 'Cache-Control': 'no-cache' } });
  expect([fresh.text, fresh.cache]).toEqual(['second answer', 'bypass']);
  const hit = await chat(key, 'cached', 'control');
  expect([hit.text, hit.cache?.startsWith('hit')]).toEqual(['second answer', true]);

  const unstored = await chat(key, 'cached', 'never kept', { headers: { 'Cache-Control': 'no-store' } });
  expect([unstored.text, unstored.cache]).toEqual(['third answer', 'miss; not-stored=no-store']);
  expect((await chat(key, 'cached', 'never kept')).cache).toBe('miss');
  expect(gw.up.requests).toHaveLength(4);
});

it('a cut upstream stream is not stored: the next request goes upstream again', async () => {
  const key = await gw.keyFor('cut');
  const body = {
    model: 'cut',
    temperature: 0,
    stream: true as const,
    messages: [{ role: 'user' as const, content: 'cut' }],
  };
  for (let i = 0; i < 2; i++) {
    const stream = await gw.openai(key).chat.completions.create(body);
    await expect(
      (async () => {
        for await (const chunk of stream) void chunk;
      })(),
    ).rejects.toThrow();
  }
  expect(gw.faults.requests.filter((r) => r.fault === 'truncated')).toHaveLength(2);
});

it('sampled requests (temperature > 0 or absent) are cached only where the alias says cacheSampled', async () => {
  const key = await gw.keyFor('sampled');
  expect((await chat(key, 'cached', 'warm', { temperature: 0.7 })).cache).toBe('bypass; reason=sampled');
  expect((await chat(key, 'cached', 'warm', { temperature: null })).cache).toBe('bypass; reason=sampled');
  expect((await chat(key, 'cached', 'warm', { temperature: 0.7 })).cache).toBe('bypass; reason=sampled');
  expect((await chat(key, 'sampled', 'warm', { temperature: 0.7 })).cache).toBe('miss');
  expect((await chat(key, 'sampled', 'warm', { temperature: 0.7 })).cache).toMatch(/^hit/);
  expect(gw.up.requests).toHaveLength(4);
});

it("a plan's cache covers its aliases; an alias with ttlSeconds 0 opts out; no configuration, no header", async () => {
  const planned = await gw.keyFor('planned', 'cachedPlan');
  await chat(planned, 'open', 'plan cache');
  expect((await chat(planned, 'open', 'plan cache')).cache).toMatch(/^hit/);
  expect((await chat(planned, 'plain', 'opted out')).cache).toBeNull();
  const other = await gw.keyFor('unplanned');
  expect((await chat(other, 'open', 'plan cache')).cache).toBeNull();
  expect(gw.up.requests).toHaveLength(3);
});

it('an entry expires with its TTL (the clock moved 60 s): a miss, stored again', async () => {
  const key = await gw.keyFor('ttl');
  const start = Date.now();
  setCacheClock(() => start);
  await chat(key, 'cached', 'expiring');
  setCacheClock(() => start + 59_000);
  expect((await chat(key, 'cached', 'expiring')).cache).toBe('hit; age=59');
  setCacheClock(() => start + 60_000);
  expect((await chat(key, 'cached', 'expiring')).cache).toBe('miss');
  expect((await chat(key, 'cached', 'expiring')).cache).toBe('hit; age=0');
  expect(gw.up.requests).toHaveLength(2);
});

it('the books: a hit at no cost with its tokens and saved cost (40 × 1 + 120 × 2 = 280 µ$), in the ledger and /v1/usage', async () => {
  const key = await gw.keyFor('books');
  const emf = captureEmf();
  gw.up.enqueue(reply.text('booked answer', { usage: usage({ prompt: 40, completion: 120 }) }));
  const miss = await chat(key, 'cached', 'books');
  const hits = [await chat(key, 'cached', 'books'), await chat(key, 'cached', 'books')];
  const ids = [miss, ...hits].map((r) => r.response.headers.get('x-gateway-ledger-id'));
  const { records } = await ledgerOf(gw.gateway.store.endpoint, 'books');
  const byId = new Map(records.map((r) => [r.pk?.S, r]));
  const row = (id: string | null) => {
    const r = byId.get(`REQ#${id}`);
    return [r?.cache?.S, r?.inputTokens?.N, r?.outputTokens?.N, r?.costMicros?.N, r?.savedMicros?.N, r?.attempts?.N];
  };
  expect(ids.map(row)).toEqual([
    ['miss', '40', '120', '280', undefined, '1'],
    ['hit', '40', '120', '0', '280', '0'],
    ['hit', '40', '120', '0', '280', '0'],
  ]);
  const res = await fetch(`${gw.gateway.url}/v1/usage`, { headers: { Authorization: `Bearer ${key}` } });
  const body = (await res.json()) as { totals: Record<string, number>; by_model: Record<string, unknown>[] };
  expect(body.totals).toMatchObject({
    requests: 3,
    input_tokens: 120,
    output_tokens: 360,
    cost_micros: 280,
    cache_hits: 2,
    cache_misses: 1,
    saved_micros: 560,
    saved_usd: 0.00056,
  });
  expect(body.totals.cache_hit_rate).toBeCloseTo(2 / 3);
  expect(body.by_model.map((m) => [m.model, m.cache_hits, m.saved_micros])).toEqual([['cached', 2, 560]]);

  const documents = emf.documents.filter((d) => 'Requests' in d && d.tenant === 'books');
  emf.stop();
  expect(documents.map((d) => [d.CacheHits, d.CacheMisses, d.CostUSD, d.CostSavedUSD])).toEqual([
    [0, 1, 0.00028, undefined],
    [1, 0, 0, 0.00028],
    [1, 0, 0, 0.00028],
  ]);

  for (const by of ['model', 'plan']) {
    let out = '';
    const code = await runCli(['usage', '--tenant', 'books', '--by', by, '--url', gw.gateway.url], {
      env: { GATEWAY_ADMIN_KEY: CACHE_ADMIN_KEY },
      stdout: { write: (text: string) => (out += text) },
      stderr: { write: () => undefined },
    });
    expect(code).toBe(0);
    expect(out).toMatch(new RegExp(`^${by === 'model' ? 'cached' : 'default'} +2 +1 +66\\.7% +0\\.00056$`, 'm'));
    expect(out).toMatch(/^TOTAL +2 +1 +66\.7% +0\.00056$/m);
  }
});
