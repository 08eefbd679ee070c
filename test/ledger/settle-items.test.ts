import { GetItemCommand } from '../../lambdas/aws-http/dynamodb.js';
import { LedgerAggregator } from '../../lambdas/ledger/aggregator.js';
import type { StreamInsert } from '../../lambdas/ledger/aggregator-records.js';
import type { LedgerEntry } from '../../lambdas/ledger/ledger-entry.js';
import { bookedEntry } from '../helpers/ledger-entry.js';
import { recordItem } from '../../lambdas/ledger/ledger-items.js';
import { readQuotaItems, settleSlot, settleSortKey } from '../../lambdas/quota/quota-items.js';
import { bucketsOf, TICK_MS } from '../../lambdas/quota/quota-periods.js';
import type { RecordedSettle } from '../../lambdas/quota/quota-settle.js';
import { SETTLE_PRUNE_AFTER_MS } from '../../lambdas/quota/settle-prune.js';
import { readNumber, s } from '../../lambdas/store/attributes.js';
import { embeddedTable, type EmbeddedTable } from '../helpers/embedded-table.js';

// The aggregator settles quota reservations into its stream shard's own settle item (never the quota item the
// request path writes): the actual usage, and per bucket the amounts drawn; buckets long expired are pruned from it.
let db: EmbeddedTable;
beforeAll(async () => {
  db = await embeddedTable();
});
afterAll(() => db.close());

const NOW = Date.parse('2026-11-27T10:00:00.000Z');
let ids = 0;
const entry = (tenant: string): LedgerEntry =>
  bookedEntry(`req_settle${String((ids += 1)).padStart(12, '0')}`, { tenant, createdAt: new Date(NOW).toISOString() });
const settle = (pk: string, expiresAt: number): RecordedSettle => ({
  pks: [pk],
  period: { month: '2026-11', day: '27', bucket: `27_${Math.ceil(expiresAt / TICK_MS)}` },
  amount: { tokens: 100, micros: 50 },
  actual: { tokens: 15, micros: 7 },
  lease: true,
});
let seq = 5_000;
const insert = (tenant: string, quota: RecordedSettle): StreamInsert => ({
  seq: String((seq += 3)),
  image: recordItem(entry(tenant), quota),
});

it("settles go to the shard's settle item only; a bucket expired longer than the prune delay is removed from it", async () => {
  let now = NOW;
  const aggregator = new LedgerAggregator(db.client(), db.table, { now: () => now });
  const pk = 'QUOTA#TENANT#settle-items';
  const shard = 'shardId-settle-1';
  await aggregator.apply(shard, [
    insert('settle-items', settle(pk, NOW + 60_000)),
    insert('settle-items', settle(pk, NOW + 60_000)),
  ]);
  const items = await readQuotaItems(db.client(), db.table, pk, '2026-11');
  expect(items.quota).toBeUndefined();
  expect(items.settles.map((item) => item.sk?.S)).toEqual([settleSortKey('2026-11', settleSlot(shard))]);
  const first = items.settles[0]!;
  expect([readNumber(first, 'tokens'), readNumber(first, 'micros'), readNumber(first, 'd27')]).toEqual([30, 14, 30]);
  expect(bucketsOf(Object.keys(first))).toHaveLength(1);
  expect(readNumber(first, `rt${bucketsOf(Object.keys(first))[0]}`)).toBe(200);

  // Later (a new aggregator instance: it learns the item's buckets by reading it), the old bucket is pruned.
  now = NOW + 60_000 + SETTLE_PRUNE_AFTER_MS + TICK_MS;
  const later = new LedgerAggregator(db.client(), db.table, { now: () => now });
  await later.apply(shard, [insert('settle-items', settle(pk, now + 60_000))]);
  const out = await db.client().send(
    new GetItemCommand({
      TableName: db.table,
      Key: { pk: s(pk), sk: s(settleSortKey('2026-11', settleSlot(shard))) },
    }),
  );
  const item = out.Item ?? {};
  expect(readNumber(item, 'tokens')).toBe(45);
  expect(bucketsOf(Object.keys(item))).toEqual([`27_${Math.ceil((now + 60_000) / TICK_MS)}`]);
});
