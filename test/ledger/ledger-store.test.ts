import { GetItemCommand } from '../../lambdas/aws-http/dynamodb.js';
import type { LedgerEntry } from '../../lambdas/ledger/ledger-entry.js';
import { LedgerStore } from '../../lambdas/ledger/ledger-store.js';
import { readUsage } from '../../lambdas/ledger/usage-reader.js';
import { costMicros } from '../../lambdas/usage/cost.js';
import { embeddedTable, type EmbeddedTable } from '../helpers/embedded-table.js';

// The ledger store on the embedded store (TransactWriteItems through the local front): one record and one counter
// update per entry, atomically; a retried write counts once; concurrent writers lose nothing.
let db: EmbeddedTable;
beforeAll(async () => {
  db = await embeddedTable();
});
afterAll(() => db.close());

let ids = 0;
const entry = (over: Partial<LedgerEntry> = {}): LedgerEntry => ({
  id: `req_test${String((ids += 1)).padStart(18, '0')}`,
  requestId: 'client-request-id',
  tenant: 'acme',
  keyId: 'key_a',
  plan: 'pro',
  alias: 'fast',
  provider: 'openai',
  model: 'gpt-4o-mini',
  status: 200,
  stream: false,
  usage: { inputTokens: 10_000, outputTokens: 500, cachedInputTokens: 8_000, cacheWriteTokens: 0 },
  estimated: false,
  costMicros: costMicros(
    { inputTokens: 10_000, outputTokens: 500, cachedInputTokens: 8_000, cacheWriteTokens: 0 },
    { input: 0.15, cachedInput: 0.075, output: 0.6 },
  ),
  attempts: 1,
  createdAt: '2026-11-26T10:00:00.000Z',
  ...over,
});

it('records the request and adds to the day/model/key counters, cost included (1,200 µ$)', async () => {
  const ledger = new LedgerStore(db.client(), db.table);
  const first = entry({ tenant: 't-one' });
  await ledger.record(first);
  const [row] = await readUsage(db.client(), db.table, 't-one', '2026-11-26', '2026-11-26');
  expect(row).toMatchObject({
    day: '2026-11-26',
    alias: 'fast',
    keyId: 'key_a',
    requests: 1,
    inputTokens: 10_000,
    cachedTokens: 8_000,
    outputTokens: 500,
    costMicros: 1_200,
  });
  const record = await db
    .client()
    .send(new GetItemCommand({ TableName: db.table, Key: { pk: { S: `REQ#${first.id}` }, sk: { S: 'REQ' } } }));
  expect(record.Item?.requestId).toEqual({ S: 'client-request-id' });
  expect(record.Item?.costMicros).toEqual({ N: '1200' });
});

it('the same entry written twice (a retry) counts once', async () => {
  const ledger = new LedgerStore(db.client(), db.table);
  const once = entry({ tenant: 't-retry' });
  await ledger.record(once);
  await ledger.record(once);
  await new LedgerStore(db.client(), db.table).record(once);
  const [row] = await readUsage(db.client(), db.table, 't-retry', '2026-11-26', '2026-11-26');
  expect([row?.requests, row?.costMicros]).toEqual([1, 1_200]);
});

it('concurrent writers from several clients: every entry counted exactly once', async () => {
  const clients = [db.client(), db.client(), db.client()];
  await Promise.all(
    Array.from({ length: 30 }, (_, i) =>
      new LedgerStore(clients[i % 3]!, db.table).record(entry({ tenant: 't-many' })),
    ),
  );
  const [row] = await readUsage(db.client(), db.table, 't-many', '2026-11-26', '2026-11-26');
  expect([row?.requests, row?.inputTokens, row?.costMicros]).toEqual([30, 300_000, 36_000]);
});

it('rows by day, model and key within the date range only; errors and unpriced requests counted', async () => {
  const ledger = new LedgerStore(db.client(), db.table);
  await ledger.record(entry({ tenant: 't-range', createdAt: '2026-11-01T00:00:00.000Z' }));
  await ledger.record(
    entry({
      tenant: 't-range',
      createdAt: '2026-11-02T23:59:59.999Z',
      alias: 'demo',
      keyId: 'key_b',
      costMicros: undefined,
    }),
  );
  await ledger.record(
    entry({
      tenant: 't-range',
      createdAt: '2026-11-03T00:00:00.000Z',
      status: 502,
      usage: undefined,
      costMicros: undefined,
    }),
  );
  const rows = await readUsage(db.client(), db.table, 't-range', '2026-11-02', '2026-11-03');
  expect(rows.map((r) => [r.day, r.alias, r.keyId, r.requests, r.errors, r.inputTokens])).toEqual([
    ['2026-11-02', 'demo', 'key_b', 1, 0, 10_000],
    ['2026-11-03', 'fast', 'key_a', 1, 1, 0],
  ]);
});
