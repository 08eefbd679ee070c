import {
  ConditionalCheckFailedException,
  PutItemCommand,
  TransactWriteItemsCommand,
  type DynamoDBClient,
} from '../aws-http/dynamodb.js';
import type { Settle } from '../quota/quota-settle.js';
import type { LedgerEntry } from './ledger-entry.js';
import { recordPut } from './ledger-items.js';

export { LEDGER_RETENTION_DAYS } from './ledger-items.js';

/** One request to book: its entry, and the quota reservation to settle with it. */
export interface Booking {
  readonly entry: LedgerEntry;
  readonly quota?: Settle | undefined;
}

/**
 * The usage ledger in the gateway table (items: ledger-items.ts):
 *   pk REQ#<id>            sk REQ                                        the request record (TTL: 400 days)
 *      gsi1pk LEDGER#<tenant>#<day>  gsi1sk <createdAt>#<id>            (a tenant's requests of a day, in order)
 *   pk USAGE#<tenant>      sk DAY#<day>#MODEL#<alias>#KEY#<keyId>        counters: requests, tokens, cost
 * A booking is ONE conditional PutItem of the record (absent → written; present → it was booked before, not again):
 * 1 write unit and 1 for its gsi1 copy. The counters and the quota settle are derived from the records by the
 * aggregator (aggregator.ts, fed by the table's stream; locally by the store front), exactly once per record.
 */
export class LedgerStore {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly table: string,
  ) {}

  /** Books one request; an entry already recorded (a retry) counts once. */
  async record(entry: LedgerEntry, quota?: Settle): Promise<void> {
    try {
      await this.client.send(new PutItemCommand(recordPut(this.table, entry, quota)));
    } catch (err) {
      // The record exists already (a retry): it was counted then, not again.
      if (err instanceof ConditionalCheckFailedException) return;
      throw err;
    }
  }

  /**
   * Books several requests as one transaction of their conditional puts (they share no item): all are written, or
   * none — a record already there (a retry) cancels it, and the caller books them one by one (record above).
   */
  async recordBatch(bookings: readonly Booking[]): Promise<void> {
    if (bookings.length === 1) return this.record(bookings[0]!.entry, bookings[0]!.quota);
    await this.client.send(
      new TransactWriteItemsCommand({
        TransactItems: bookings.map((b) => ({ Put: recordPut(this.table, b.entry, b.quota) })),
      }),
    );
  }
}

/** The most bookings the group commit (ledger-writer.ts) sends at once. */
export const MAX_BATCH_ITEMS = 100;

/** Counts the bookings of a growing batch, to stay within MAX_BATCH_ITEMS. */
export class BatchSizer {
  private records = 0;

  /** Adds the booking if the batch still has room; answers whether it did. */
  tryAdd(_booking: Booking): boolean {
    if (this.records >= MAX_BATCH_ITEMS) return false;
    this.records += 1;
    return true;
  }
}
