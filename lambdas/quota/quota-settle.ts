import type { TransactWriteItem } from '@aws-sdk/client-dynamodb';
import { n, s, type Item } from '../store/attributes.js';
import { bucketMicrosAttr, bucketTokensAttr, dayAttr, QUOTA_ATTR } from './quota-periods.js';
import { quotaSortKey } from './quota-scopes.js';
import type { Reservation } from './quota-store.js';
import type { ReservationAmount } from './reservation-amount.js';

/** A reservation to settle at the actual usage of its request. */
export interface Settle {
  readonly reservation: Reservation;
  readonly actual: ReservationAmount;
}

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
 * ledger's transaction (ledger-store.ts). Each reservation moves out of its bucket and the difference to the actual
 * goes to the totals, under the condition that every bucket touched is still there. A scope in `released` had its
 * bucket released meanwhile (the request outlived its expiry): the totals no longer hold its reservation, so the whole
 * actual is added and the bucket is left alone. `pks[i]` is the scope of `items[i]`.
 */
export function settleUpdates(
  table: string,
  settles: readonly Settle[],
  released: ReadonlySet<string> = new Set(),
): { items: TransactWriteItem[]; pks: string[] } {
  const deltas = new Map<string, ItemDelta>();
  for (const { reservation, actual } of settles) {
    const { period, amount } = reservation;
    for (const scope of reservation.scopes) {
      const id = `${scope.pk}\u0000${period.month}`;
      let delta = deltas.get(id);
      if (delta === undefined) {
        delta = { pk: scope.pk, month: period.month, tokens: 0, micros: 0, days: new Map(), buckets: new Map() };
        deltas.set(id, delta);
      }
      const gone = released.has(scope.pk);
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
  const items = [...deltas.values()].map((delta) => quotaUpdate(table, delta));
  return { items, pks: [...deltas.values()].map((delta) => delta.pk) };
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
