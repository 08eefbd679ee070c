import { type DynamoDBClient, PutItemCommand, UpdateItemCommand } from '../../lambdas/aws-http/dynamodb.js';
import type { KeyStore } from '../../lambdas/keys/key-store.js';
import type { LedgerEntry } from '../../lambdas/ledger/ledger-entry.js';
import { bookedEntry } from '../helpers/ledger-entry.js';
import { LedgerStore } from '../../lambdas/ledger/ledger-store.js';
import {
  MAX_SUB_ITEMS,
  MIN_SHARE_TOKENS,
  readQuotaItems,
  readScopeUsage,
  subItemCount,
  subItemPk,
} from '../../lambdas/quota/quota-items.js';
import type { QuotaScope } from '../../lambdas/quota/quota-scopes.js';
import { QuotaExceeded, QuotaStore } from '../../lambdas/quota/quota-store.js';
import { sweepReservations } from '../../lambdas/quota/sweeper.js';
import { n, readNumber, s } from '../../lambdas/store/attributes.js';
import { embeddedTable, type EmbeddedTable } from '../helpers/embedded-table.js';

// A tenant with large limits spreads its quota over sub-items (each a share of every limit), the aggregator settles
// into settle items, and readers sum them: the limit holds across sub-items under concurrent takers, give-back,
// release and the sweeper work on the sub-item a reservation is in, and items written before keep counting.
let db: EmbeddedTable;
beforeAll(async () => {
  db = await embeddedTable();
});
afterAll(() => db.close());

const NOW = Date.parse('2026-11-27T10:00:00.000Z');
const MONTH = '2026-11';
const BIG = MAX_SUB_ITEMS * MIN_SHARE_TOKENS; // the least token limit that spreads: one share = MIN_SHARE_TOKENS
let ids = 0;
const tenant = (limits: QuotaScope['limits']): QuotaScope => ({
  kind: 'tenant',
  pk: `QUOTA#TENANT#sub${(ids += 1)}`,
  limits,
});
const entryFor = (tenantId: string, tokens: number): LedgerEntry =>
  bookedEntry(`req_sub${String((ids += 1)).padStart(12, '0')}`, {
    tenant: tenantId,
    keyId: 'key_s',
    usage: { inputTokens: tokens - 1, outputTokens: 1, cachedInputTokens: 0, cacheWriteTokens: 0 },
    costMicros: 0,
    createdAt: new Date(NOW).toISOString(),
  });

it('sub-items: tenants with large limits only (or none), never keys', () => {
  expect(subItemCount({ kind: 'tenant', limits: { tokensPerMonth: BIG } })).toBe(MAX_SUB_ITEMS);
  expect(subItemCount({ kind: 'tenant', limits: { tokensPerMonth: BIG - 1 } })).toBe(1);
  expect(subItemCount({ kind: 'tenant', limits: { tokensPerMonth: BIG, usdPerMonth: 100 } })).toBe(1);
  expect(subItemCount({ kind: 'tenant', limits: { usdPerMonth: 1_600 } })).toBe(MAX_SUB_ITEMS);
  expect(subItemCount({ kind: 'key', limits: { tokensPerMonth: 1e15 } })).toBe(1);
});

it('60 concurrent takers of 4M tokens against 160M over 16 sub-items, from several stores: exactly 32 pass', async () => {
  const scope = tenant({ tokensPerMonth: BIG });
  const stores = [0, 1, 2, 3, 4].map(() => new QuotaStore(db.client(), db.table, () => NOW));
  // Every taker starts at sub-item 3, so the first ones fill it and the rest must move on.
  const results = await Promise.allSettled(
    Array.from({ length: 60 }, (_, i) =>
      stores[i % stores.length]!.reserve([scope], { tokens: 4_000_000, micros: 0 }, NOW + 120_000, 3),
    ),
  );
  // 4M fits twice in a 10M share: 16 × 2.
  expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(32);
  for (const r of results)
    if (r.status === 'rejected') expect((r.reason as QuotaExceeded).refusal.limit).toBe('tokensPerMonth');
  const pks = results.flatMap((r) => (r.status === 'fulfilled' ? r.value.reservation.pks : []));
  expect(new Set(pks).size).toBe(MAX_SUB_ITEMS);
  expect((await readScopeUsage(db.client(), db.table, scope.pk, MONTH)).tokens).toBe(32 * 4_000_000);
});

it('a settle lands in its sub-item’s settle item; give-back and release act on the sub-item; the sweeper finds it', async () => {
  let now = NOW;
  const quotas = new QuotaStore(db.client(), db.table, () => now);
  const scope = tenant({ tokensPerMonth: BIG });
  const { reservation } = await quotas.reserve([scope], { tokens: 1_000, micros: 0 }, NOW + 60_000, 5);
  expect(reservation.pks).toEqual([subItemPk(scope.pk, 5)]);
  await new LedgerStore(db.client(), db.table).record(entryFor('sub-settle', 300), {
    reservation,
    actual: { tokens: 300, micros: 0 },
  });
  const items = await readQuotaItems(db.client(), db.table, subItemPk(scope.pk, 5), MONTH);
  expect(readNumber(items.quota ?? {}, 'tokens')).toBe(1_000); // the aggregator never writes the quota item
  expect(items.settles.map((settle) => readNumber(settle, 'tokens'))).toEqual([300]);
  expect((await readScopeUsage(db.client(), db.table, scope.pk, MONTH)).tokens).toBe(300);

  const lease = await quotas.reserve([scope], { tokens: 5_000, micros: 0 }, NOW + 60_000, 7);
  await quotas.giveBack(
    lease.reservation.pks.map((pk) => ({ pk })),
    { tokens: 2_000, micros: 0 },
    lease.reservation.period,
  );
  expect((await readScopeUsage(db.client(), db.table, scope.pk, MONTH)).tokens).toBe(300 + 3_000);

  now = NOW + 71_000; // both buckets expired: the sweeper releases them in their sub-items
  const keys = { list: () => Promise.resolve([{ tenant: scope.pk.slice('QUOTA#TENANT#'.length), id: 'k' }]) };
  const swept = await sweepReservations(keys as unknown as KeyStore, quotas, now);
  expect(swept.released).toBe(2);
  const after = await readScopeUsage(db.client(), db.table, scope.pk, MONTH);
  expect([after.tokens, after.unsettled]).toEqual([300, []]);
});

it('a quota item written before the sub-items and settle items (settled usage in its totals) keeps counting', async () => {
  const quotas = new QuotaStore(db.client(), db.table, () => NOW);
  const scope = tenant({ tokensPerMonth: 1_000 });
  await db.client().send(
    new PutItemCommand({
      TableName: db.table,
      // As the aggregator left it before: 700 settled, an old bucket drained to 0.
      Item: { pk: s(scope.pk), sk: s(`MONTH#${MONTH}`), tokens: n(700), micros: n(0), d27: n(700), rt27_1: n(0) },
    }),
  );
  await expect(quotas.reserve([scope], { tokens: 301, micros: 0 }, NOW + 60_000)).rejects.toBeInstanceOf(QuotaExceeded);
  const { reservation } = await quotas.reserve([scope], { tokens: 300, micros: 0 }, NOW + 60_000);
  expect(reservation.standings[0]?.tokensLeftMonth).toBe(0);
  await new LedgerStore(db.client(), db.table).record(entryFor('sub-old', 100), {
    reservation,
    actual: { tokens: 100, micros: 0 },
  });
  expect((await readScopeUsage(db.client(), db.table, scope.pk, MONTH)).tokens).toBe(800);
});

it('a release between a reservation’s read and its write makes it read again: the limit holds', async () => {
  let now = NOW;
  const scope = tenant({ tokensPerMonth: 1_000 });
  const quotas = new QuotaStore(db.client(), db.table, () => now);
  const { reservation } = await quotas.reserve([scope], { tokens: 600, micros: 0 }, NOW + 60_000);
  await new LedgerStore(db.client(), db.table).record(entryFor('sub-race', 600), {
    reservation,
    actual: { tokens: 600, micros: 0 },
  });
  now = NOW + 71_000; // its bucket expired (its draw settled: 600 used either way)
  const client = db.client();
  let raced = false;
  const racing = Object.create(client) as DynamoDBClient;
  racing.send = (async (command: UpdateItemCommand) => {
    if (command instanceof UpdateItemCommand && command.input.ReturnValues === 'ALL_NEW' && !raced) {
      raced = true;
      // Between this reservation's read and its write: the bucket is released, and another takes the room left.
      expect(await quotas.releaseExpired(scope.pk, MONTH)).toBe(1);
      await quotas.reserve([scope], { tokens: 400, micros: 0 }, now + 60_000);
    }
    return client.send(command);
  }) as DynamoDBClient['send'];
  await expect(
    new QuotaStore(racing, db.table, () => now).reserve([scope], { tokens: 400, micros: 0 }, now + 60_000),
  ).rejects.toBeInstanceOf(QuotaExceeded);
  expect((await readScopeUsage(db.client(), db.table, scope.pk, MONTH)).tokens).toBe(1_000);
});
