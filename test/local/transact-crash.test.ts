import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DynamoDBClient, GetItemCommand, TransactWriteItemsCommand } from '@aws-sdk/client-dynamodb';
import { ensureTables, startEmbeddedStore } from '../../local/store.js';
import { gatewayTable, tables } from '../../lambdas/store/tables.js';
import { tempDir } from '../helpers/tmp.js';

// A transaction of the local store is all-or-nothing across a crash too (local/transact/undo-log.ts): its
// before-images are on disk before its first write, and a transaction the process died inside is undone at the next
// start. (The whole gateway under SIGKILL: test/e2e/ledger-crash.test.ts.)
const TableName = gatewayTable.id;
const dir = tempDir('transact-crash');

const clientOf = (endpoint: string): DynamoDBClient =>
  new DynamoDBClient({
    endpoint,
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });

afterAll(() => dir.remove());

it('a transaction a previous run died inside is undone at start, from the undo log beside the data', async () => {
  const path = join(dir.path, 'undo-unit');
  // What a process killed inside a transaction leaves: a counter written, the record not, and the images before.
  const images = [
    { table: TableName, key: { pk: { S: 'U' }, sk: { S: 'REC' } } },
    {
      table: TableName,
      key: { pk: { S: 'U' }, sk: { S: 'COUNTER' } },
      old: { pk: { S: 'U' }, sk: { S: 'COUNTER' }, c: { N: '1' } },
    },
  ];
  const first = await startEmbeddedStore(path);
  const client = clientOf(first.endpoint);
  await ensureTables(client, tables);
  await client.send(
    new TransactWriteItemsCommand({
      TransactItems: [{ Put: { TableName, Item: { pk: { S: 'U' }, sk: { S: 'COUNTER' }, c: { N: '2' } } } }],
    }),
  );
  client.destroy();
  await first.close();
  expect(readFileSync(join(path, 'dynamodb.undo'), 'utf8')).toBe('');
  writeFileSync(join(path, 'dynamodb.undo'), `${JSON.stringify(images)}\n`);
  const second = await startEmbeddedStore(path);
  const after = clientOf(second.endpoint);
  const counter = await after.send(
    new GetItemCommand({ TableName, Key: { pk: { S: 'U' }, sk: { S: 'COUNTER' } }, ConsistentRead: true }),
  );
  after.destroy();
  await second.close();
  expect(counter.Item?.c).toEqual({ N: '1' });
  expect(existsSync(join(path, 'dynamodb.undo')) && readFileSync(join(path, 'dynamodb.undo'), 'utf8')).toBe('');
});
