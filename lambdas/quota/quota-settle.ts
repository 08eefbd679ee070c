import type { TransactWriteItem } from '@aws-sdk/client-dynamodb';
import { n, s, type Item } from '../store/attributes.js';
import { bucketMicrosAttr, bucketTokensAttr, dayAttr, QUOTA_ATTR, type QuotaPeriod } from './quota-periods.js';
import { quotaSortKey } from './quota-scopes.js';
import type { Reservation } from './quota-store.js';
import type { ReservationAmount } from './reservation-amount.js';

/** A reservation to settle at the actual usage of its request. */
export interface Settle {
  readonly reservation: Reservation;
  readonly actual: ReservationAmount;
}

/** The quota reservation a request record names (ledger-items.ts), for the aggregator to settle. */
export interface RecordedSettle {
  /** The scopes' quota item partition keys. */
  readonly pks: readonly string[];
  readonly period: QuotaPeriod;
  /** Reserved: the request's own reservation, or its draw on a lease. */
  readonly amount: ReservationAmount;
  /** Used: what the request consumed. */
  readonly actual: ReservationAmount;
  /** Drawn on a lease (the lease's undrawn rest goes back when it ends: quota-leases.ts). */
  readonly lease: boolean;
}

export const recordedSettle = (settle: Settle): RecordedSettle => ({
  pks: settle.reservation.scopes.map((scope) => scope.pk),
  period: settle.reservation.period,
  amount: settle.reservation.amount,
  actual: settle.actual,
  lease: settle.reservation.lease === true,
});

/** A reservation bucket of one quota item: `<pk>\0<month>\0<bucket>`. */
export const bucketId = (pk: string, month: string, bucket: string): string => `${pk}\u0000${month}\u0000${bucket}`;

interface ItemDelta {
  readonly pk: string;
  readonly month: string;
  tokens: number;
  micros: number;
  readonly days: Map<string, number>;
  readonly buckets: Map<string, { tokens: number; micros: number }>;
}

const add = (map: Map<string, number>, key: string, value: number): void => {
  map.set(key, (map.get(key) ?? 0) + value);
};

/**
 * The quota updates that settle `settles`, one per quota item (a transaction may touch an item once), for the
 * aggregator's transactions (ledger/aggregator.ts). Each reservation (a request's own, or its draw on a lease) moves
 * out of its bucket and the difference to the actual goes to the totals, under the condition that every bucket touched
 * is still there. A bucket in `released` (bucketId) was released meanwhile (the reservation outlived its expiry and
 * the sweeper or a request released it): the totals no longer hold it, so the whole actual is added and the bucket is
 * left alone. `keys[i]` is the quota item of `items[i]`, `buckets[i]` the buckets its condition names.
 */
export function settleUpdates(
  table: string,
  settles: readonly RecordedSettle[],
  released: ReadonlySet<string> = new Set(),
): { items: TransactWriteItem[]; keys: { pk: string; month: string; buckets: string[] }[] } {
  const deltas = new Map<string, ItemDelta>();
  for (const { pks, period, amount, actual } of settles) {
    for (const pk of pks) {
      const id = `${pk}\u0000${period.month}`;
      let delta = deltas.get(id);
      if (delta === undefined) {
        delta = { pk, month: period.month, tokens: 0, micros: 0, days: new Map(), buckets: new Map() };
        deltas.set(id, delta);
      }
      const gone = released.has(bucketId(pk, period.month, period.bucket));
      const tokens = gone ? actual.tokens : actual.tokens - amount.tokens;
      delta.tokens += tokens;
      delta.micros += gone ? actual.micros : actual.micros - amount.micros;
      add(delta.days, period.day, tokens);
      if (!gone) {
        const bucket = delta.buckets.get(period.bucket) ?? { tokens: 0, micros: 0 };
        bucket.tokens -= amount.tokens;
        bucket.micros -= amount.micros;
        delta.buckets.set(period.bucket, bucket);
      }
    }
  }
  const all = [...deltas.values()];
  return {
    items: all.map((delta) => quotaUpdate(table, delta)),
    keys: all.map((delta) => ({ pk: delta.pk, month: delta.month, buckets: [...delta.buckets.keys()] })),
  };
}

function quotaUpdate(table: string, delta: ItemDelta): TransactWriteItem {
  const names: Record<string, string> = { '#t': QUOTA_ATTR.tokens, '#m': QUOTA_ATTR.micros };
  const values: Item = { ':t': n(delta.tokens), ':m': n(delta.micros) };
  const adds = ['#t :t', '#m :m'];
  [...delta.days].forEach(([day, tokens], i) => {
    names[`#d${i}`] = dayAttr(day);
    values[`:d${i}`] = n(tokens);
    adds.push(`#d${i} :d${i}`);
  });
  const conditions: string[] = [];
  [...delta.buckets].forEach(([bucket, amounts], i) => {
    names[`#rt${i}`] = bucketTokensAttr(bucket);
    names[`#rc${i}`] = bucketMicrosAttr(bucket);
    values[`:rt${i}`] = n(amounts.tokens);
    values[`:rc${i}`] = n(amounts.micros);
    adds.push(`#rt${i} :rt${i}`, `#rc${i} :rc${i}`);
    conditions.push(`attribute_exists(#rt${i})`);
  });
  return {
    Update: {
      TableName: table,
      Key: { pk: s(delta.pk), sk: s(quotaSortKey(delta.month)) },
      UpdateExpression: `ADD ${adds.join(', ')}`,
      ...(conditions.length === 0 ? {} : { ConditionExpression: conditions.join(' AND ') }),
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    },
  };
}
