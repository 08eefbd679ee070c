import {
  type DynamoDBClient,
  PutItemCommand,
  TransactWriteItemsCommand,
  type TransactWriteItem,
} from '../../lambdas/aws-http/dynamodb.js';
import type { LedgerEntry } from '../../lambdas/ledger/ledger-entry.js';
import { counterOf, mergeCounters, RECORD_LABEL_BYTES, recordLabels } from '../../lambdas/ledger/ledger-items.js';
import { LedgerStore } from '../../lambdas/ledger/ledger-store.js';
import { readUsage } from '../../lambdas/ledger/usage-reader.js';
import { QuotaStore } from '../../lambdas/quota/quota-store.js';
import type { QuotaScope } from '../../lambdas/quota/quota-scopes.js';
import type { Item } from '../../lambdas/store/attributes.js';
import { itemBytes, writeUnitsOf } from '../../lambdas/store/item-size.js';
import { embeddedTable, type EmbeddedTable } from '../helpers/embedded-table.js';

// What a booking costs in DynamoDB writes (issue 20): one conditional PutItem of the request record, under 1 KB, plus
// its gsi1 copy — 2 write units — with the counters derived from the records giving the same numbers as before.
let db: EmbeddedTable;
beforeAll(async () => {
  db = await embeddedTable();
});
afterAll(() => db.close());

const NOW = Date.parse('2026-11-27T10:00:00.000Z');
let ids = 0;
const entry = (tenant: string, over: Partial<LedgerEntry> = {}): LedgerEntry => ({
  id: `req_${String((ids += 1)).padStart(24, '0')}`,
  requestId: 'a-client-request-id-of-some-length-0123456789abcdef',
  tenant,
  keyId: 'key_0123456789abcdef01234567',
  plan: 'enterprise-plan',
  alias: 'a-rather-long-model-alias-name',
  provider: 'anthropic-production',
  model: 'claude-sonnet-4-5-20250929-with-a-long-suffix',
  status: 200,
  stream: true,
  usage: {
    inputTokens: 123_456,
    outputTokens: 65_432,
    cachedInputTokens: 100_000,
    cacheWriteTokens: 12_345,
    cacheWrite1hTokens: 2_345,
  },
  estimated: false,
  costMicros: 1_234_567,
  attempts: 3,
  cache: 'miss',
  createdAt: new Date(NOW).toISOString(),
  ...over,
});

/** The write units of the writes a client sends: a standard write per KB plus one per GSI key it carries; 2× per KB for a transaction's items. */
function watched(client: DynamoDBClient): { client: DynamoDBClient; units: () => number } {
  let units = 0;
  const gsiCopies = (item: Item): number => ['gsi1pk', 'gsi2pk'].filter((key) => item[key] !== undefined).length;
  const spy = Object.create(client) as DynamoDBClient;
  spy.send = ((command: unknown) => {
    if (command instanceof PutItemCommand) {
      const item = command.input.Item ?? {};
      units += writeUnitsOf(itemBytes(item)) * (1 + gsiCopies(item));
    }
    if (command instanceof TransactWriteItemsCommand)
      units += (command.input.TransactItems ?? []).reduce(
        (sum: number, op: TransactWriteItem) => sum + 2 * writeUnitsOf(itemBytes(op.Put?.Item ?? op.Update?.Key ?? {})),
        0,
      );
    return client.send(command as PutItemCommand);
  }) as DynamoDBClient['send'];
  return { client: spy, units: () => units };
}

it('a booking under two quota scopes is one conditional PutItem under 1 KB: 2 write units with its GSI copy', async () => {
  const quotas = new QuotaStore(db.client(), db.table, () => NOW);
  const scopes: QuotaScope[] = [
    { kind: 'tenant', pk: 'QUOTA#TENANT#writes-tenant-with-a-long-name', limits: { tokensPerMonth: 10_000_000 } },
    { kind: 'key', pk: 'QUOTA#KEY#key_0123456789abcdef01234567', limits: { usdPerMonth: 1_000 } },
  ];
  const { reservation } = await quotas.reserve(scopes, { tokens: 200_000, micros: 2_000_000 }, NOW + 120_000);
  const { client, units } = watched(db.client());
  await new LedgerStore(client, db.table).record(entry('writes-tenant-with-a-long-name'), {
    reservation,
    actual: { tokens: 188_888, micros: 1_234_567 },
  });
  expect(units()).toBeLessThanOrEqual(2);
});

it("a booking with a key's labels at their largest stays under 1 KB: the labels are capped, taken in name order", async () => {
  const quotas = new QuotaStore(db.client(), db.table, () => NOW);
  const scopes: QuotaScope[] = [
    { kind: 'tenant', pk: 'QUOTA#TENANT#writes-tenant-with-a-long-name', limits: { tokensPerMonth: 10_000_000 } },
    { kind: 'key', pk: 'QUOTA#KEY#key_0123456789abcdef01234567', limits: { usdPerMonth: 1_000 } },
  ];
  const { reservation } = await quotas.reserve(scopes, { tokens: 200_000, micros: 2_000_000 }, NOW + 120_000);
  // Ten labels of 128 characters (the most a key may have): ~1.4 KB as JSON.
  const labels = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`label-${i}`, 'v'.repeat(128)]));
  const { client, units } = watched(db.client());
  await new LedgerStore(client, db.table).record(entry('writes-tenant-with-a-long-name', { labels }), {
    reservation,
    actual: { tokens: 188_888, micros: 1_234_567 },
  });
  expect(units()).toBeLessThanOrEqual(2);
  const kept = recordLabels(labels);
  expect(Buffer.byteLength(kept ?? '')).toBeLessThanOrEqual(RECORD_LABEL_BYTES);
  expect(Object.keys(JSON.parse(kept ?? '{}') as object)).toEqual(['label-0']);
  expect(JSON.parse(recordLabels({ team: 'search', 'cost-centre': 'cc-42' }) ?? '{}')).toEqual({
    'cost-centre': 'cc-42',
    team: 'search',
  });
  expect(recordLabels({})).toBeUndefined();
});

it('counters from the records equal the counters of the entries, for a mixed workload (errors, cache, unpriced, days, keys)', async () => {
  const tenant = 'writes-mixed';
  const entries = Array.from({ length: 60 }, (_, i) =>
    entry(tenant, {
      keyId: `key_${i % 4}`,
      alias: i % 3 === 0 ? 'fast' : 'smart',
      createdAt: new Date(NOW + (i % 2) * 86_400_000).toISOString(),
      status: i % 7 === 0 ? 502 : 200,
      usage:
        i % 7 === 0 ? undefined : { inputTokens: i, outputTokens: 2 * i, cachedInputTokens: 0, cacheWriteTokens: i },
      costMicros: i % 5 === 0 ? undefined : 3 * i,
      estimated: i % 4 === 0,
      cache: i % 6 === 0 ? 'hit' : i % 6 === 1 ? 'miss' : undefined,
      savedMicros: i % 6 === 0 ? 11 : undefined,
    }),
  );
  const ledger = new LedgerStore(db.client(), db.table);
  await Promise.all(entries.map((e) => ledger.record(e)));
  const rows = await readUsage(db.client(), db.table, tenant, '2026-11-27', '2026-11-28');
  const expected = mergeCounters(entries.map(counterOf));
  expect(rows).toHaveLength(expected.length);
  for (const counter of expected) {
    const row = rows.find((r) => r.day === counter.day && r.alias === counter.alias && r.keyId === counter.keyId);
    expect(row).toMatchObject(counter.counts);
  }
});
