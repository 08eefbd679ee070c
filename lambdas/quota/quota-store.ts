import { setTimeout as sleep } from 'node:timers/promises';
import {
  ConditionalCheckFailedException,
  TransactionConflictException,
  type UpdateItemCommandOutput,
  type DynamoDBClient,
  GetItemCommand,
  UpdateItemCommand,
} from '../aws-http/dynamodb.js';
import { n, s, type Item } from '../store/attributes.js';
import { readQuotaItems, subItemCount, subItemPk, usageOf } from './quota-items.js';
import { bucketDay, expiredBuckets, periodOf, QUOTA_ATTR, type QuotaPeriod } from './quota-periods.js';
import { quotaSortKey, type QuotaScope } from './quota-scopes.js';
import {
  refusedLimit,
  sharesOf,
  standingOf,
  tightestLimit,
  type QuotaRefusal,
  type ScopeStanding,
  type Shares,
  type Used,
} from './quota-standing.js';
import type { ReservationAmount } from './reservation-amount.js';
import { bucketNames, reserveUpdate, usedOf } from './reserve-update.js';

export type { QuotaRefusal, ScopeStanding } from './quota-standing.js';

/** A reservation held in the quota items of its scopes until it is settled (or expires and is released). */
export interface Reservation {
  readonly amount: ReservationAmount;
  readonly period: QuotaPeriod;
  readonly scopes: readonly QuotaScope[];
  /** The quota item (sub-item: quota-items.ts) it is held in, per scope. */
  readonly pks: readonly string[];
  readonly standings: readonly ScopeStanding[];
  /** A draw on a lease (quota-leases.ts): the lease's holder gives its undrawn rest back. */
  readonly lease?: boolean;
}

export class QuotaExceeded extends Error {
  constructor(readonly refusal: QuotaRefusal) {
    super(`${refusal.scope.kind} ${refusal.limit} exceeded`);
  }
}

const CONFLICT_RETRIES = 5;
/** Re-reads of a sub-item when a release (or a new item) came between its read and the conditional write. */
const RACE_RETRIES = 8;

/**
 * Token quotas and USD budgets in the gateway table, per scope and month (sub-items and settle items: quota-items.ts):
 *   pk QUOTA#TENANT#<tenant>[#q<n>] | QUOTA#KEY#<keyId>   sk MONTH#<YYYY-MM>
 *   tokens, micros    the open reservations' totals (reservations less give-backs and releases)
 *   dDD               the tokens of day DD (same rule)
 *   rtDD_T, rcDD_T    the open reservations (tokens, µ$) of day DD that expire in tick T (quota-periods.ts)
 *   releases          buckets released so far
 * The settled usage is in the settle items (`MONTH#<m>#SETTLE#<slot>`, written by the ledger's aggregator only).
 * Reserving reads a sub-item's month in one Query and writes ONE conditional UpdateItem on its quota item: ADD under
 * `tokens <= share - amount - settled` (settled: what the settle items add), and `releases` as read, so concurrent
 * gateways can never jointly pass a share, and a release between the read and the write makes it read again. A
 * bucket still present after its tick belongs to requests that never settled (a crashed instance): `releaseBucket`
 * subtracts it from the totals and removes it, exactly once (conditional on its presence).
 */
export class QuotaStore {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly table: string,
    private readonly now: () => number = Date.now,
    private readonly wait: (ms: number) => Promise<void> = (ms) => sleep(ms), // a retry's wait (the bench's clock)
    private readonly subItems = true, // false: every scope on its one item (the bench's layout before)
  ) {}

  /**
   * Reserves `amount` in every scope, or none: a refused scope undoes the others and throws QuotaExceeded. Expired
   * buckets seen on the way are released (and a refusal retried once, if releasing them made room). `expiresAt`: when
   * an unsettled reservation may be released (the request's deadline plus a margin). `spread`: which sub-item a
   * sharded scope starts at (a lease holder passes its own, so holders spread over the sub-items).
   */
  async reserve(
    scopes: readonly QuotaScope[],
    amount: ReservationAmount,
    expiresAt: number,
    spread: number = Math.floor(Math.random() * 2 ** 31),
  ): Promise<{ reservation: Reservation; cleanup: Promise<void> }> {
    const period = periodOf(this.now(), expiresAt);
    const results = await Promise.allSettled(scopes.map((scope) => this.reserveScope(scope, amount, period, spread)));
    const refused = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (refused !== undefined) {
      await Promise.all(
        results.map((r) => (r.status === 'fulfilled' ? this.undo(r.value.pk, amount, period) : undefined)),
      );
      throw refused.reason;
    }
    const fulfilled = results as PromiseFulfilledResult<Reserved>[];
    const cleanup = Promise.all(
      fulfilled.flatMap((r) => r.value.expired.map((bucket) => this.releaseBucket(r.value.pk, period.month, bucket))),
    ).then(() => undefined);
    const reservation: Reservation = {
      amount,
      period,
      scopes,
      pks: fulfilled.map((r) => r.value.pk),
      standings: fulfilled.map((r) => r.value.standing),
    };
    return { reservation, cleanup };
  }

  /** Reserves in one of the scope's sub-items: the one `spread` picks, or the next that can cover the amount. */
  private async reserveScope(
    scope: QuotaScope,
    amount: ReservationAmount,
    period: QuotaPeriod,
    spread: number,
  ): Promise<Reserved> {
    const count = this.subItems ? subItemCount(scope) : 1;
    const shares = sharesOf(scope, count);
    const none: Used = { day: 0, month: 0, micros: 0 };
    // A request larger than a whole share can never pass: refuse it without a write.
    const never = refusedLimit(shares, none, amount);
    if (never !== undefined)
      throw new QuotaExceeded({ scope, limit: never, standing: standingOf(scope, shares, none) });
    let refusal: unknown;
    for (let i = 0; i < count; i++) {
      const pk = subItemPk(scope.pk, (spread + i) % count);
      try {
        return { ...(await this.reserveItem(scope, shares, pk, amount, period)), pk };
      } catch (err) {
        if (!(err instanceof QuotaExceeded)) throw err;
        refusal = err;
      }
    }
    throw refusal;
  }

  private async reserveItem(
    scope: QuotaScope,
    shares: Shares,
    pk: string,
    amount: ReservationAmount,
    period: QuotaPeriod,
  ): Promise<{ standing: ScopeStanding; expired: string[] }> {
    let released = false;
    for (let attempt = 0; ; attempt++) {
      const items = await readQuotaItems(this.client, this.table, pk, period.month);
      const usage = usageOf(items);
      const used = usedOf(usage, period.day);
      const expired = expiredBuckets(Object.keys(items.quota ?? {}), this.now());
      const limit = refusedLimit(shares, used, amount);
      if (limit !== undefined) {
        if (released || expired.length === 0)
          throw new QuotaExceeded({ scope, limit, standing: standingOf(scope, shares, used) });
        // Reservations of a crashed instance stood in the way: release them, then try once more.
        released = true;
        await Promise.all(expired.map((bucket) => this.releaseBucket(pk, period.month, bucket)));
        continue;
      }
      try {
        const out = await this.write(reserveUpdate(this.table, pk, shares, usage, amount, period));
        const after = usageOf({ quota: out.Attributes ?? {}, settles: items.settles });
        return { standing: standingOf(scope, shares, usedOf(after, period.day)), expired };
      } catch (err) {
        if (!(err instanceof ConditionalCheckFailedException)) throw err;
        if (attempt >= RACE_RETRIES)
          throw new QuotaExceeded({ scope, limit: tightestLimit(scope), standing: standingOf(scope, shares, used) });
      }
    }
  }

  /**
   * Gives back part of a reservation (the unused rest of a lease) in every scope. Conditional on its bucket's
   * presence: once the sweeper (or a request) released the bucket, the totals no longer hold the rest, and giving it
   * back would count it twice (and re-create the bucket with a negative amount).
   */
  async giveBack(
    items: readonly { readonly pk: string }[],
    amount: ReservationAmount,
    period: QuotaPeriod,
  ): Promise<void> {
    if (amount.tokens === 0 && amount.micros === 0) return;
    await Promise.all(items.map((item) => this.undo(item.pk, amount, period)));
  }

  /** Takes (part of) a reservation back out of its bucket, if the bucket is still there. */
  private async undo(pk: string, amount: ReservationAmount, period: QuotaPeriod): Promise<void> {
    try {
      await this.write(
        new UpdateItemCommand({
          TableName: this.table,
          Key: { pk: s(pk), sk: s(quotaSortKey(period.month)) },
          UpdateExpression: 'ADD #t :t, #m :c, #d :t, #rt :t, #rc :c',
          ConditionExpression: 'attribute_exists(#rt) AND attribute_exists(#rc)',
          ExpressionAttributeNames: bucketNames(period.day, period.bucket),
          ExpressionAttributeValues: { ':t': n(-amount.tokens), ':c': n(-amount.micros) },
        }),
      );
    } catch (err) {
      if (!(err instanceof ConditionalCheckFailedException)) throw err;
    }
  }

  /**
   * Releases an expired bucket: subtracts what it still holds from the totals and removes it. Conditional on the
   * bucket's presence, so two sweepers (or a sweeper and a request) release it once. Answers whether it did.
   */
  async releaseBucket(pk: string, month: string, bucket: string): Promise<boolean> {
    try {
      await this.write(
        new UpdateItemCommand({
          TableName: this.table,
          Key: { pk: s(pk), sk: s(quotaSortKey(month)) },
          UpdateExpression: 'SET #t = #t - #rt, #m = #m - #rc, #d = #d - #rt REMOVE #rt, #rc ADD #rel :one',
          ConditionExpression: 'attribute_exists(#rt) AND attribute_exists(#rc)',
          ExpressionAttributeNames: { ...bucketNames(bucketDay(bucket), bucket), '#rel': QUOTA_ATTR.releases },
          ExpressionAttributeValues: { ':one': n(1) },
        }),
      );
      return true;
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) return false;
      throw err;
    }
  }

  /** Releases every expired bucket of one quota item; answers how many it released. */
  async releaseExpired(pk: string, month: string): Promise<number> {
    const item = await this.read(pk, month);
    const expired = expiredBuckets(Object.keys(item ?? {}), this.now());
    const released = await Promise.all(expired.map((bucket) => this.releaseBucket(pk, month, bucket)));
    return released.filter(Boolean).length;
  }

  /**
   * Sends a quota write, retried (with jitter, up to 5 times) when a transaction holds the item: the ledger's
   * aggregator settles on the same quota items in transactions, and DynamoDB refuses a plain write meanwhile
   * (TransactionConflictException).
   */
  private async write(command: UpdateItemCommand): Promise<UpdateItemCommandOutput> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.client.send(command);
      } catch (err) {
        if (!(err instanceof TransactionConflictException) || attempt >= CONFLICT_RETRIES) throw err;
        await this.wait(Math.random() * 10 * 2 ** attempt);
      }
    }
  }

  async read(pk: string, month: string): Promise<Item | undefined> {
    const out = await this.client.send(
      new GetItemCommand({
        TableName: this.table,
        Key: { pk: s(pk), sk: s(quotaSortKey(month)) },
        ConsistentRead: true,
      }),
    );
    return out.Item;
  }
}

interface Reserved {
  readonly standing: ScopeStanding;
  readonly expired: string[];
  /** The (sub-)item reserved in. */
  readonly pk: string;
}
