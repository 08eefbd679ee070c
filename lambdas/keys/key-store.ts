import {
  ConditionalCheckFailedException,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  UpdateItemCommand,
  type DynamoDBClient,
} from '../aws-http/dynamodb.js';
import { SCOPES, type Scope } from '../api/scopes.js';
import { compact, readString, readStrings, requireString, s, strings, type Item } from '../store/attributes.js';
import type { KeyRecord, KeyStatus } from './key-record.js';

/**
 * Keys in the gateway table. One item per key, found three ways:
 *   pk  KEY#<sha256>      sk  KEY   — the authorizer's lookup by hash (one GetItem, no scan)
 *   gsi1pk KEYID#<id>     gsi1sk KEY — admin lookup by id
 *   gsi2pk KEYS           gsi2sk <tenant>#<id> — admin listing, all or per tenant
 * The key's own expiry is `keyExpiresAt`: `expiresAt` is the table's TTL attribute, and an expired key stays
 * listed (as expired) rather than vanishing.
 */
const SK = 'KEY';
const isScope = (value: string): value is Scope => (SCOPES as readonly string[]).includes(value);
const isStatus = (value: string): value is KeyStatus =>
  value === 'active' || value === 'revoked' || value === 'rotated';

function toItem(record: KeyRecord): Item {
  return compact({
    pk: s(`KEY#${record.hash}`),
    sk: s(SK),
    gsi1pk: s(`KEYID#${record.id}`),
    gsi1sk: s(SK),
    gsi2pk: s('KEYS'),
    gsi2sk: s(`${record.tenant}#${record.id}`),
    id: s(record.id),
    tenant: s(record.tenant),
    name: s(record.name),
    plan: s(record.plan),
    models: record.models === null ? undefined : strings(record.models),
    scopes: strings(record.scopes),
    status: s(record.status),
    last4: s(record.last4),
    usageKey: s(record.usageKey),
    createdAt: s(record.createdAt),
    lastUsedAt: record.lastUsedAt === null ? undefined : s(record.lastUsedAt),
    keyExpiresAt: record.expiresAt === null ? undefined : s(record.expiresAt),
    rotatedFrom: record.rotatedFrom === null ? undefined : s(record.rotatedFrom),
    rotatedTo: record.rotatedTo === null ? undefined : s(record.rotatedTo),
    graceUntil: record.graceUntil === null ? undefined : s(record.graceUntil),
    labels: Object.keys(record.labels).length === 0 ? undefined : s(JSON.stringify(record.labels)),
  });
}

function fromItem(item: Item): KeyRecord {
  const status = requireString(item, 'status');
  if (!isStatus(status)) throw new Error(`stored key has an unknown status`);
  return {
    hash: requireString(item, 'pk').slice('KEY#'.length),
    id: requireString(item, 'id'),
    tenant: requireString(item, 'tenant'),
    name: requireString(item, 'name'),
    plan: requireString(item, 'plan'),
    models: readStrings(item, 'models') ?? null,
    scopes: (readStrings(item, 'scopes') ?? []).filter(isScope),
    status,
    last4: requireString(item, 'last4'),
    usageKey: requireString(item, 'usageKey'),
    createdAt: requireString(item, 'createdAt'),
    lastUsedAt: readString(item, 'lastUsedAt') ?? null,
    expiresAt: readString(item, 'keyExpiresAt') ?? null,
    rotatedFrom: readString(item, 'rotatedFrom') ?? null,
    rotatedTo: readString(item, 'rotatedTo') ?? null,
    graceUntil: readString(item, 'graceUntil') ?? null,
    labels: labelsOf(readString(item, 'labels')),
  };
}

/** Labels are stored as a JSON object of strings; a key stored before labels has none. */
function labelsOf(text: string | undefined): Record<string, string> {
  if (text === undefined) return {};
  const parsed: unknown = JSON.parse(text);
  if (typeof parsed !== 'object' || parsed === null) return {};
  return Object.fromEntries(
    Object.entries(parsed).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
  );
}

export class KeyStore {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly table: string,
  ) {}

  /** Stores a new key; refuses to overwrite one with the same hash. */
  async create(record: KeyRecord): Promise<void> {
    await this.client.send(
      new PutItemCommand({
        TableName: this.table,
        Item: toItem(record),
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  /** The authorizer's lookup: one strongly consistent GetItem, so a revocation counts at once. */
  async findByHash(hash: string): Promise<KeyRecord | undefined> {
    const out = await this.client.send(
      new GetItemCommand({ TableName: this.table, Key: { pk: s(`KEY#${hash}`), sk: s(SK) }, ConsistentRead: true }),
    );
    return out.Item === undefined ? undefined : fromItem(out.Item);
  }

  async findById(id: string): Promise<KeyRecord | undefined> {
    const out = await this.client.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :pk AND gsi1sk = :sk',
        ExpressionAttributeValues: { ':pk': s(`KEYID#${id}`), ':sk': s(SK) },
      }),
    );
    const item = out.Items?.[0];
    return item === undefined ? undefined : fromItem(item);
  }

  /** Every key, or one tenant's, in tenant then id order (pages through the index). */
  async list(tenant?: string): Promise<KeyRecord[]> {
    const records: KeyRecord[] = [];
    for await (const items of this.listing(tenant)) records.push(...items.map(fromItem));
    return records;
  }

  /**
   * Every tenant that has a key (revoked and expired keys stay listed, so a tenant with past usage stays too), distinct
   * and in order: the key listing, reading only the tenant of each key.
   */
  async tenants(): Promise<string[]> {
    const tenants = new Set<string>();
    for await (const items of this.listing(undefined, 'tenant'))
      for (const item of items) tenants.add(requireString(item, 'tenant'));
    return [...tenants].sort();
  }

  /** The pages of the key listing (gsi2), all keys or one tenant's, optionally only some attributes. */
  private async *listing(tenant: string | undefined, projection?: string): AsyncGenerator<Item[]> {
    let start: Item | undefined;
    do {
      const out = await this.client.send(
        new QueryCommand({
          TableName: this.table,
          IndexName: 'gsi2',
          KeyConditionExpression:
            tenant === undefined ? 'gsi2pk = :pk' : 'gsi2pk = :pk AND begins_with(gsi2sk, :tenant)',
          ExpressionAttributeValues: {
            ':pk': s('KEYS'),
            ...(tenant === undefined ? {} : { ':tenant': s(`${tenant}#`) }),
          },
          ...(projection === undefined ? {} : { ProjectionExpression: projection }),
          ...(start === undefined ? {} : { ExclusiveStartKey: start }),
        }),
      );
      yield out.Items ?? [];
      start = out.LastEvaluatedKey;
    } while (start !== undefined);
  }

  /** Marks an active key as rotated: it keeps working until `graceUntil`. False when the key was not active. */
  async markRotated(hash: string, rotatedTo: string, graceUntil: string): Promise<boolean> {
    try {
      await this.client.send(
        new UpdateItemCommand({
          TableName: this.table,
          Key: { pk: s(`KEY#${hash}`), sk: s(SK) },
          UpdateExpression: 'SET #status = :rotated, rotatedTo = :to, graceUntil = :grace',
          ConditionExpression: '#status = :active',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':rotated': s('rotated'),
            ':active': s('active'),
            ':to': s(rotatedTo),
            ':grace': s(graceUntil),
          },
        }),
      );
      return true;
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) return false;
      throw err;
    }
  }

  /** Revokes a key, active or inside a rotation grace period. */
  async revoke(hash: string): Promise<void> {
    await this.client.send(
      new UpdateItemCommand({
        TableName: this.table,
        Key: { pk: s(`KEY#${hash}`), sk: s(SK) },
        UpdateExpression: 'SET #status = :revoked',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':revoked': s('revoked') },
      }),
    );
  }

  /**
   * Stamps lastUsedAt, at most once per `resolutionMs` per key (the condition makes a busy key cost one write a
   * minute, not one per authorization).
   */
  async touch(hash: string, now: Date, resolutionMs = 60_000): Promise<void> {
    try {
      await this.client.send(
        new UpdateItemCommand({
          TableName: this.table,
          Key: { pk: s(`KEY#${hash}`), sk: s(SK) },
          UpdateExpression: 'SET lastUsedAt = :now',
          ConditionExpression: 'attribute_exists(pk) AND (attribute_not_exists(lastUsedAt) OR lastUsedAt < :before)',
          ExpressionAttributeValues: {
            ':now': s(now.toISOString()),
            ':before': s(new Date(now.getTime() - resolutionMs).toISOString()),
          },
        }),
      );
    } catch (err) {
      if (!(err instanceof ConditionalCheckFailedException)) throw err;
    }
  }
}
