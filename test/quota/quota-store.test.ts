import {
  type DynamoDBClient,
  TransactionConflictException,
  UpdateItemCommand,
} from '../../lambdas/aws-http/dynamodb.js';
import type { LedgerEntry } from '../../lambdas/ledger/ledger-entry.js';
import { LedgerStore } from '../../lambdas/ledger/ledger-store.js';
import { QuotaExceeded, QuotaStore } from '../../lambdas/quota/quota-store.js';
import type { QuotaScope } from '../../lambdas/quota/quota-scopes.js';
import { readScopeUsage } from '../../lambdas/quota/quota-items.js';
import { embeddedTable, type EmbeddedTable } from '../helpers/embedded-table.js';
import { bookedEntry } from '../helpers/ledger-entry.js';

// Quota reservations on the embedded store: conditional ADDs that concurrent writers cannot jointly pass, settled in
// the ledger's transaction, expired buckets released exactly once.
let db: EmbeddedTable;
beforeAll(async () => {
  db = await embeddedTable();
});
afterAll(() => db.close());

const NOW = Date.parse('2026-11-27T10:00:00.000Z');
const MONTH = '2026-11';
let scopeIds = 0;
const tenantScope = (limits: QuotaScope['limits']): QuotaScope => ({
  kind: 'tenant',
  pk: `QUOTA#TENANT#t${(scopeIds += 1)}`,
  limits,
});
const keyScope = (limits: QuotaScope['limits']): QuotaScope => ({
  kind: 'key',
  pk: `QUOTA#KEY#k${(scopeIds += 1)}`,
  limits,
});

/** A scope's month as readers see it: summed over its sub-items and settle items (quota-items.ts). */
const totals = async (pk: string) => {
  const usage = await readScopeUsage(db.client(), db.table, pk, MONTH);
  return { tokens: usage.tokens, micros: usage.micros, day: usage.days.get('27') ?? 0, buckets: usage.unsettled };
};

let ids = 0;
const entryFor = (tokens: number, micros: number): LedgerEntry =>
  bookedEntry(`req_quota${String((ids += 1)).padStart(12, '0')}`, {
    tenant: 'quota-tenant',
    keyId: 'key_q',
    usage: { inputTokens: tokens - 1, outputTokens: 1, cachedInputTokens: 0, cacheWriteTokens: 0 },
    costMicros: micros,
    createdAt: new Date(NOW).toISOString(),
  });

it('reserves under the limits and reports what is left after the reservation', async () => {
  const quotas = new QuotaStore(db.client(), db.table, () => NOW);
  const scope = tenantScope({ tokensPerDay: 1_000, tokensPerMonth: 5_000, usdPerMonth: 1 });
  const { reservation } = await quotas.reserve([scope], { tokens: 300, micros: 2_000 }, NOW + 120_000);
  expect(reservation.standings[0]).toEqual({
    scope,
    tokensLeftDay: 700,
    tokensLeftMonth: 4_700,
    microsLeftMonth: 998_000,
  });
  expect(await totals(scope.pk)).toMatchObject({ tokens: 300, micros: 2_000, day: 300 });
});

it('refuses the reservation that would pass a limit, naming the limit, and writes nothing for it', async () => {
  const quotas = new QuotaStore(db.client(), db.table, () => NOW);
  const scope = tenantScope({ tokensPerDay: 1_000 });
  await quotas.reserve([scope], { tokens: 800, micros: 0 }, NOW + 120_000);
  const refused = await quotas.reserve([scope], { tokens: 201, micros: 0 }, NOW + 120_000).catch((err: unknown) => err);
  expect(refused).toBeInstanceOf(QuotaExceeded);
  expect((refused as QuotaExceeded).refusal).toMatchObject({ limit: 'tokensPerDay', standing: { tokensLeftDay: 200 } });
  await quotas.reserve([scope], { tokens: 200, micros: 0 }, NOW + 120_000);
  expect((await totals(scope.pk)).tokens).toBe(1_000);
});

it('refuses on the budget in micro-dollars, and a request larger than a whole limit without a write', async () => {
  const quotas = new QuotaStore(db.client(), db.table, () => NOW);
  const scope = tenantScope({ usdPerMonth: 0.01 });
  await quotas.reserve([scope], { tokens: 1, micros: 9_000 }, NOW + 120_000);
  await expect(quotas.reserve([scope], { tokens: 1, micros: 1_001 }, NOW + 120_000)).rejects.toMatchObject({
    refusal: { limit: 'usdPerMonth' },
  });
  const whole = tenantScope({ tokensPerMonth: 10 });
  await expect(quotas.reserve([whole], { tokens: 11, micros: 0 }, NOW + 120_000)).rejects.toMatchObject({
    refusal: { limit: 'tokensPerMonth' },
  });
  expect(await quotas.read(whole.pk, MONTH)).toBeUndefined();
});

it('50 concurrent reservations of 100 tokens against 1,000 from several clients: exactly 10 pass', async () => {
  const scope = tenantScope({ tokensPerMonth: 1_000 });
  const stores = [0, 1, 2, 3, 4].map(() => new QuotaStore(db.client(), db.table, () => NOW));
  const results = await Promise.allSettled(
    Array.from({ length: 50 }, (_, i) =>
      stores[i % stores.length]!.reserve([scope], { tokens: 100, micros: 0 }, NOW + 120_000),
    ),
  );
  expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(10);
  expect(
    results
      .filter((r) => r.status === 'rejected')
      .every((r) => (r as PromiseRejectedResult).reason instanceof QuotaExceeded),
  ).toBe(true);
  expect((await totals(scope.pk)).tokens).toBe(1_000);
});

it("a key scope refusing undoes the tenant scope's reservation", async () => {
  const quotas = new QuotaStore(db.client(), db.table, () => NOW);
  const tenant = tenantScope({ tokensPerMonth: 10_000 });
  const key = keyScope({ tokensPerMonth: 100 });
  await expect(quotas.reserve([tenant, key], { tokens: 500, micros: 7 }, NOW + 120_000)).rejects.toMatchObject({
    refusal: { scope: key },
  });
  expect(await totals(tenant.pk)).toMatchObject({ tokens: 0, micros: 0, day: 0 });
});

it('the ledger transaction settles the reservation at the actual usage, in both scopes', async () => {
  const quotas = new QuotaStore(db.client(), db.table, () => NOW);
  const ledger = new LedgerStore(db.client(), db.table);
  const tenant = tenantScope({ tokensPerMonth: 10_000, usdPerMonth: 5 });
  const key = keyScope({ tokensPerDay: 10_000 });
  const { reservation } = await quotas.reserve([tenant, key], { tokens: 1_200, micros: 900 }, NOW + 120_000);
  await ledger.record(entryFor(350, 420), { reservation, actual: { tokens: 350, micros: 420 } });
  for (const scope of [tenant, key]) {
    const after = await totals(scope.pk);
    expect([after.tokens, after.micros, after.day]).toEqual([350, 420, 350]);
  }
});

it('an unsettled reservation is released once after its expiry; a late settle then adds the whole actual', async () => {
  let now = NOW;
  const quotas = new QuotaStore(db.client(), db.table, () => now);
  const ledger = new LedgerStore(db.client(), db.table);
  const scope = tenantScope({ tokensPerMonth: 1_000 });
  const { reservation } = await quotas.reserve([scope], { tokens: 900, micros: 50 }, NOW + 120_000);
  expect(await quotas.releaseExpired(scope.pk, MONTH)).toBe(0); // not expired yet
  now = NOW + 131_000; // past the expiry tick (10 s periods)
  const [first, second] = await Promise.all([
    quotas.releaseExpired(scope.pk, MONTH),
    new QuotaStore(db.client(), db.table, () => now).releaseExpired(scope.pk, MONTH),
  ]);
  expect(first + second).toBe(1);
  expect(await totals(scope.pk)).toEqual({ tokens: 0, micros: 0, day: 0, buckets: [] });
  await ledger.record(entryFor(40, 3), { reservation, actual: { tokens: 40, micros: 3 } });
  expect(await totals(scope.pk)).toEqual({ tokens: 40, micros: 3, day: 40, buckets: [] });
});

it('a refusal caused by expired reservations of a crashed instance releases them and passes', async () => {
  let now = NOW;
  const quotas = new QuotaStore(db.client(), db.table, () => now);
  const scope = tenantScope({ tokensPerMonth: 1_000 });
  await quotas.reserve([scope], { tokens: 900, micros: 0 }, NOW + 60_000); // never settled
  now = NOW + 71_000;
  const { reservation } = await quotas.reserve([scope], { tokens: 500, micros: 0 }, now + 60_000);
  expect(reservation.standings[0]?.tokensLeftMonth).toBe(500);
  expect((await totals(scope.pk)).tokens).toBe(500);
});

it('a reservation that meets the aggregator’s transaction on its quota item (TransactionConflict) is retried', async () => {
  const client = db.client();
  let conflicts = 0;
  const busy = Object.create(client) as DynamoDBClient;
  busy.send = ((command: UpdateItemCommand) => {
    if (command instanceof UpdateItemCommand && (conflicts += 1) <= 2)
      return Promise.reject(new TransactionConflictException({ message: 'Transaction is ongoing', $metadata: {} }));
    return client.send(command);
  }) as DynamoDBClient['send'];
  const scope = tenantScope({ tokensPerMonth: 1_000 });
  const quotas = new QuotaStore(busy, db.table, () => NOW);
  await quotas.reserve([scope], { tokens: 100, micros: 0 }, NOW + 120_000);
  expect((await totals(scope.pk)).tokens).toBe(100);
  expect(conflicts).toBe(3);
});

it('giving back the rest of a lease whose bucket the sweeper released leaves the item alone (no negative bucket)', async () => {
  let now = NOW;
  const quotas = new QuotaStore(db.client(), db.table, () => now);
  const scope = tenantScope({ tokensPerMonth: 1_000 });
  const { reservation } = await quotas.reserve([scope], { tokens: 600, micros: 30 }, NOW + 60_000);
  now = NOW + 71_000;
  expect(await quotas.releaseExpired(scope.pk, MONTH)).toBe(1);
  await quotas.giveBack([scope], { tokens: 200, micros: 10 }, reservation.period);
  expect(await totals(scope.pk)).toEqual({ tokens: 0, micros: 0, day: 0, buckets: [] });
});
