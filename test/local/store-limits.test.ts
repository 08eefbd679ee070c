import {
  DynamoDBClient,
  PutItemCommand,
  ThrottlingException,
  TransactionCanceledException,
  TransactionConflictException,
  TransactWriteItemsCommand,
  UpdateItemCommand,
  type TransactWriteItem,
} from '@aws-sdk/client-dynamodb';
import { ensureTables } from '../../local/store.js';
import { startTransactFront, type TransactFront } from '../../local/transact-front.js';
import { DynamoLimits, limitsFromEnv } from '../../local/transact/dynamo-limits.js';
import { gatewayTable, tables } from '../../lambdas/store/tables.js';
import { tempDir } from '../helpers/tmp.js';

// The opt-in DynamoDB limits of the local front (local/transact/dynamo-limits.ts), on an injected clock: a partition
// key value takes 1,000 write units a second, a running transaction holds its items.
const TableName = gatewayTable.id;
const dir = tempDir('store-limits');
let now = Date.parse('2026-12-07T00:00:00.000Z');
const limits = new DynamoLimits({ now: () => now });
let front: TransactFront;
let client: DynamoDBClient;

beforeAll(async () => {
  front = await startTransactFront(dir.path + '/db', { limits, stream: false });
  client = new DynamoDBClient({
    endpoint: front.endpoint,
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  await ensureTables(client, tables);
});
afterAll(async () => {
  client.destroy();
  await front.close();
  dir.remove();
});

/** ~9.5 KB: 10 write units. */
const BIG = 'x'.repeat(9_500);
const put = (pk: string, sk: string, extra: Record<string, { S: string }> = {}) =>
  client.send(new PutItemCommand({ TableName, Item: { pk: { S: pk }, sk: { S: sk }, body: { S: BIG }, ...extra } }));
const update = (pk: string) =>
  new UpdateItemCommand({
    TableName,
    Key: { pk: { S: pk }, sk: { S: 'x' } },
    UpdateExpression: 'ADD c :one',
    ExpressionAttributeValues: { ':one': { N: '1' } },
  });
const txUpdate = (pk: string): TransactWriteItem => ({
  Update: update(pk).input as NonNullable<TransactWriteItem['Update']>,
});
const transact = (...pks: string[]) => client.send(new TransactWriteItemsCommand({ TransactItems: pks.map(txUpdate) }));

it('a partition key value over 1,000 write units in a second is throttled as DynamoDB throttles a hot key', async () => {
  now += 10_000;
  for (let i = 0; i < 100; i++) await put('HOT#one', `s${i}`); // 100 × 10 units
  const err = await put('HOT#one', 's100').catch((e: unknown) => e);
  expect(err).toBeInstanceOf(ThrottlingException);
  expect((err as ThrottlingException).throttlingReasons?.[0]?.reason).toBe('TableWriteKeyRangeThroughputExceeded');
  now += 1_000; // the next second
  await put('HOT#one', 's100');
});

it('the same writes spread over keys are not throttled', async () => {
  now += 10_000;
  for (let i = 0; i < 300; i++) await put(`SPREAD#${i % 10}`, `s${i}`); // 3,000 units, 300 per key
  expect(limits.stats.busiest.units).toBeGreaterThanOrEqual(300);
});

it("a GSI copy counts against the GSI key's partition", async () => {
  now += 10_000;
  for (let i = 0; i < 100; i++) await put(`IDX#${i}`, 'x', { gsi1pk: { S: 'LEDGER#hot' }, gsi1sk: { S: `${i}` } });
  const err = await put('IDX#100', 'x', { gsi1pk: { S: 'LEDGER#hot' }, gsi1sk: { S: '100' } }).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(ThrottlingException);
  expect((err as ThrottlingException).throttlingReasons?.[0]?.reason).toBe('IndexWriteKeyRangeThroughputExceeded');
});

it('two overlapping transactions on one item: the second is cancelled with TransactionConflict', async () => {
  now += 10_000;
  await transact('TX#a', 'TX#b');
  now += 1; // the first still runs (it holds its items for a few ms)
  const err = await transact('TX#c', 'TX#b').catch((e: unknown) => e);
  expect(err).toBeInstanceOf(TransactionCanceledException);
  expect((err as TransactionCanceledException).CancellationReasons?.map((r) => r.Code)).toEqual([
    'None',
    'TransactionConflict',
  ]);
  now += limits.transactionMs;
  await transact('TX#c', 'TX#b');
});

it('a PutItem or UpdateItem on an item inside a running transaction fails with TransactionConflictException', async () => {
  now += 10_000;
  await transact('TXW#a');
  await expect(client.send(update('TXW#a'))).rejects.toBeInstanceOf(TransactionConflictException);
  await expect(put('TXW#a', 'x')).rejects.toBeInstanceOf(TransactionConflictException);
  await client.send(update('TXW#other'));
  now += limits.transactionMs;
  await client.send(update('TXW#a'));
});

it('a transaction over a partition’s rate is cancelled with ThrottlingError on that item (2 units per KB)', async () => {
  now += 10_000;
  for (let i = 0; i < 50; i++) await put('TXT#hot', `s${i}`); // 500 units
  await client.send(
    new PutItemCommand({ TableName, Item: { pk: { S: 'TXT#hot' }, sk: { S: 'x' }, body: { S: BIG } } }),
  ); // 510
  // Updating the 10-unit item in a transaction costs 20; 25 of them pass 1,000.
  for (let i = 0; i < 24; i++) {
    now += limits.transactionMs;
    await transact('TXT#hot');
  }
  now += limits.transactionMs;
  const err = await transact('TXT#cold', 'TXT#hot').catch((e: unknown) => e);
  expect((err as TransactionCanceledException).CancellationReasons?.map((r) => r.Code)).toEqual([
    'None',
    'ThrottlingError',
  ]);
});

it('GATEWAY_STORE_LIMITS=dynamodb turns the limits on; unset or off leaves them off; anything else is refused', () => {
  expect(limitsFromEnv({ GATEWAY_STORE_LIMITS: 'dynamodb' })).toBeInstanceOf(DynamoLimits);
  expect(limitsFromEnv({})).toBeUndefined();
  expect(limitsFromEnv({ GATEWAY_STORE_LIMITS: 'off' })).toBeUndefined();
  expect(() => limitsFromEnv({ GATEWAY_STORE_LIMITS: 'aws' })).toThrow(/GATEWAY_STORE_LIMITS/);
});
