import { gunzipSync, gzipSync } from 'node:zlib';
import {
  ConditionalCheckFailedException,
  DeleteItemCommand,
  GetItemCommand,
  PutItemCommand,
  type DynamoDBClient,
} from '../aws-http/dynamodb.js';
import { n, s, type Item } from '../store/attributes.js';
import { itemBytes } from '../store/item-size.js';
import type { StoredResponse } from './stored-response.js';

const SK = 'RESPONSE';
const pk = (tenant: string, id: string): string => `RESP#${tenant}#${id}`;

/**
 * Stored responses in the gateway table. Layout: pk `RESP#<tenant>#<response id>`, sk `RESPONSE`; `record` the
 * StoredResponse as gzipped JSON (B), `keyId`, `createdAt`, `expiresAt` (the table's TTL attribute; an item past it
 * reads as absent even before DynamoDB deletes it). The tenant is in the key: another tenant's id is simply not there.
 */
export class ResponseStore {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly table: string,
    private readonly now: () => number = Date.now,
  ) {}

  /** Stores the response; resolves with the item's size as DynamoDB bills it (an estimate: store/item-size.ts). */
  async put(tenant: string, keyId: string, stored: StoredResponse, ttlSeconds: number): Promise<number> {
    const at = this.now();
    const item: Item = {
      pk: s(pk(tenant, stored.response.id)),
      sk: s(SK),
      keyId: s(keyId),
      createdAt: s(new Date(at).toISOString()),
      expiresAt: n(Math.floor(at / 1000) + ttlSeconds),
      record: { B: gzipSync(JSON.stringify(stored)) },
    };
    await this.client.send(new PutItemCommand({ TableName: this.table, Item: item }));
    return itemBytes(item);
  }

  async get(tenant: string, id: string): Promise<StoredResponse | undefined> {
    const { Item } = await this.client.send(
      new GetItemCommand({ TableName: this.table, Key: { pk: s(pk(tenant, id)), sk: s(SK) }, ConsistentRead: true }),
    );
    const record = Item?.record?.B;
    const expiresAt = Number(Item?.expiresAt?.N ?? 0);
    if (record === undefined || expiresAt * 1000 <= this.now()) return undefined;
    return JSON.parse(gunzipSync(record).toString('utf8')) as StoredResponse;
  }

  /** False when there was nothing (live) to delete. */
  async delete(tenant: string, id: string): Promise<boolean> {
    try {
      await this.client.send(
        new DeleteItemCommand({
          TableName: this.table,
          Key: { pk: s(pk(tenant, id)), sk: s(SK) },
          ConditionExpression: 'attribute_exists(pk) AND expiresAt > :now',
          ExpressionAttributeValues: { ':now': n(Math.floor(this.now() / 1000)) },
        }),
      );
      return true;
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) return false;
      throw err;
    }
  }
}
