import { PutItemCommand, UpdateItemCommand } from '../../lambdas/aws-http/dynamodb.js';
import { LedgerAggregator } from '../../lambdas/ledger/aggregator.js';
import type { LedgerEntry } from '../../lambdas/ledger/ledger-entry.js';
import { bookedEntry } from '../helpers/ledger-entry.js';
import { counterOf, counterUpdate, recordItem } from '../../lambdas/ledger/ledger-items.js';
import { readLedgerRecords } from '../../lambdas/ledger/ledger-records.js';
import { LEDGER_GSI_SHARDS, ledgerGsiKey } from '../../lambdas/ledger/ledger-shards.js';
import { readUsage } from '../../lambdas/ledger/usage-reader.js';
import { embeddedTable, type EmbeddedTable } from '../helpers/embedded-table.js';

// A hot tenant's writes spread (lambdas/ledger/ledger-shards.ts): records over gsi1 shards, read back in order with
// the records written before the shards; counters per stream shard, summed by the usage reader into the same rows.
let db: EmbeddedTable;
beforeAll(async () => {
  db = await embeddedTable();
});
afterAll(() => db.close());

let ids = 0;
const DAY = '2026-12-07';
const entry = (tenant: string, over: Partial<LedgerEntry> = {}): LedgerEntry =>
  bookedEntry(`req_shard${String((ids += 1)).padStart(12, '0')}`, {
    tenant,
    createdAt: `${DAY}T01:00:${String(ids % 60).padStart(2, '0')}.000Z`,
    ...over,
  });

it("a tenant's records spread over the gsi1 shards; the reader merges every shard and the unsharded key in order", async () => {
  const client = db.client();
  const entries = Array.from({ length: 60 }, () => entry('gsi-hot'));
  const legacy = entries.slice(0, 5);
  for (const e of legacy) {
    // Written before the shards: the unsharded key.
    const item = { ...recordItem(e), gsi1pk: { S: `LEDGER#gsi-hot#${DAY}` } };
    await client.send(new PutItemCommand({ TableName: db.table, Item: item }));
  }
  for (const e of entries.slice(5)) await client.send(new PutItemCommand({ TableName: db.table, Item: recordItem(e) }));
  const keys = new Set(entries.slice(5).map((e) => ledgerGsiKey(e.tenant, DAY, e.id)));
  expect(keys.size).toBeGreaterThan(LEDGER_GSI_SHARDS / 2);
  const records = await readLedgerRecords(client, db.table, 'gsi-hot', DAY);
  const expected = [...entries].sort((a, b) => (`${a.createdAt}#${a.id}` < `${b.createdAt}#${b.id}` ? -1 : 1));
  expect(records.map((r) => r.pk?.S)).toEqual(expected.map((e) => `REQ#${e.id}`));
});

it('counters written by several stream shards (and before the shards) read as one row per day, alias and key', async () => {
  const client = db.client();
  const tenant = 'counter-hot';
  const records = (n: number, keyId = 'key_a') =>
    Array.from({ length: n }, (_, i) => ({ seq: String(1_000 + i), image: recordItem(entry(tenant, { keyId })) }));
  const aggregator = new LedgerAggregator(client, db.table);
  await aggregator.apply('shardId-a', records(7));
  await aggregator.apply('shardId-b', records(5));
  await aggregator.apply('shardId-c', records(3, 'key_b'));
  // A counter of the same key written before the shards (unsharded item).
  const { Update } = counterUpdate(db.table, counterOf(entry(tenant)));
  await client.send(new UpdateItemCommand(Update!));
  const rows = await readUsage(client, db.table, tenant, DAY, DAY);
  expect(rows.map((r) => [r.keyId, r.requests, r.inputTokens, r.costMicros, r.plan])).toEqual([
    ['key_a', 13, 130, 91, 'p'],
    ['key_b', 3, 30, 21, 'p'],
  ]);
});
