import { appendFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DynamoDBClient, PutItemCommand } from '../../lambdas/aws-http/dynamodb.js';
import type { LedgerEntry } from '../../lambdas/ledger/ledger-entry.js';
import { bookedEntry } from '../helpers/ledger-entry.js';
import { recordItem } from '../../lambdas/ledger/ledger-items.js';
import { LedgerStore } from '../../lambdas/ledger/ledger-store.js';
import { readUsage } from '../../lambdas/ledger/usage-reader.js';
import { gatewayTable, tables } from '../../lambdas/store/tables.js';
import { ensureTablesAt, startEmbeddedStore } from '../../local/store.js';
import { SEQ_ATTR } from '../../local/transact/stream-feed.js';
import { tempDir } from '../helpers/tmp.js';

// The local stream (local/transact/stream-feed.ts): request records reach the aggregator before their PutItem is
// answered, and a record a killed process wrote but did not aggregate is aggregated at the next start, once.
const TableName = gatewayTable.id;
const dir = tempDir('stream-feed');
afterAll(() => dir.remove());

const clientOf = (endpoint: string): DynamoDBClient =>
  new DynamoDBClient({
    endpoint,
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });

let ids = 0;
const entry = (): LedgerEntry =>
  bookedEntry(`req_feed${String((ids += 1)).padStart(12, '0')}`, { tenant: 'feed', keyId: 'key_f' });

const requestsOf = async (client: DynamoDBClient): Promise<number> =>
  (await readUsage(client, TableName, 'feed', '2026-11-27', '2026-11-27')).reduce((sum, r) => sum + r.requests, 0);

it('a record written before a kill but not aggregated is aggregated at the next start; failed or missing puts are not', async () => {
  const path = join(dir.path, 'data');
  const first = await startEmbeddedStore(path);
  const client = clientOf(first.endpoint);
  await ensureTablesAt(first.endpoint, tables);
  await new LedgerStore(client, TableName).record(entry()); // aggregated before its answer
  expect(await requestsOf(client)).toBe(1);
  // What a kill between a record's put and its aggregation leaves: the item (with its sequence number) and its line.
  const killed = { ...recordItem(entry()), [SEQ_ATTR]: { S: '99999999999999999999' } };
  await client.send(new PutItemCommand({ TableName, Item: killed })); // unconditional: the stream does not carry it
  const failed = { ...recordItem(entry()), [SEQ_ATTR]: { S: '99999999999999999998' } };
  await client.send(new PutItemCommand({ TableName, Item: failed }));
  client.destroy();
  await first.close();
  const log = join(path, 'dynamodb.stream');
  expect(readFileSync(log, 'utf8')).toBe('');
  const line = (seq: string, item: object): string => `${JSON.stringify({ seq, table: TableName, item })}\n`;
  appendFileSync(log, line('99999999999999999999', killed));
  appendFileSync(log, line('99999999999999999997', failed)); // its put failed: the item carries another sequence number
  appendFileSync(log, line('99999999999999999996', recordItem(entry()))); // killed before its put: no item
  for (let restart = 0; restart < 2; restart++) {
    const next = await startEmbeddedStore(path);
    const after = clientOf(next.endpoint);
    expect(await requestsOf(after)).toBe(2);
    after.destroy();
    await next.close();
    expect(readFileSync(log, 'utf8')).toBe('');
    if (restart === 0) appendFileSync(log, line('99999999999999999999', killed)); // replayed again: the marker skips it
  }
});
