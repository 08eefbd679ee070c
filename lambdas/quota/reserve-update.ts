import { UpdateItemCommand } from '../aws-http/dynamodb.js';
import { n, s, type Item } from '../store/attributes.js';
import type { QuotaUsage } from './quota-items.js';
import {
  bucketMicrosAttr,
  bucketTokensAttr,
  dayAttr,
  itemExpiry,
  QUOTA_ATTR,
  type QuotaPeriod,
} from './quota-periods.js';
import { quotaSortKey } from './quota-scopes.js';
import type { Shares, Used } from './quota-standing.js';
import type { ReservationAmount } from './reservation-amount.js';

/** The attribute names of a quota update touching the totals, one day's tokens and one bucket. */
export const bucketNames = (day: string, bucket: string): Record<string, string> => ({
  '#t': QUOTA_ATTR.tokens,
  '#m': QUOTA_ATTR.micros,
  '#d': dayAttr(day),
  '#rt': bucketTokensAttr(bucket),
  '#rc': bucketMicrosAttr(bucket),
});

export const usedOf = (usage: QuotaUsage, day: string): Used => ({
  day: usage.days.get(day) ?? 0,
  month: usage.tokens,
  micros: usage.micros,
});

/**
 * The conditional ADD of a reservation to a sub-item's quota item: its own totals may grow only up to the share less
 * the amount and what its settle items add (`usage.extra`, read with it), and only while no bucket was released
 * since the read (a release takes draws out of the quota item that `extra` subtracted).
 */
export function reserveUpdate(
  table: string,
  pk: string,
  shares: Shares,
  usage: QuotaUsage,
  amount: ReservationAmount,
  period: QuotaPeriod,
): UpdateItemCommand {
  const values: Item = { ':t': n(amount.tokens), ':c': n(amount.micros), ':exp': n(itemExpiry(period.month)) };
  const conditions: string[] = [];
  const bound = (attr: string, name: string, share: number | undefined, extra: number, own: number): void => {
    if (share === undefined) return;
    conditions.push(`(attribute_not_exists(${attr}) OR ${attr} <= ${name})`);
    values[name] = n(share - own - extra);
  };
  bound('#d', ':maxDay', shares.tokensPerDay, usage.extra.days.get(period.day) ?? 0, amount.tokens);
  bound('#t', ':maxMonth', shares.tokensPerMonth, usage.extra.tokens, amount.tokens);
  bound('#m', ':maxMicros', shares.micros, usage.extra.micros, amount.micros);
  if (usage.releases === undefined) conditions.push('attribute_not_exists(#rel)');
  else {
    conditions.push('#rel = :rel');
    values[':rel'] = n(usage.releases);
  }
  return new UpdateItemCommand({
    TableName: table,
    Key: { pk: s(pk), sk: s(quotaSortKey(period.month)) },
    UpdateExpression: 'ADD #t :t, #m :c, #d :t, #rt :t, #rc :c SET #exp = if_not_exists(#exp, :exp)',
    ConditionExpression: conditions.join(' AND '),
    ExpressionAttributeNames: {
      ...bucketNames(period.day, period.bucket),
      '#exp': QUOTA_ATTR.expiresAt,
      '#rel': QUOTA_ATTR.releases,
    },
    ExpressionAttributeValues: values,
    ReturnValues: 'ALL_NEW',
  });
}
