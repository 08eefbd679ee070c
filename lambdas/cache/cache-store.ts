import { GetItemCommand, PutItemCommand, type DynamoDBClient } from '../aws-http/dynamodb.js';
import { n, s } from '../store/attributes.js';
import { onClient } from '../store/client.js';
import { cacheNow } from './cache-clock.js';
import { MAX_ENTRY_BYTES, packEntry, unpackEntry, type CacheEntry, type CachedAnswer } from './cache-entry.js';

const SK = 'CACHE';
const pk = (scope: string, hash: string): string => `CACHE#${scope}#${hash}`;

/** Where an entry is: its scope (`t:<tenant>` or `ns:<namespace>`) and its key's hash. */
export interface EntryAddress {
  readonly scope: string;
  readonly hash: string;
}

/**
 * Cached answers in the gateway table. Layout: pk `CACHE#<scope>#<sha256>`, sk `CACHE`; `entry` the CachedAnswer as
 * gzipped JSON (B), `storedAt` (epoch ms), `expiresAt` (the table's TTL attribute, epoch s). DynamoDB deletes expired
 * items late (within days), so a read checks the expiry itself, and also the alias's TTL as configured now (a TTL
 * shortened since the entry was stored applies at once).
 */
export class CacheStore {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly table: string,
    private readonly now: () => number = cacheNow,
  ) {}

  /** False when the entry is over MAX_ENTRY_BYTES (not stored). */
  async put(at: EntryAddress, answer: CachedAnswer, ttlSeconds: number): Promise<boolean> {
    const packed = packEntry(answer);
    if (packed.byteLength > MAX_ENTRY_BYTES) return false;
    const storedAt = this.now();
    await this.client.send(
      new PutItemCommand({
        TableName: this.table,
        Item: {
          pk: s(pk(at.scope, at.hash)),
          sk: s(SK),
          storedAt: n(storedAt),
          expiresAt: n(Math.floor(storedAt / 1000) + ttlSeconds),
          entry: { B: packed },
        },
      }),
    );
    return true;
  }

  /** The live entry at `at`, or undefined (none, expired, or older than `ttlSeconds`). */
  async get(at: EntryAddress, ttlSeconds: number): Promise<CacheEntry | undefined> {
    const { Item } = await this.client.send(
      new GetItemCommand({ TableName: this.table, Key: { pk: s(pk(at.scope, at.hash)), sk: s(SK) } }),
    );
    const bytes = Item?.entry?.B;
    const storedAt = Number(Item?.storedAt?.N ?? 0);
    const expiresAt = Number(Item?.expiresAt?.N ?? 0) * 1000;
    const now = this.now();
    if (bytes === undefined || now >= Math.min(expiresAt, storedAt + ttlSeconds * 1000)) return undefined;
    return { answer: unpackEntry(bytes), storedAt };
  }
}

/** This process's cache store, on the current DynamoDB client. */
export const cacheStore = onClient((client, table) => new CacheStore(client, table));
