import type { TransactWriteItem } from '@aws-sdk/client-dynamodb';
import { n, s, type Item } from '../store/attributes.js';
import { bucketMicrosAttr, bucketTokensAttr, dayAttr, QUOTA_ATTR, type QuotaPeriod } from './quota-periods.js';
import { settleSortKey } from './quota-items.js';
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
  pks: settle.reservation.pks,
  period: settle.reservation.period,
  amount: settle.reservation.amount,
  actual: settle.actual,
  lease: settle.reservation.lease === true,
});

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

/** A settle item of a batch: its quota (sub-)item's pk and month, and the buckets its draws came from. */
export interface SettleTarget {
  readonly pk: string;
  readonly month: string;
  readonly buckets: readonly string[];
}

/**
 * The updates that settle `settles`, one per settle item (quota-items.ts: `<pk>` / `MONTH#<m>#SETTLE#<slot>`, written
 * only by the aggregator of the stream shard that owns the slot, never by the request path): ADD the actual usage
 * (tokens, µ$, the day's tokens) and, per bucket, the reserved amounts drawn from it (which readers subtract while
 * the bucket is open on the quota item; once released, the actual alone counts). No condition: a settle applies
 * whatever became of its bucket. `prune(target)` names old buckets to REMOVE (their draws no longer matter once the
 * bucket is released; removed before that, the reader counts the bucket whole: more used, never less).
 */
export function settleUpdates(
  table: string,
  settles: readonly RecordedSettle[],
  slot: number,
  prune: (target: SettleTarget) => readonly string[] = () => [],
): { items: TransactWriteItem[]; targets: SettleTarget[] } {
  const deltas = new Map<string, ItemDelta>();
  for (const { pks, period, amount, actual } of settles) {
    for (const pk of pks) {
      const id = `${pk}\u0000${period.month}`;
      let delta = deltas.get(id);
      if (delta === undefined) {
        delta = { pk, month: period.month, tokens: 0, micros: 0, days: new Map(), buckets: new Map() };
        deltas.set(id, delta);
      }
      delta.tokens += actual.tokens;
      delta.micros += actual.micros;
      add(delta.days, period.day, actual.tokens);
      const bucket = delta.buckets.get(period.bucket) ?? { tokens: 0, micros: 0 };
      bucket.tokens += amount.tokens;
      bucket.micros += amount.micros;
      delta.buckets.set(period.bucket, bucket);
    }
  }
  const all = [...deltas.values()];
  const targets = all.map((delta) => ({ pk: delta.pk, month: delta.month, buckets: [...delta.buckets.keys()] }));
  return {
    items: all.map((delta, i) => {
      const target = targets[i]!;
      return settleUpdate(
        table,
        delta,
        slot,
        prune(target).filter((bucket) => !delta.buckets.has(bucket)),
      );
    }),
    targets,
  };
}

function settleUpdate(table: string, delta: ItemDelta, slot: number, pruned: readonly string[]): TransactWriteItem {
  const names: Record<string, string> = { '#t': QUOTA_ATTR.tokens, '#m': QUOTA_ATTR.micros };
  const values: Item = { ':t': n(delta.tokens), ':m': n(delta.micros) };
  const adds = ['#t :t', '#m :m'];
  [...delta.days].forEach(([day, tokens], i) => {
    names[`#d${i}`] = dayAttr(day);
    values[`:d${i}`] = n(tokens);
    adds.push(`#d${i} :d${i}`);
  });
  [...delta.buckets].forEach(([bucket, amounts], i) => {
    names[`#rt${i}`] = bucketTokensAttr(bucket);
    names[`#rc${i}`] = bucketMicrosAttr(bucket);
    values[`:rt${i}`] = n(amounts.tokens);
    values[`:rc${i}`] = n(amounts.micros);
    adds.push(`#rt${i} :rt${i}`, `#rc${i} :rc${i}`);
  });
  const removes = pruned.flatMap((bucket, i) => {
    names[`#pt${i}`] = bucketTokensAttr(bucket);
    names[`#pc${i}`] = bucketMicrosAttr(bucket);
    return [`#pt${i}`, `#pc${i}`];
  });
  return {
    Update: {
      TableName: table,
      Key: { pk: s(delta.pk), sk: s(settleSortKey(delta.month, slot)) },
      UpdateExpression: `ADD ${adds.join(', ')}${removes.length === 0 ? '' : ` REMOVE ${removes.join(', ')}`}`,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    },
  };
}
