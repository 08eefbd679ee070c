import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  TransactionCanceledException,
  TransactWriteItemsCommand,
  type DynamoDBClient,
  type TransactWriteItem,
} from '@aws-sdk/client-dynamodb';
import { settleUpdates, type Settle } from '../quota/quota-settle.js';
import type { LedgerEntry } from './ledger-entry.js';
import { counterId, counterOf, counterUpdate, mergeCounters, recordPut } from './ledger-items.js';

export { LEDGER_RETENTION_DAYS } from './ledger-items.js';

/** One request to book: its entry, and the quota reservation to settle with it. */
export interface Booking {
  readonly entry: LedgerEntry;
  readonly quota?: Settle | undefined;
}

/** Cancellation reasons that say "try again" (another transaction held an item, or capacity), not "refused". */
const TRANSIENT = new Set(['TransactionConflict', 'ThrottlingError', 'ProvisionedThroughputExceeded']);
const MAX_TRANSIENT_RETRIES = 6;

const isTransient = (err: TransactionCanceledException): boolean =>
  (err.CancellationReasons ?? []).some((r) => TRANSIENT.has(r.Code ?? ''));
const isRefusal = (err: TransactionCanceledException, index: number): boolean =>
  err.CancellationReasons?.[index]?.Code === 'ConditionalCheckFailed';

/**
 * The usage ledger in the gateway table (items: ledger-items.ts):
 *   pk REQ#<id>            sk REQ                                        the request record (TTL: 400 days)
 *      gsi1pk LEDGER#<tenant>#<day>  gsi1sk <createdAt>#<id>            (a tenant's requests of a day, in order)
 *   pk USAGE#<tenant>      sk DAY#<day>#MODEL#<alias>#KEY#<keyId>        counters: requests, tokens, cost
 * A booking is ONE TransactWriteItems: the record (conditional on its absence, so an entry never counts twice), its
 * counter, and the settle of its quota reservation (quota-settle.ts) — the quota totals change exactly when the
 * ledger does. `recordBatch` books several requests in one transaction, counters and quota items merged.
 * Transactions that meet a concurrent one on an item (TransactionConflict) or throttling are retried with jittered
 * backoff, under a fresh ClientRequestToken (the record's condition still makes a retry count once).
 */
export class LedgerStore {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly table: string,
  ) {}

  /** Books one request; an entry already recorded (a retry) counts once. */
  async record(entry: LedgerEntry, quota?: Settle): Promise<void> {
    const released = new Set<string>();
    // At most one more try per quota scope: a reservation bucket found released (the request outlived its expiry).
    for (let round = 0; ; round++) {
      const settle = quota === undefined ? { items: [], pks: [] } : settleUpdates(this.table, [quota], released);
      try {
        await this.transact(
          [recordPut(this.table, entry), counterUpdate(this.table, counterOf(entry)), ...settle.items],
          entry.id,
          round,
        );
        return;
      } catch (err) {
        if (!(err instanceof TransactionCanceledException)) throw err;
        // The record exists already (a retry after the token's 10-minute window): it was counted then, not again.
        if (isRefusal(err, 0)) return;
        const gone = settle.pks.filter((pk, i) => isRefusal(err, 2 + i) && !released.has(pk));
        if (gone.length === 0) throw err;
        gone.forEach((pk) => released.add(pk));
      }
    }
  }

  /**
   * Books several requests in ONE transaction (at most `MAX_BATCH_ITEMS` items: see `batchItemCount`). Throws when
   * it is refused as a whole (a record already there, a reservation released): the caller then books each alone.
   */
  async recordBatch(bookings: readonly Booking[]): Promise<void> {
    const settles = bookings.flatMap((b) => (b.quota === undefined ? [] : [b.quota]));
    const items = [
      ...bookings.map((b) => recordPut(this.table, b.entry)),
      ...mergeCounters(bookings.map((b) => counterOf(b.entry))).map((counter) => counterUpdate(this.table, counter)),
      ...settleUpdates(this.table, settles).items,
    ];
    if (items.length > MAX_BATCH_ITEMS)
      throw new RangeError(`a batch of ${items.length} items is over ${MAX_BATCH_ITEMS}`);
    const id = `b_${createHash('sha256')
      .update(bookings.map((b) => b.entry.id).join(','))
      .digest('base64url')
      .slice(0, 30)}`;
    await this.transact(items, id, 0);
  }

  private async transact(items: TransactWriteItem[], id: string, round: number): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      // Each try has its own token: the same token with other items is refused (IdempotentParameterMismatch), and a
      // cancelled try may be repeated with the same items only under a new one.
      const n = round * (MAX_TRANSIENT_RETRIES + 1) + attempt;
      try {
        await this.client.send(
          new TransactWriteItemsCommand({
            ClientRequestToken: n === 0 ? id.slice(0, 36) : `${id.slice(0, 32)}.${n}`,
            TransactItems: items,
          }),
        );
        return;
      } catch (err) {
        if (!(err instanceof TransactionCanceledException) || !isTransient(err) || attempt >= MAX_TRANSIENT_RETRIES)
          throw err;
        await sleep(Math.random() * Math.min(200, 10 * 2 ** attempt));
      }
    }
  }
}

/** DynamoDB's limit of items in one transaction. */
export const MAX_BATCH_ITEMS = 100;

/** Counts the items a growing batch takes (records + distinct counters + distinct quota items), to stay within a transaction. */
export class BatchSizer {
  private records = 0;
  private readonly counters = new Set<string>();
  private readonly quotas = new Set<string>();

  /** Adds the booking if the batch still fits one transaction with it; answers whether it did. */
  tryAdd(booking: Booking): boolean {
    const counter = counterId(counterOf(booking.entry));
    const quota = booking.quota;
    const quotaIds =
      quota === undefined
        ? []
        : quota.reservation.scopes.map((scope) => `${scope.pk}|${quota.reservation.period.month}`);
    const size =
      this.records +
      1 +
      this.counters.size +
      (this.counters.has(counter) ? 0 : 1) +
      this.quotas.size +
      quotaIds.filter((id) => !this.quotas.has(id)).length;
    if (this.records > 0 && size > MAX_BATCH_ITEMS) return false;
    this.records += 1;
    this.counters.add(counter);
    quotaIds.forEach((id) => this.quotas.add(id));
    return true;
  }
}
