import {
  DescribeTableCommand,
  DynamoDBClient,
  GetItemCommand,
  IdempotentParameterMismatchException,
  PutItemCommand,
  QueryCommand,
  TransactionCanceledException,
  TransactWriteItemsCommand,
  type TransactWriteItem,
} from '@aws-sdk/client-dynamodb';
import { ensureTables, startEmbeddedStore, type EmbeddedStore } from '../../local/store.js';
import { gatewayTable, tables } from '../../lambdas/store/tables.js';
import { tempDir } from '../helpers/tmp.js';

// TransactWriteItems through the front before dynalite (local/transact-front.ts), with the real SDK client.
const TableName = gatewayTable.id;
const dir = tempDir('transact-front');
let store: EmbeddedStore;
let client: DynamoDBClient;

const newClient = (endpoint: string): DynamoDBClient =>
  new DynamoDBClient({
    endpoint,
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 3,
  });

beforeAll(async () => {
  store = await startEmbeddedStore(dir.path);
  client = newClient(store.endpoint);
  await ensureTables(client, tables);
});
afterAll(async () => {
  client.destroy();
  await store.close();
  dir.remove();
});

const key = (pk: string, sk = 'x') => ({ pk: { S: pk }, sk: { S: sk } });

const get = async (pk: string, sk = 'x') =>
  (await client.send(new GetItemCommand({ TableName, Key: key(pk, sk), ConsistentRead: true }))).Item;

const counter = async (pk: string): Promise<number | undefined> => {
  const n = (await get(pk))?.c?.N;
  return n === undefined ? undefined : Number(n);
};

const put = (
  pk: string,
  attrs: Record<string, { S: string } | { N: string }> = {},
  condition = true,
): TransactWriteItem => ({
  Put: {
    TableName,
    Item: { ...key(pk), ...attrs },
    ...(condition ? { ConditionExpression: 'attribute_not_exists(pk)' } : {}),
  },
});

const add = (pk: string, by: number): TransactWriteItem => ({
  Update: {
    TableName,
    Key: key(pk),
    UpdateExpression: 'ADD c :by',
    ExpressionAttributeValues: { ':by': { N: String(by) } },
  },
});

const failing = (pk: string): TransactWriteItem => ({
  Update: {
    TableName,
    Key: key(pk),
    UpdateExpression: 'ADD c :by',
    ConditionExpression: 'attribute_exists(nope)',
    ExpressionAttributeValues: { ':by': { N: '1' } },
  },
});

const transact = (items: TransactWriteItem[], token?: string) =>
  client.send(new TransactWriteItemsCommand({ TransactItems: items, ...(token ? { ClientRequestToken: token } : {}) }));

const cancelled = async (items: TransactWriteItem[]): Promise<TransactionCanceledException> => {
  try {
    await transact(items);
  } catch (err) {
    if (err instanceof TransactionCanceledException) return err;
    throw err;
  }
  throw new Error('the transaction was not cancelled');
};

describe('TransactWriteItems through the transaction front', () => {
  it('applies a Put and two counter updates together', async () => {
    await transact([put('ledger#1', { amount: { N: '5' } }), add('counter#a', 5), add('counter#b', 1)]);
    expect((await get('ledger#1'))?.amount).toEqual({ N: '5' });
    expect(await counter('counter#a')).toBe(5);
    expect(await counter('counter#b')).toBe(1);
  });

  it('applies none of a transaction whose second condition fails, and says why per item', async () => {
    const err = await cancelled([put('ledger#2'), failing('counter#a'), add('counter#b', 1)]);
    expect(err.name).toBe('TransactionCanceledException');
    expect(err.message).toBe(
      'Transaction cancelled, please refer cancellation reasons for specific reasons [None, ConditionalCheckFailed, None]',
    );
    expect(err.$metadata.httpStatusCode).toBe(400);
    expect(err.CancellationReasons).toEqual([
      { Code: 'None' },
      { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed' },
      { Code: 'None' },
    ]);
    expect(await get('ledger#2')).toBeUndefined();
    expect(await counter('counter#a')).toBe(5);
    expect(await counter('counter#b')).toBe(1);
  });

  it('restores the old image of an overwritten or deleted item when cancelled', async () => {
    await client.send(new PutItemCommand({ TableName, Item: { ...key('restore#put'), v: { S: 'old' } } }));
    await client.send(new PutItemCommand({ TableName, Item: { ...key('restore#del'), v: { S: 'kept' } } }));
    const err = await cancelled([
      put('restore#put', { v: { S: 'new' } }, false),
      { Delete: { TableName, Key: key('restore#del') } },
      add('restore#new', 1),
      failing('counter#a'),
    ]);
    expect(err.CancellationReasons?.map((r) => r.Code)).toEqual(['None', 'None', 'None', 'ConditionalCheckFailed']);
    expect(await get('restore#put')).toEqual({ ...key('restore#put'), v: { S: 'old' } });
    expect(await get('restore#del')).toEqual({ ...key('restore#del'), v: { S: 'kept' } });
    expect(await get('restore#new')).toBeUndefined();
  });

  it('lists every failed condition and returns the old item on ALL_OLD', async () => {
    const err = await cancelled([
      put('ledger#1'),
      add('counter#b', 1),
      {
        Update: {
          TableName,
          Key: key('counter#a'),
          UpdateExpression: 'ADD c :one',
          ConditionExpression: 'c < :zero',
          ExpressionAttributeValues: { ':one': { N: '1' }, ':zero': { N: '0' } },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        },
      },
    ]);
    expect(err.CancellationReasons).toEqual([
      { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed' },
      { Code: 'None' },
      {
        Code: 'ConditionalCheckFailed',
        Message: 'The conditional request failed',
        Item: { ...key('counter#a'), c: { N: '5' } },
      },
    ]);
    expect(await counter('counter#b')).toBe(1);
  });

  it('checks a ConditionCheck without changing its item, present or absent', async () => {
    const check = (pk: string, expression: string, values?: Record<string, { N: string }>): TransactWriteItem => ({
      ConditionCheck: {
        TableName,
        Key: key(pk),
        ConditionExpression: expression,
        ...(values ? { ExpressionAttributeValues: values } : {}),
      },
    });
    await transact([
      check('counter#a', 'c = :five', { ':five': { N: '5' } }),
      check('absent#1', 'attribute_not_exists(pk)'),
      add('counter#b', 1),
    ]);
    expect(await get('counter#a')).toEqual({ ...key('counter#a'), c: { N: '5' } });
    expect(await get('absent#1')).toBeUndefined();
    expect(await counter('counter#b')).toBe(2);

    const err = await cancelled([add('counter#b', 1), check('absent#1', 'attribute_exists(pk)')]);
    expect(err.CancellationReasons?.map((r) => r.Code)).toEqual(['None', 'ConditionalCheckFailed']);
    expect(await counter('counter#b')).toBe(2);
    expect(await get('absent#1')).toBeUndefined();
  });

  it('applies a transaction once for a retried ClientRequestToken', async () => {
    const items = [put('ledger#tok', { amount: { N: '3' } }), add('counter#tok', 3)];
    await transact(items, 'token-0001');
    await transact(items, 'token-0001');
    await transact(items, 'token-0001');
    expect(await counter('counter#tok')).toBe(3);
    expect((await get('ledger#tok'))?.amount).toEqual({ N: '3' });
  });

  it('refuses the same token with a different request', async () => {
    await transact([add('counter#tok2', 1)], 'token-0002');
    await expect(transact([add('counter#tok2', 2)], 'token-0002')).rejects.toBeInstanceOf(
      IdempotentParameterMismatchException,
    );
    expect(await counter('counter#tok2')).toBe(1);
  });

  it('serializes concurrent transactions: a capped counter stops exactly at its cap', async () => {
    const capped = (): TransactWriteItem[] => [
      {
        Update: {
          TableName,
          Key: key('counter#cap'),
          UpdateExpression: 'ADD c :one',
          ConditionExpression: 'attribute_not_exists(c) OR c < :max',
          ExpressionAttributeValues: { ':one': { N: '1' }, ':max': { N: '10' } },
        },
      },
    ];
    const results = await Promise.allSettled(Array.from({ length: 20 }, () => transact(capped())));
    const ok = results.filter((r) => r.status === 'fulfilled').length;
    const refused = results.filter((r) => r.status === 'rejected' && r.reason instanceof TransactionCanceledException);
    expect(ok).toBe(10);
    expect(refused).toHaveLength(10);
    expect(await counter('counter#cap')).toBe(10);
  });

  it('rejects two items on one key and more than 100 items, like DynamoDB', async () => {
    await expect(transact([add('dup#1', 1), add('dup#1', 1)])).rejects.toMatchObject({
      name: 'ValidationException',
      message: 'Transaction request cannot include multiple operations on one item',
    });
    const many = Array.from({ length: 101 }, (_, i) => add(`many#${i}`, 1));
    await expect(transact(many)).rejects.toMatchObject({ name: 'ValidationException' });
    expect(await get('dup#1')).toBeUndefined();
    expect(await get('many#0')).toBeUndefined();
  });

  it('answers an error inside an item (a bad expression) and undoes the earlier items', async () => {
    await expect(
      transact([add('bad#1', 1), { Update: { TableName, Key: key('bad#2'), UpdateExpression: 'ADD c :missing' } }]),
    ).rejects.toMatchObject({ name: 'ValidationException' });
    expect(await get('bad#1')).toBeUndefined();
  });

  it('fresh puts (attribute_not_exists on the key) in bulk: all written, or none when one exists', async () => {
    const fresh = Array.from({ length: 30 }, (_, i) => put(`bulk-${i}`, { v: { N: String(i) } }));
    await client.send(new TransactWriteItemsCommand({ TransactItems: [...fresh, add('bulk-counter', 30)] }));
    expect((await get('bulk-29'))?.v).toEqual({ N: '29' });
    expect(await counter('bulk-counter')).toBe(30);
    const again = [put('bulk-new-1'), put('bulk-7'), put('bulk-new-2'), add('bulk-counter', 3)];
    const err = await cancelled(again);
    expect(err.CancellationReasons?.map((r) => r.Code)).toEqual(['None', 'ConditionalCheckFailed', 'None', 'None']);
    expect([await get('bulk-new-1'), await get('bulk-new-2'), await counter('bulk-counter')]).toEqual([
      undefined,
      undefined,
      30,
    ]);
  });

  it('forwards ordinary calls to dynalite', async () => {
    const described = await client.send(new DescribeTableCommand({ TableName }));
    expect(described.Table?.TableStatus).toBe('ACTIVE');
    await client.send(new PutItemCommand({ TableName, Item: { ...key('plain', 'a'), v: { S: '1' } } }));
    await client.send(new PutItemCommand({ TableName, Item: { ...key('plain', 'b'), v: { S: '2' } } }));
    await expect(
      client.send(
        new PutItemCommand({ TableName, Item: key('plain', 'a'), ConditionExpression: 'attribute_not_exists(pk)' }),
      ),
    ).rejects.toMatchObject({ name: 'ConditionalCheckFailedException' });
    expect((await get('plain', 'a'))?.v).toEqual({ S: '1' });
    const queried = await client.send(
      new QueryCommand({
        TableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': { S: 'plain' } },
      }),
    );
    expect(queried.Items?.map((item) => item.sk?.S)).toEqual(['a', 'b']);
  });
});

describe('closing the store', () => {
  const sockets = () =>
    process.getActiveResourcesInfo().filter((r) => r === 'TCPServerWrap' || r === 'TCPSocketWrap').length;

  it('leaves no server or socket open', async () => {
    const before = sockets();
    const own = tempDir('transact-front-close');
    const second = await startEmbeddedStore(own.path);
    const other = newClient(second.endpoint);
    await ensureTables(other, tables);
    await other.send(new TransactWriteItemsCommand({ TransactItems: [add('close#1', 1)] }));
    // The store serves from its own thread; after close, nothing answers and no socket of ours is left.
    expect((await fetch(second.endpoint)).status).toBe(200);
    other.destroy();
    await second.close();
    await new Promise((resolve) => setImmediate(resolve));
    expect(sockets()).toBe(before);
    await expect(fetch(second.endpoint)).rejects.toThrow();
    own.remove();
  });
});
