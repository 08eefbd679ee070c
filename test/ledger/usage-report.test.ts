import type { DayRange } from '../../lambdas/ledger/usage-range.js';
import type { UsageRow } from '../../lambdas/ledger/usage-reader.js';
import { summarize } from '../../lambdas/ledger/usage-report.js';
import {
  adminUsage,
  mapBounded,
  tenantUsage,
  TENANT_READ_CONCURRENCY,
  type UsageSource,
} from '../../lambdas/ledger/usage-service.js';

// Counter rows → the API's totals and breakdowns, filters, and the all-tenants report over a fake source.
const row = (day: string, alias: string, keyId: string, over: Partial<UsageRow> = {}): UsageRow => ({
  day,
  alias,
  keyId,
  model: 'm-1',
  plan: 'free',
  requests: 1,
  inputTokens: 100,
  outputTokens: 10,
  cachedTokens: 50,
  cacheWriteTokens: 5,
  costMicros: 1_000,
  estimatedRequests: 0,
  unpricedRequests: 0,
  errors: 0,
  cacheHits: 0,
  cacheMisses: 0,
  savedMicros: 0,
  storedResponses: 0,
  storedBytes: 0,
  storedWriteUnits: 0,
  ...over,
});

const ROWS: UsageRow[] = [
  row('2026-11-02', 'fast', 'key_b', { requests: 3, costMicros: 250_001 }),
  row('2026-11-01', 'fast', 'key_a'),
  row('2026-11-01', 'demo', 'key_a', { errors: 1, estimatedRequests: 1, unpricedRequests: 1, costMicros: 0 }),
];
const RANGE: DayRange = { from: '2026-11-01', to: '2026-11-30' };

describe('summarize', () => {
  it('totals in snake_case, the cost in micro-dollars and dollars', () => {
    expect(summarize(ROWS).totals).toEqual({
      requests: 5,
      input_tokens: 300,
      output_tokens: 30,
      cached_tokens: 150,
      cache_write_tokens: 15,
      cost_usd: 0.251001,
      cost_micros: 251_001,
      estimated_requests: 1,
      unpriced_requests: 1,
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
  });

  it('by day, by model and by key: sums, in order, only what has usage', () => {
    const { by_day, by_model, by_key } = summarize(ROWS);
    expect(by_day.map((d) => [d.day, d.requests, d.cost_micros])).toEqual([
      ['2026-11-01', 2, 1_000],
      ['2026-11-02', 3, 250_001],
    ]);
    expect(by_model.map((m) => [m.model, m.requests, m.errors])).toEqual([
      ['demo', 1, 1],
      ['fast', 4, 0],
    ]);
    expect(by_key.map((k) => [k.key_id, k.requests, k.input_tokens])).toEqual([
      ['key_a', 2, 200],
      ['key_b', 3, 100],
    ]);
    expect(Object.keys(by_day[0] ?? {})[0]).toBe('day');
  });

  it('cache hits, misses, hit rate and saved cost, by model and by plan', () => {
    const rows = [
      row('2026-11-01', 'fast', 'key_a', {
        plan: 'pro',
        requests: 4,
        cacheHits: 3,
        cacheMisses: 1,
        savedMicros: 4_500,
      }),
      row('2026-11-01', 'demo', 'key_b', { cacheMisses: 1 }),
    ];
    const { totals, by_model, by_plan } = summarize(rows);
    expect(totals).toMatchObject({ cache_hits: 3, cache_misses: 2, cache_hit_rate: 0.6, saved_micros: 4_500 });
    expect(totals.saved_usd).toBe(0.0045);
    expect(by_model.map((m) => [m.model, m.cache_hits, m.cache_hit_rate, m.saved_micros])).toEqual([
      ['demo', 0, 0, 0],
      ['fast', 3, 0.75, 4_500],
    ]);
    expect(by_plan.map((p) => [p.plan, p.requests, p.cache_hits])).toEqual([
      ['free', 1, 0],
      ['pro', 4, 3],
    ]);
  });

  it('no rows: zero totals, empty lists', () => {
    const empty = summarize([]);
    expect(empty.totals.requests).toBe(0);
    expect(empty.totals.cost_usd).toBe(0);
    expect([empty.by_day, empty.by_model, empty.by_key]).toEqual([[], [], []]);
  });
});

/** A source over rows per tenant that records which tenants were read, and how many reads ran at once. */
function fakeSource(byTenant: Record<string, UsageRow[]>, tenants = Object.keys(byTenant).sort()) {
  const read: string[] = [];
  let running = 0;
  let peak = 0;
  const source: UsageSource = {
    rows: async (tenant) => {
      read.push(tenant);
      running += 1;
      peak = Math.max(peak, running);
      await new Promise((resolve) => setTimeout(resolve, 2));
      running -= 1;
      return byTenant[tenant] ?? [];
    },
    tenants: async () => tenants,
  };
  return { source, read, peak: () => peak };
}

describe('tenantUsage', () => {
  it('one tenant, filtered by model and by key', async () => {
    const { source, read } = fakeSource({ acme: ROWS });
    const all = await tenantUsage(source, 'acme', RANGE, {});
    expect(all).toMatchObject({
      object: 'usage',
      tenant: 'acme',
      from: RANGE.from,
      to: RANGE.to,
      totals: { requests: 5 },
    });
    expect((await tenantUsage(source, 'acme', RANGE, { model: 'fast' })).totals.requests).toBe(4);
    expect((await tenantUsage(source, 'acme', RANGE, { model: 'fast', keyId: 'key_a' })).totals.requests).toBe(1);
    expect((await tenantUsage(source, 'acme', RANGE, { keyId: 'key_zzz' })).totals.requests).toBe(0);
    expect(new Set(read)).toEqual(new Set(['acme']));
  });
});

describe('adminUsage', () => {
  it('every tenant: combined totals and breakdowns, then each tenant with usage, by name', async () => {
    const { source } = fakeSource({ globex: [row('2026-11-03', 'fast', 'key_g')], acme: ROWS, idle: [] });
    const usage = await adminUsage(source, undefined, RANGE, {});
    expect(usage.totals.requests).toBe(6);
    expect(usage.by_day.map((d) => d.day)).toEqual(['2026-11-01', '2026-11-02', '2026-11-03']);
    expect(usage.by_model.map((m) => [m.model, m.requests])).toEqual([
      ['demo', 1],
      ['fast', 5],
    ]);
    expect(usage.tenants.map((t) => [t.tenant, t.totals.requests])).toEqual([
      ['acme', 5],
      ['globex', 1],
    ]);
    expect(usage.tenants[1]?.by_key.map((k) => k.key_id)).toEqual(['key_g']);
  });

  it('one tenant is listed even without usage, and no other tenant is read', async () => {
    const { source, read } = fakeSource({ acme: ROWS, idle: [] });
    const usage = await adminUsage(source, 'idle', RANGE, {});
    expect(usage.tenants).toEqual([
      {
        tenant: 'idle',
        totals: expect.objectContaining({ requests: 0 }),
        by_day: [],
        by_model: [],
        by_key: [],
        by_plan: [],
      },
    ]);
    expect(read).toEqual(['idle']);
  });

  it('detail rows: one per key, alias, upstream model and day, in that order; by_model stays per alias', async () => {
    const { source } = fakeSource({
      acme: [
        row('2026-11-01', 'fast', 'key_a', { model: 'gpt-4o-mini', requests: 2, costMicros: 240 }),
        row('2026-11-01', 'fast', 'key_a', { model: 'claude-haiku-4-5', requests: 1, costMicros: 680 }),
      ],
    });
    const usage = await adminUsage(source, 'acme', RANGE, {}, 'rows');
    expect(usage.rows?.map((r) => [r.model, r.upstream_model, r.requests, r.cost_micros])).toEqual([
      ['fast', 'claude-haiku-4-5', 1, 680],
      ['fast', 'gpt-4o-mini', 2, 240],
    ]);
    expect(usage.by_model.map((m) => [m.model, m.requests, m.cost_micros])).toEqual([['fast', 3, 920]]);
  });

  it('filters apply to every tenant; a tenant left without rows is not listed', async () => {
    const { source } = fakeSource({ acme: ROWS, globex: [row('2026-11-03', 'other', 'key_g')] });
    const usage = await adminUsage(source, undefined, RANGE, { model: 'other' });
    expect(usage.tenants.map((t) => t.tenant)).toEqual(['globex']);
    expect(usage.totals.requests).toBe(1);
  });

  it(`reads the tenants' counters ${TENANT_READ_CONCURRENCY} at a time at most, each once`, async () => {
    const names = Array.from({ length: 30 }, (_, i) => `t${String(i).padStart(2, '0')}`);
    const { source, read, peak } = fakeSource(
      Object.fromEntries(names.map((name) => [name, [row('2026-11-01', 'fast', `key_${name}`)]])),
    );
    const usage = await adminUsage(source, undefined, RANGE, {});
    expect(usage.tenants.map((t) => t.tenant)).toEqual(names);
    expect(read.sort()).toEqual(names);
    expect(peak()).toBe(TENANT_READ_CONCURRENCY);
  });
});

describe('mapBounded', () => {
  it('keeps the order of the items whatever order they finish in, and passes a failure on', async () => {
    const delays = [5, 1, 3, 0, 2];
    expect(
      await mapBounded(delays, 2, async (ms) => new Promise<number>((resolve) => setTimeout(() => resolve(ms), ms))),
    ).toEqual(delays);
    expect(await mapBounded([], 4, async (x: number) => x)).toEqual([]);
    await expect(
      mapBounded([1, 2, 3], 2, async (x) => (x === 2 ? Promise.reject(new Error('boom')) : x)),
    ).rejects.toThrow('boom');
  });
});
