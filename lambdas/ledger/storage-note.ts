import { TransactionCanceledException, TransactWriteItemsCommand, type DynamoDBClient } from '../aws-http/dynamodb.js';
import { n, s } from '../store/attributes.js';
import { onClient } from '../store/client.js';
import { writeUnitsOf } from '../store/item-size.js';
import { counterUpdate, LEDGER_RETENTION_DAYS } from './ledger-items.js';

/**
 * What a request's stored response (POST /v1/responses with `store`) costs in DynamoDB, as estimates priced with
 * on-demand us-east-1 rates (2026-12): $1.25 per million write request units; storage $0.25 per GB-month, for as long
 * as the item lives (its TTL, `responses.storeTtlSeconds`, or until DELETE). Reads (previous_response_id, GET) are not
 * counted.
 */
export const WRITE_USD_PER_MILLION_UNITS = 1.25;
export const STORAGE_USD_PER_GB_MONTH = 0.25;

export interface StorageNote {
  readonly ledgerId: string;
  readonly tenant: string;
  readonly keyId: string;
  /** The key's plan (the day's counter carries it). */
  readonly plan: string;
  readonly alias: string;
  /** ISO 8601, UTC: the request's (its counter's day). */
  readonly createdAt: string;
  /** The stored item's size, estimated (store/item-size.ts). */
  readonly bytes: number;
}

/**
 * Notes on the request's books next to its record: `REQ#<id>` / `STORED` (storedBytes, storedWriteUnits; written
 * once), and the same ADDed to the request's day counter (storedResponses, storedBytes, storedWriteUnits) that
 * /v1/usage sums. One transaction; a note already there (a retry) counts once. Written after the item it describes,
 * so only what was stored is noted.
 */
export class StorageNotes {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly table: string,
  ) {}

  async note(note: StorageNote): Promise<void> {
    const writeUnits = writeUnitsOf(note.bytes);
    const counts = { storedResponses: 1, storedBytes: note.bytes, storedWriteUnits: writeUnits };
    const day = note.createdAt.slice(0, 10);
    try {
      await this.client.send(
        new TransactWriteItemsCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.table,
                ConditionExpression: 'attribute_not_exists(pk)',
                Item: {
                  pk: s(`REQ#${note.ledgerId}`),
                  sk: s('STORED'),
                  storedBytes: n(note.bytes),
                  storedWriteUnits: n(writeUnits),
                  createdAt: s(note.createdAt),
                  expiresAt: n(Math.floor(Date.parse(note.createdAt) / 1000) + LEDGER_RETENTION_DAYS * 86_400),
                },
              },
            },
            counterUpdate(this.table, {
              tenant: note.tenant,
              day,
              alias: note.alias,
              keyId: note.keyId,
              plan: note.plan,
              counts,
            }),
          ],
        }),
      );
    } catch (err) {
      const noted =
        err instanceof TransactionCanceledException && err.CancellationReasons?.[0]?.Code === 'ConditionalCheckFailed';
      if (!noted) throw err;
    }
  }
}

/** This process's storage notes, on the current DynamoDB client. */
export const storageNotes = onClient((client, table) => new StorageNotes(client, table));
