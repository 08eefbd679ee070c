import { setTimeout as sleep } from 'node:timers/promises';
import {
  ConditionalCheckFailedException,
  TransactionConflictException,
  type UpdateItemCommandOutput,
  type DynamoDBClient,
  GetItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { n, readNumber, s, type Item } from '../store/attributes.js';
import {
  bucketDay,
  bucketMicrosAttr,
  bucketTokensAttr,
  dayAttr,
  expiredBuckets,
  itemExpiry,
  periodOf,
  QUOTA_ATTR,
  type QuotaPeriod,
} from './quota-periods.js';
import { quotaSortKey, type QuotaScope } from './quota-scopes.js';
import type { ReservationAmount } from './reservation-amount.js';

/** One scope's standing after a reservation: what its limits leave (negative: none left). */
export interface ScopeStanding {
  readonly scope: QuotaScope;
  readonly tokensLeftDay?: number;
  readonly tokensLeftMonth?: number;
  readonly microsLeftMonth?: number;
}

/** A reservation held in the quota items of its scopes until it is settled (or expires and is released). */
export interface Reservation {
  readonly amount: ReservationAmount;
  readonly period: QuotaPeriod;
  readonly scopes: readonly QuotaScope[];
  readonly standings: readonly ScopeStanding[];
  /** A draw on a lease (quota-leases.ts): the lease's holder gives its undrawn rest back. */
  readonly lease?: boolean;
}

/** Which limit refused a reservation. */
export interface QuotaRefusal {
  readonly scope: QuotaScope;
  readonly limit: 'tokensPerDay' | 'tokensPerMonth' | 'usdPerMonth';
  readonly standing: ScopeStanding;
}

export class QuotaExceeded extends Error {
  constructor(readonly refusal: QuotaRefusal) {
    super(`${refusal.scope.kind} ${refusal.limit} exceeded`);
  }
}

const USD_MICROS = 1_000_000;
const CONFLICT_RETRIES = 5;
const microsOf = (usd: number): number => Math.round(usd * USD_MICROS);

/** The attribute names of a quota update touching the totals, one day's tokens and one bucket. */
const bucketNames = (day: string, bucket: string): Record<string, string> => ({
  '#t': QUOTA_ATTR.tokens,
  '#m': QUOTA_ATTR.micros,
  '#d': dayAttr(day),
  '#rt': bucketTokensAttr(bucket),
  '#rc': bucketMicrosAttr(bucket),
});

/**
 * Token quotas and USD budgets in the gateway table, one item per scope and month:
 *   pk QUOTA#TENANT#<tenant> | QUOTA#KEY#<keyId>   sk MONTH#<YYYY-MM>
 *   tokens, micros    the month's totals: settled usage + open reservations
 *   dDD               the tokens of day DD (same rule)
 *   rtDD_T, rcDD_T    the open reservations (tokens, µ$) of day DD that expire in tick T (quota-periods.ts)
 * Reserving is ONE conditional UpdateItem per scope (ADD under `total <= limit - amount`, so concurrent gateways can
 * never jointly pass a limit); settling moves the amount out of its bucket and adds the actual (quota-settle.ts, applied
 * by the ledger's aggregator from the request records). A bucket still present after its tick belongs to requests that never settled (a crashed
 * instance): `releaseExpired` subtracts it from the totals and removes it, exactly once (conditional on its presence).
 */
export class QuotaStore {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly table: string,
    private readonly now: () => number = Date.now,
    private readonly wait: (ms: number) => Promise<void> = (ms) => sleep(ms), // a retry's wait (the bench's clock)
  ) {}

  /**
   * Reserves `amount` in every scope, or none: a refused scope undoes the others and throws QuotaExceeded. Expired
   * buckets seen on the way are released (and a refusal retried once, if releasing them made room). `expiresAt`: when
   * an unsettled reservation may be released (the request's deadline plus a margin).
   */
  async reserve(
    scopes: readonly QuotaScope[],
    amount: ReservationAmount,
    expiresAt: number,
  ): Promise<{ reservation: Reservation; cleanup: Promise<void> }> {
    const period = periodOf(this.now(), expiresAt);
    const results = await Promise.allSettled(scopes.map((scope) => this.reserveScope(scope, amount, period)));
    const refused = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (refused !== undefined) {
      await Promise.all(
        results.map((r, i) => {
          const scope = scopes[i];
          return r.status === 'fulfilled' && scope !== undefined ? this.undo(scope, amount, period) : undefined;
        }),
      );
      throw refused.reason;
    }
    const fulfilled = results as PromiseFulfilledResult<{ standing: ScopeStanding; expired: string[] }>[];
    const cleanup = Promise.all(
      fulfilled.flatMap((r) =>
        r.value.expired.map((bucket) => this.releaseBucket(r.value.standing.scope.pk, period.month, bucket)),
      ),
    ).then(() => undefined);
    return { reservation: { amount, period, scopes, standings: fulfilled.map((r) => r.value.standing) }, cleanup };
  }

  private async reserveScope(
    scope: QuotaScope,
    amount: ReservationAmount,
    period: QuotaPeriod,
    retried = false,
  ): Promise<{ standing: ScopeStanding; expired: string[] }> {
    const limits = scope.limits;
    const conditions: string[] = [];
    const values: Item = {
      ':t': n(amount.tokens),
      ':c': n(amount.micros),
      ':exp': n(itemExpiry(period.month)),
    };
    const maxDay = limits.tokensPerDay === undefined ? undefined : limits.tokensPerDay - amount.tokens;
    const maxMonth = limits.tokensPerMonth === undefined ? undefined : limits.tokensPerMonth - amount.tokens;
    const maxMicros = limits.usdPerMonth === undefined ? undefined : microsOf(limits.usdPerMonth) - amount.micros;
    const standingOf = (item: Item | undefined): ScopeStanding => standing(scope, item, period);
    // A request larger than a whole limit can never pass: refuse it without a write.
    if (maxDay !== undefined && maxDay < 0)
      throw new QuotaExceeded({ scope, limit: 'tokensPerDay', standing: standingOf(undefined) });
    if (maxMonth !== undefined && maxMonth < 0)
      throw new QuotaExceeded({ scope, limit: 'tokensPerMonth', standing: standingOf(undefined) });
    if (maxMicros !== undefined && maxMicros < 0)
      throw new QuotaExceeded({ scope, limit: 'usdPerMonth', standing: standingOf(undefined) });
    if (maxDay !== undefined) {
      conditions.push('(attribute_not_exists(#d) OR #d <= :maxDay)');
      values[':maxDay'] = n(maxDay);
    }
    if (maxMonth !== undefined) {
      conditions.push('(attribute_not_exists(#t) OR #t <= :maxMonth)');
      values[':maxMonth'] = n(maxMonth);
    }
    if (maxMicros !== undefined) {
      conditions.push('(attribute_not_exists(#m) OR #m <= :maxMicros)');
      values[':maxMicros'] = n(maxMicros);
    }
    try {
      const out = await this.write(
        new UpdateItemCommand({
          TableName: this.table,
          Key: { pk: s(scope.pk), sk: s(quotaSortKey(period.month)) },
          UpdateExpression: 'ADD #t :t, #m :c, #d :t, #rt :t, #rc :c SET #exp = if_not_exists(#exp, :exp)',
          ConditionExpression: conditions.join(' AND '),
          ExpressionAttributeNames: { ...bucketNames(period.day, period.bucket), '#exp': QUOTA_ATTR.expiresAt },
          ExpressionAttributeValues: values,
          ReturnValues: 'ALL_NEW',
        }),
      );
      const item = out.Attributes ?? {};
      return { standing: standingOf(item), expired: expiredBuckets(Object.keys(item), this.now()) };
    } catch (err) {
      if (!(err instanceof ConditionalCheckFailedException)) throw err;
      const item = await this.read(scope.pk, period.month);
      const expired = expiredBuckets(Object.keys(item ?? {}), this.now());
      if (!retried && expired.length > 0) {
        // Reservations of a crashed instance stood in the way: release them, then try once more.
        await Promise.all(expired.map((bucket) => this.releaseBucket(scope.pk, period.month, bucket)));
        return this.reserveScope(scope, amount, period, true);
      }
      throw new QuotaExceeded({ scope, limit: refusedLimit(scope, item, period, amount), standing: standingOf(item) });
    }
  }

  /**
   * Gives back part of a reservation (the unused rest of a lease) in every scope. Conditional on its bucket's
   * presence: once the sweeper (or a request) released the bucket, the totals no longer hold the rest, and giving it
   * back would count it twice (and re-create the bucket with a negative amount).
   */
  async giveBack(scopes: readonly QuotaScope[], amount: ReservationAmount, period: QuotaPeriod): Promise<void> {
    if (amount.tokens === 0 && amount.micros === 0) return;
    await Promise.all(scopes.map((scope) => this.undo(scope, amount, period)));
  }

  /** Takes (part of) a reservation back out of its bucket, if the bucket is still there. */
  private async undo(scope: QuotaScope, amount: ReservationAmount, period: QuotaPeriod): Promise<void> {
    try {
      await this.write(
        new UpdateItemCommand({
          TableName: this.table,
          Key: { pk: s(scope.pk), sk: s(quotaSortKey(period.month)) },
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
          UpdateExpression: 'SET #t = #t - #rt, #m = #m - #rc, #d = #d - #rt REMOVE #rt, #rc',
          ConditionExpression: 'attribute_exists(#rt) AND attribute_exists(#rc)',
          ExpressionAttributeNames: bucketNames(bucketDay(bucket), bucket),
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

function standing(scope: QuotaScope, item: Item | undefined, period: QuotaPeriod): ScopeStanding {
  const used = (name: string): number => (item === undefined ? 0 : (readNumber(item, name) ?? 0));
  const limits = scope.limits;
  return {
    scope,
    ...(limits.tokensPerDay === undefined ? {} : { tokensLeftDay: limits.tokensPerDay - used(dayAttr(period.day)) }),
    ...(limits.tokensPerMonth === undefined
      ? {}
      : { tokensLeftMonth: limits.tokensPerMonth - used(QUOTA_ATTR.tokens) }),
    ...(limits.usdPerMonth === undefined
      ? {}
      : { microsLeftMonth: microsOf(limits.usdPerMonth) - used(QUOTA_ATTR.micros) }),
  };
}

/** Which limit the amount does not fit under, given the item as read after the refusal (the first, in this order). */
function refusedLimit(
  scope: QuotaScope,
  item: Item | undefined,
  period: QuotaPeriod,
  amount: ReservationAmount,
): QuotaRefusal['limit'] {
  const left = standing(scope, item, period);
  if (left.microsLeftMonth !== undefined && left.microsLeftMonth < amount.micros) return 'usdPerMonth';
  if (left.tokensLeftMonth !== undefined && left.tokensLeftMonth < amount.tokens) return 'tokensPerMonth';
  if (left.tokensLeftDay !== undefined && left.tokensLeftDay < amount.tokens) return 'tokensPerDay';
  // Room appeared between the refusal and the read (a settle released some): still refused, name the tightest.
  return scope.limits.tokensPerDay !== undefined
    ? 'tokensPerDay'
    : scope.limits.tokensPerMonth !== undefined
      ? 'tokensPerMonth'
      : 'usdPerMonth';
}
