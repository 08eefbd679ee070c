import type { Context, DynamoDBRecord } from 'aws-lambda';
import { handler } from '../../lambdas/handlers/ledger-aggregator.js';
import type { LedgerEntry } from '../../lambdas/ledger/ledger-entry.js';
import { bookedEntry } from '../helpers/ledger-entry.js';
import { recordItem } from '../../lambdas/ledger/ledger-items.js';
import { readUsage } from '../../lambdas/ledger/usage-reader.js';
import { closeDynamo, dynamo } from '../../lambdas/store/client.js';
import { gatewayTable, tables } from '../../lambdas/store/tables.js';
import { ensureTablesAt, startEmbeddedStore, type EmbeddedStore } from '../../local/store.js';
import { tempDir } from '../helpers/tmp.js';

// The Lambda handler on its stream event (a tumbling window's: it names the shard): request record inserts applied
// once; a batch without its shard is failed (Lambda retries it) rather than applied without the exactly-once marker.
const dir = tempDir('aggregator-handler');
let store: EmbeddedStore;
beforeAll(async () => {
  store = await startEmbeddedStore(dir.path);
  process.env.DYNAMODB_ENDPOINT = store.endpoint;
  await ensureTablesAt(store.endpoint, tables);
});
afterAll(async () => {
  closeDynamo();
  delete process.env.DYNAMODB_ENDPOINT;
  await store.close();
  dir.remove();
});

const context = { awsRequestId: 'agg-test' } as Context;
let ids = 0;
const entry = (): LedgerEntry =>
  bookedEntry(`req_handler${String((ids += 1)).padStart(10, '0')}`, { tenant: 'agg-handler', keyId: 'key_h' });

/** A stream record as Lambda delivers it (NEW_IMAGE, the image in DynamoDB JSON). */
const insert = (seq: number): DynamoDBRecord => ({
  eventName: 'INSERT',
  dynamodb: {
    SequenceNumber: String(seq),
    NewImage: JSON.parse(JSON.stringify(recordItem(entry()))) as NonNullable<DynamoDBRecord['dynamodb']>['NewImage'],
    StreamViewType: 'NEW_IMAGE',
  },
});

it('applies a windowed batch once, however often Lambda delivers it; a batch without its shard fails', async () => {
  const Records = [insert(100), insert(200), insert(300)];
  const event = { Records, shardId: 'shardId-00000001' };
  for (let delivery = 0; delivery < 2; delivery++)
    await expect(handler(event, context)).resolves.toEqual({ state: {}, batchItemFailures: [] });
  const rows = await readUsage(dynamo(), gatewayTable.id, 'agg-handler', '2026-11-27', '2026-11-27');
  expect(rows.map((r) => [r.requests, r.inputTokens, r.costMicros])).toEqual([[3, 30, 21]]);
  await expect(handler({ Records: [insert(400)] }, context)).rejects.toThrow(/shard/);
});
