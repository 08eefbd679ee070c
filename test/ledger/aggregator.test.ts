import { type DynamoDBClient, TransactWriteItemsCommand } from '../../lambdas/aws-http/dynamodb.js';
import { AggregationFailed, LedgerAggregator } from '../../lambdas/ledger/aggregator.js';
import type { StreamInsert } from '../../lambdas/ledger/aggregator-records.js';
import type { LedgerEntry } from '../../lambdas/ledger/ledger-entry.js';
import { bookedEntry } from '../helpers/ledger-entry.js';
import { recordItem } from '../../lambdas/ledger/ledger-items.js';
import { readUsage } from '../../lambdas/ledger/usage-reader.js';
import { embeddedTable, type EmbeddedTable } from '../helpers/embedded-table.js';

// The aggregator on its own (as the table's stream feeds it in AWS): counters from request records, exactly once per
// record whatever the deliveries — a batch delivered twice, a batch retried after a chunk failed, a redelivery that
// starts inside an applied range.
let db: EmbeddedTable;
beforeAll(async () => {
  db = await embeddedTable();
});
afterAll(() => db.close());

let ids = 0;
const entry = (tenant: string, over: Partial<LedgerEntry> = {}): LedgerEntry =>
  bookedEntry(`req_agg${String((ids += 1)).padStart(12, '0')}`, { tenant, ...over });

let seqs = 1_000;
/** Stream records of `count` entries, in sequence order; `keys` distinct keys spread the counters. */
const batch = (tenant: string, count: number, keys = 1): StreamInsert[] =>
  Array.from({ length: count }, (_, i) => ({
    seq: String((seqs += 7)),
    image: recordItem(entry(tenant, { keyId: `key_${i % keys}` })),
  }));

const totals = async (tenant: string) => {
  const rows = await readUsage(db.client(), db.table, tenant, '2026-11-27', '2026-11-27');
  return rows.reduce(
    (sum, r) => ({ requests: sum.requests + r.requests, tokens: sum.tokens + r.inputTokens + r.outputTokens }),
    { requests: 0, tokens: 0 },
  );
};

it('a stream batch delivered twice is applied once', async () => {
  const aggregator = new LedgerAggregator(db.client(), db.table);
  const records = batch('agg-twice', 30, 3);
  expect(await aggregator.apply('shard-twice', records)).toMatchObject({ applied: 30, skipped: 0 });
  expect(await aggregator.apply('shard-twice', records)).toMatchObject({ applied: 0, skipped: 30 });
  expect(await totals('agg-twice')).toEqual({ requests: 30, tokens: 450 });
});

it('a redelivery that starts inside the applied range applies only the records after it', async () => {
  const aggregator = new LedgerAggregator(db.client(), db.table);
  const records = batch('agg-overlap', 20);
  await aggregator.apply('shard-overlap', records.slice(0, 12));
  expect(await aggregator.apply('shard-overlap', records.slice(5))).toMatchObject({ applied: 8, skipped: 7 });
  expect(await totals('agg-overlap')).toEqual({ requests: 20, tokens: 300 });
});

it('a partially failed batch (its second transaction failed) retried is applied once', async () => {
  // 150 distinct counters: two transactions of at most 100 items (marker included).
  const records = batch('agg-partial', 150, 150);
  const client = db.client();
  let transactions = 0;
  const failing = Object.create(client) as DynamoDBClient;
  failing.send = ((command: unknown) => {
    if (command instanceof TransactWriteItemsCommand && (transactions += 1) === 2)
      return Promise.reject(new Error('the store went away'));
    return client.send(command as TransactWriteItemsCommand);
  }) as DynamoDBClient['send'];
  const failed = await new LedgerAggregator(failing, db.table)
    .apply('shard-partial', records)
    .catch((err: unknown) => err);
  expect(failed).toBeInstanceOf(AggregationFailed);
  const at = records.findIndex((r) => r.seq === (failed as AggregationFailed).seq);
  expect(at).toBe(99);
  expect((await totals('agg-partial')).requests).toBe(99);
  const retried = await new LedgerAggregator(db.client(), db.table).apply('shard-partial', records);
  expect(retried).toMatchObject({ applied: 51, skipped: 99 });
  expect(await totals('agg-partial')).toEqual({ requests: 150, tokens: 2_250 });
});

it('shards keep their own markers; items that are not request records are skipped', async () => {
  const aggregator = new LedgerAggregator(db.client(), db.table);
  const a = batch('agg-shards', 4);
  const b = batch('agg-shards', 4).map((r, i) => ({ ...r, seq: String(10 + i) })); // lower numbers, other shard
  await aggregator.apply('shard-a', a);
  const other = { seq: '999999', image: { pk: { S: 'REQ#x' }, sk: { S: 'STORED' } } };
  expect(await aggregator.apply('shard-b', [...b, other])).toMatchObject({ applied: 4, skipped: 1 });
  expect((await totals('agg-shards')).requests).toBe(8);
});

it('one alias answered by two upstream models (a fallback): a counter each, the alias total unchanged', async () => {
  const aggregator = new LedgerAggregator(db.client(), db.table);
  const models = ['gpt-4o-mini', 'claude-haiku-4-5', 'gpt-4o-mini', undefined];
  const records = models.map((model) => ({
    seq: String((seqs += 7)),
    image: recordItem(
      entry(
        'agg-models',
        model === undefined ? { model, usage: undefined, status: 502, costMicros: undefined } : { model },
      ),
    ),
  }));
  expect(await aggregator.apply('shard-models', records)).toMatchObject({ applied: 4, transactions: 1 });
  const rows = await readUsage(db.client(), db.table, 'agg-models', '2026-11-27', '2026-11-27');
  expect(rows.map((r) => [r.alias, r.model, r.requests, r.costMicros]).sort()).toEqual([
    ['fast', '', 1, 0],
    ['fast', 'claude-haiku-4-5', 1, 7],
    ['fast', 'gpt-4o-mini', 2, 14],
  ]);
  expect(await totals('agg-models')).toEqual({ requests: 4, tokens: 45 });
});
