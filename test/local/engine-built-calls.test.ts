import { DynaliteEngine, EngineError } from '../../local/engine/dynalite-engine.js';
import { wireItem, type WireItem } from '../../local/transact/attribute-values.js';
import { tempDir } from '../helpers/tmp.js';

// engine.callBuilt (the fresh puts' BatchGetItem without dynalite's type pass) and engine.writeAbsent (their writes,
// without the type pass and putItem's read) against engine.call's BatchGetItem and BatchWriteItem (fully validated):
// for every item parsing accepts, the same outcome — written and read back alike (index entries too), or the same error.
const dir = tempDir('engine-built');
let engine: DynaliteEngine;
const TableName = 'built';

beforeAll(async () => {
  engine = DynaliteEngine.open(`${dir.path}/db`);
  await engine.call('CreateTable', {
    TableName,
    AttributeDefinitions: [
      { AttributeName: 'pk', AttributeType: 'S' },
      { AttributeName: 'sk', AttributeType: 'S' },
      { AttributeName: 'g', AttributeType: 'S' },
    ],
    KeySchema: [
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: [
      { IndexName: 'byg', KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } },
    ],
    BillingMode: 'PAY_PER_REQUEST',
  });
});
afterAll(async () => {
  await engine.close();
  dir.remove();
});

/** Attributes (besides the key) of items parsing accepts; some dynalite refuses. */
const variants: Record<string, WireItem> = {
  plain: { s: { S: 'x' }, n: { N: '12.5' }, b: { BOOL: true }, nul: { NULL: true } },
  indexed: { g: { S: 'in-the-index' } },
  binaries: { bin: { B: 'aGk=' }, bins: { BS: ['aGk=', 'aGo='] } },
  nested: { m: { M: { a: { L: [{ N: '1' }, { S: 'y' }, { M: {} }] } } } },
  sets: { ss: { SS: ['a', 'b'] }, ns: { NS: ['1', '2'] } },
  'bad number': { n: { N: 'abc' } },
  'huge number': { n: { N: '1e200' } },
  'empty set': { ss: { SS: [] } },
  'duplicate set members': { ns: { NS: ['1', '1.0'] } },
  'nested bad number': { m: { M: { a: { L: [{ N: '--1' }] } } } },
  'empty string value': { s: { S: '' } },
  'index key of the wrong type': { g: { N: '1' } },
  'too large': { big: { S: 'x'.repeat(400 * 1024) } },
};
const keys: Record<string, WireItem> = {
  key: { pk: { S: 'p' }, sk: { S: 's' } },
  'key of the wrong type': { pk: { N: '1' }, sk: { S: 's' } },
  'empty key': { pk: { S: '' }, sk: { S: 's' } },
  'missing range key': { pk: { S: 'p' } },
  'key too long': { pk: { S: 'k'.repeat(2049) }, sk: { S: 's' } },
};

type Outcome = { ok: Record<string, unknown> } | { status: number; body: Readonly<Record<string, unknown>> };
const outcome = (call: Promise<Record<string, unknown>>): Promise<Outcome> =>
  call.then(
    (ok) => ({ ok }),
    (err: unknown) => {
      if (!(err instanceof EngineError)) throw err;
      return { status: err.status, body: err.body };
    },
  );
const copy = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;
const read = (key: WireItem) => engine.call('GetItem', { TableName, Key: copy(key), ConsistentRead: true });
const readIndex = () =>
  engine.call('Query', {
    TableName,
    IndexName: 'byg',
    KeyConditionExpression: 'g = :g',
    ExpressionAttributeValues: { ':g': { S: 'in-the-index' } },
  });

describe('engine.callBuilt', () => {
  for (const [keyName, key] of Object.entries(keys)) {
    for (const [name, attributes] of Object.entries(variants)) {
      it(`BatchWriteItem, ${keyName}, ${name}: as validated`, async () => {
        const item = { ...key, ...attributes };
        const request = (it: WireItem) => ({ [TableName]: [{ PutRequest: { Item: it } }] });
        const validated = await outcome(engine.call('BatchWriteItem', { RequestItems: request(copy(item)) }));
        const images = async () => ({ item: await outcome(read(key)), index: await outcome(readIndex()) });
        const validatedImages = 'ok' in validated ? await images() : undefined;
        await engine.call('DeleteItem', { TableName, Key: copy(key) }).catch(() => undefined);
        const absent = await outcome(engine.writeAbsent(request(wireItem(copy(item)))).then(() => ({})));
        expect('ok' in absent ? { ok: { UnprocessedItems: {} } } : absent).toEqual(validated);
        if (validatedImages !== undefined) expect(await images()).toEqual(validatedImages);
        await engine.call('DeleteItem', { TableName, Key: copy(key) }).catch(() => undefined);
      });
    }
    it(`BatchGetItem, ${keyName}: as validated`, async () => {
      await engine.call('PutItem', { TableName, Item: { pk: { S: 'p' }, sk: { S: 's' }, v: { N: '1' } } });
      const request = (k: WireItem) => ({ RequestItems: { [TableName]: { Keys: [k], ConsistentRead: true } } });
      const validated = await outcome(engine.call('BatchGetItem', request(copy(key))));
      expect(await outcome(engine.callBuilt('BatchGetItem', request(wireItem(copy(key)))))).toEqual(validated);
    });
  }

  it('writeAbsent: an unknown table and two puts on one key are refused as validated', async () => {
    const item = { pk: { S: 'p' }, sk: { S: 'dup' } };
    for (const request of [
      { nope: [{ PutRequest: { Item: item } }] },
      { [TableName]: [{ PutRequest: { Item: item } }, { PutRequest: { Item: { ...item } } }] },
    ]) {
      const validated = await outcome(engine.call('BatchWriteItem', { RequestItems: copy(request) }));
      expect(validated).toMatchObject({ status: 400 });
      expect(await outcome(engine.writeAbsent(copy(request)).then(() => ({})))).toEqual(validated);
    }
    expect(await outcome(read(item))).toEqual({ ok: {} });
  });

  it('a bad number among keys is refused as validated', async () => {
    const key = { pk: { S: 'p' }, sk: { S: 's' }, extra: { N: 'x' } };
    const request = (k: WireItem) => ({ RequestItems: { [TableName]: { Keys: [k], ConsistentRead: true } } });
    const validated = await outcome(engine.call('BatchGetItem', request(copy(key))));
    expect(validated).toMatchObject({ status: 400 });
    expect(await outcome(engine.callBuilt('BatchGetItem', request(copy(key))))).toEqual(validated);
  });
});
