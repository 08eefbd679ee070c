import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { ensureTables, startEmbeddedStore, type EmbeddedStore } from '../../local/store.js';
import { gatewayTable, tables } from '../../lambdas/store/tables.js';
import { tempDir } from '../helpers/tmp.js';

// TransactWriteItems bodies as clients may write them (raw JSON: member order, binaries in any base64 spelling),
// through the front's fresh-put path (two or more puts conditional on absence: one BatchGetItem, one BatchWriteItem).
const TableName = gatewayTable.id;
const dir = tempDir('transact-raw');
let store: EmbeddedStore;
let client: DynamoDBClient;

beforeAll(async () => {
  store = await startEmbeddedStore(dir.path);
  client = new DynamoDBClient({
    endpoint: store.endpoint,
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  await ensureTables(client, tables);
});
afterAll(async () => {
  client.destroy();
  await store.close();
  dir.remove();
});

const transact = async (body: string): Promise<{ status: number; body: Record<string, unknown> }> => {
  const res = await fetch(store.endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'DynamoDB_20120810.TransactWriteItems' },
    body,
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};
const freshPut = (pk: string, extra = ''): string =>
  `{"Put":{"TableName":"${TableName}","Item":{"pk":{"S":"${pk}"},"sk":{"S":"x"}${extra}},"ConditionExpression":"attribute_not_exists(pk)"}}`;
const get = async (pk: string) =>
  (await client.send(new GetItemCommand({ TableName, Key: { pk: { S: pk }, sk: { S: 'x' } }, ConsistentRead: true })))
    .Item;

describe('raw TransactWriteItems bodies', () => {
  it('a bad number among fresh puts: ValidationException as dynalite words it, nothing written', async () => {
    const out = await transact(
      `{"TransactItems":[${freshPut('raw-a')},${freshPut('raw-b', ',"n":{"N":"abc"}')},${freshPut('raw-c')}]}`,
    );
    expect(out.status).toBe(400);
    expect(out.body).toEqual({
      __type: 'com.amazon.coral.validate#ValidationException',
      message: 'The parameter cannot be converted to a numeric value: abc',
    });
    expect(await get('raw-a')).toBeUndefined();
    expect(await get('raw-c')).toBeUndefined();
  });

  it('a fresh item over 400 KB is refused, nothing written', async () => {
    const big = `,"big":{"S":"${'x'.repeat(400 * 1024)}"}`;
    const out = await transact(`{"TransactItems":[${freshPut('raw-d')},${freshPut('raw-e', big)}]}`);
    expect(out).toEqual({
      status: 400,
      body: {
        __type: 'com.amazon.coral.validate#ValidationException',
        message: 'Item size has exceeded the maximum allowed size',
      },
    });
    expect(await get('raw-d')).toBeUndefined();
  });

  it('binaries are stored in canonical base64, as the SDK round trip stored them', async () => {
    const out = await transact(`{"TransactItems":[${freshPut('raw-f', ',"b":{"B":"aGk"}')},${freshPut('raw-g')}]}`);
    expect(out.status).toBe(200);
    expect((await get('raw-f'))?.b?.B).toEqual(new Uint8Array(Buffer.from('hi')));
  });

  it('a token replayed with its members in another order is the same request; a changed one is refused', async () => {
    const first = `{"ClientRequestToken":"raw-token","TransactItems":[${freshPut('raw-h', ',"n":{"N":"1"}')},${freshPut('raw-i')}]}`;
    expect((await transact(first)).status).toBe(200);
    const reordered =
      `{"TransactItems":[{"Put":{"ConditionExpression":"attribute_not_exists(pk)","Item":{"n":{"N":"1"},"sk":{"S":"x"},"pk":{"S":"raw-h"}},"TableName":"${TableName}"}},` +
      `{"Put":{"Item":{"sk":{"S":"x"},"pk":{"S":"raw-i"}},"ConditionExpression":"attribute_not_exists(pk)","TableName":"${TableName}"}}],"ClientRequestToken":"raw-token"}`;
    expect(await transact(reordered)).toEqual({ status: 200, body: {} });
    const changed = first.replace('"N":"1"', '"N":"2"');
    const refused = await transact(changed);
    expect(refused.status).toBe(400);
    expect(String(refused.body.__type)).toMatch(/IdempotentParameterMismatchException$/);
    expect((await get('raw-h'))?.n?.N).toBe('1');
  });
});
