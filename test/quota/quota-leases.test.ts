import { LEASE_MAX_MS, QuotaLeases } from '../../lambdas/quota/quota-leases.js';
import { QuotaExceeded, QuotaStore } from '../../lambdas/quota/quota-store.js';
import type { QuotaScope } from '../../lambdas/quota/quota-scopes.js';
import { LedgerStore } from '../../lambdas/ledger/ledger-store.js';
import type { LedgerEntry } from '../../lambdas/ledger/ledger-entry.js';
import { readNumber } from '../../lambdas/store/attributes.js';
import { readQuotaItems, readScopeUsage } from '../../lambdas/quota/quota-items.js';
import { embeddedTable, type EmbeddedTable } from '../helpers/embedded-table.js';

// Leases: an instance reserves several requests' worth in one write and draws on it in memory; the first
// reservation of a scope is its own; leases shrink near a limit; a refused lease falls back to the request's own
// reservation; the rest is given back when the lease is done; settles against a lease land exactly.
let db: EmbeddedTable;
beforeAll(async () => {
  db = await embeddedTable();
});
afterAll(() => db.close());

const NOW = Date.parse('2026-11-27T10:00:00.000Z');
let n = 0;
const scope = (limits: QuotaScope['limits']): QuotaScope => ({
  kind: 'tenant',
  pk: `QUOTA#TENANT#lease${(n += 1)}`,
  limits,
});
const ten = { tokens: 10, micros: 0 };
const LIFETIME = 120_000;

function setup(now = () => NOW) {
  const store = new QuotaStore(db.client(), db.table, now);
  let writes = 0;
  let updates = 0;
  const counting = Object.create(store) as QuotaStore;
  counting.reserve = async (...args) => {
    writes += 1;
    updates += args[0].length;
    return store.reserve(...args);
  };
  counting.giveBack = async (scopes, amount, period) => {
    if (amount.tokens !== 0 || amount.micros !== 0) updates += scopes.length;
    return store.giveBack(scopes, amount, period);
  };
  return { store, leases: new QuotaLeases(counting, now), writes: () => writes, updates: () => updates };
}
const tokensOf = async (store: QuotaStore, pk: string) =>
  readNumber((await store.read(pk, '2026-11')) ?? {}, 'tokens') ?? 0;

it("the first reservation is the request's own; the next takes a lease that covers the following requests without a write", async () => {
  const { store, leases, writes } = setup();
  const s = scope({ tokensPerMonth: 100_000 });
  await leases.reserve([s], ten, LIFETIME, 16);
  expect(await tokensOf(store, s.pk)).toBe(10);
  // Requests all at once (no gap between them): the lease is as large as an eighth of what is left allows.
  for (let i = 0; i < 100; i++) await leases.reserve([s], ten, LIFETIME, 16);
  expect(writes()).toBe(2);
  expect(await tokensOf(store, s.pk)).toBe(10 + 12_498);
});

it('lease store calls per request stay at or below 0.05 at 50 ms, 2 s and 20 s request durations', async () => {
  for (const durationMs of [50, 2_000, 20_000]) {
    let now = NOW;
    const { leases, updates } = setup(() => now);
    const s = scope({ tokensPerMonth: 100_000_000 });
    const requests = 400;
    for (let i = 0; i < requests; i++) {
      await leases.reserve([s], ten, LIFETIME, 16);
      now += durationMs; // one request after the other, each as long as the upstream takes
    }
    expect([durationMs, updates() / requests <= 0.05]).toEqual([durationMs, true]);
  }
});

it('near a limit a lease is at most an eighth of what is left; refused, it falls back to the request alone', async () => {
  const { store, leases } = setup();
  const s = scope({ tokensPerMonth: 200 });
  await leases.reserve([s], ten, LIFETIME, 16); // left 190
  await leases.reserve([s], ten, LIFETIME, 16); // lease of floor(190 / 8) = 23
  expect(await tokensOf(store, s.pk)).toBe(33);
  const other = setup();
  await other.store.reserve([s], { tokens: 165, micros: 0 }, NOW + LIFETIME); // another instance takes most of the rest
  expect(await tokensOf(store, s.pk)).toBe(198);
  // This instance's lease has 13 left: one more draw; then the rest (3) goes back, and neither a new lease (20) nor a
  // lone 10 fits in the 5 left.
  await leases.reserve([s], ten, LIFETIME, 16);
  await expect(leases.reserve([s], ten, LIFETIME, 16)).rejects.toBeInstanceOf(QuotaExceeded);
  expect(await tokensOf(store, s.pk)).toBe(195);
});

it('settles against a lease land exactly once the lease is done', async () => {
  let now = NOW;
  const { leases } = setup(() => now);
  const ledger = new LedgerStore(db.client(), db.table);
  const s = scope({ tokensPerMonth: 100_000 });
  const reservations = [];
  for (let i = 0; i < 5; i++) reservations.push((await leases.reserve([s], ten, LIFETIME, 16)).reservation);
  for (const [i, reservation] of reservations.entries()) {
    const entry: LedgerEntry = {
      id: `req_lease${n}_${i}`,
      requestId: 'r',
      tenant: 'lease-t',
      keyId: 'k',
      plan: 'p',
      alias: 'a',
      provider: 'openai',
      model: 'm',
      status: 200,
      stream: false,
      usage: { inputTokens: 3, outputTokens: 1, cachedInputTokens: 0, cacheWriteTokens: 0 },
      estimated: false,
      costMicros: 0,
      attempts: 1,
      createdAt: new Date(NOW).toISOString(),
    };
    await ledger.record(entry, { reservation, actual: { tokens: 4, micros: 0 } });
  }
  now = NOW + LEASE_MAX_MS; // the lease is done: the next reservation gives its rest back first
  await leases.reserve([s], ten, LIFETIME, 16);
  const { quota, settles } = await readQuotaItems(db.client(), db.table, s.pk, '2026-11');
  const item = quota ?? {};
  const open = Object.keys(item)
    .filter((name) => /^rt\d/.test(name))
    .reduce((sum, name) => sum + (readNumber(item, name) ?? 0), 0);
  // 5 settled at 4 tokens (the first was its own reservation, four drew on the lease, whose rest went back) into the
  // settle items; the quota item holds only open buckets: the new lease, and the old ones' draws (their settles
  // subtract them while they are open).
  expect(settles.reduce((sum, settle) => sum + (readNumber(settle, 'tokens') ?? 0), 0)).toBe(5 * 4);
  expect(readNumber(item, 'tokens')).toBe(open);
  // Used, as a reservation reads it: the 20 settled and the new lease (4 requests' worth), still undrawn.
  expect((await readScopeUsage(db.client(), db.table, s.pk, '2026-11')).tokens).toBe(5 * 4 + 40);
  expect(open).toBeGreaterThan(0);
});

it('leaseRequests 1: one reservation per request', async () => {
  const { leases, writes } = setup();
  const s = scope({ tokensPerMonth: 100_000 });
  for (let i = 0; i < 4; i++) await leases.reserve([s], ten, LIFETIME, 1);
  expect(writes()).toBe(4);
});
