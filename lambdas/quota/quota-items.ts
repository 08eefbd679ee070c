import { QueryCommand, type DynamoDBClient } from '../aws-http/dynamodb.js';
import { fnv1a } from '../ledger/ledger-shards.js';
import { readNumber, s, type Item } from '../store/attributes.js';
import { bucketDay, bucketMicrosAttr, bucketsOf, bucketTokensAttr, QUOTA_ATTR } from './quota-periods.js';
import { quotaSortKey, type QuotaScope } from './quota-scopes.js';

/**
 * Where a scope's month lives, so that one hot tenant (5,000 requests/s) keeps every partition key value under
 * DynamoDB's 1,000 write units a second and the aggregators never write an item the request path writes:
 * - QUOTA SUB-ITEMS: a tenant scope whose limits are all large (each share ≥ MIN_SHARE_TOKENS / MIN_SHARE_MICROS, or
 *   no limit) spreads over MAX_SUB_ITEMS partitions, `<pk>` (sub-item 0: the item of before) and `<pk>#q1`…`#q15`,
 *   each holding 1/N of every limit. A reservation starts at the sub-item its lease holder's hash picks and moves on
 *   when one cannot cover it; readers sum them. Key scopes and smaller limits keep the one item.
 * - SETTLE ITEMS: the aggregator of a stream shard settles into `<sub-item pk>` / `MONTH#<m>#SETTLE#<slot>` (the slot
 *   from the shard id's hash), ADDing the actual usage (tokens, micros, dDD) and, per bucket, the draws it settled
 *   (rt/rc<bucket>). The quota item holds only the request path's writes: reservations (open buckets) less give-backs
 *   and releases. Used = quota item + Σ settle items' actuals − Σ their draws from buckets still open on the quota item.
 */
export const MAX_SUB_ITEMS = 16;
/** The least share of a token limit one sub-item may hold (a request's reservation must fit one sub-item). */
export const MIN_SHARE_TOKENS = 10_000_000;
/** The least share of a budget, in micro-dollars ($100). */
export const MIN_SHARE_MICROS = 100_000_000;
/** Settle items per sub-item and month: stream shards hash onto them (two shards on one slot only retry). */
export const SETTLE_SLOTS = 64;
const USD_MICROS = 1_000_000;

/** How many sub-items a scope's months spread over (1: the one item). */
export function subItemCount(scope: Pick<QuotaScope, 'kind' | 'limits'>): number {
  if (scope.kind !== 'tenant') return 1;
  const { tokensPerDay, tokensPerMonth, usdPerMonth } = scope.limits;
  const big = (limit: number | undefined, least: number): boolean =>
    limit === undefined || limit / MAX_SUB_ITEMS >= least;
  return big(tokensPerDay, MIN_SHARE_TOKENS) &&
    big(tokensPerMonth, MIN_SHARE_TOKENS) &&
    big(usdPerMonth === undefined ? undefined : usdPerMonth * USD_MICROS, MIN_SHARE_MICROS)
    ? MAX_SUB_ITEMS
    : 1;
}

export const subItemPk = (pk: string, index: number): string => (index === 0 ? pk : `${pk}#q${index}`);

/** Every partition key a scope's quota may have written: the item of before and any sub-item. */
export const allSubItemPks = (pk: string): string[] =>
  Array.from({ length: MAX_SUB_ITEMS }, (_, index) => subItemPk(pk, index));

export const settleSlot = (shard: string): number => fnv1a(shard) % SETTLE_SLOTS;
export const settleSortKey = (month: string, slot: number): string =>
  `${quotaSortKey(month)}#SETTLE#${String(slot).padStart(2, '0')}`;

/** One sub-item's month: its quota item and its settle items. */
export interface QuotaItems {
  readonly quota: Item | undefined;
  readonly settles: readonly Item[];
}

/** Reads a quota item and its settle items in one (consistent) Query. */
export async function readQuotaItems(
  client: DynamoDBClient,
  table: string,
  pk: string,
  month: string,
): Promise<QuotaItems> {
  const key = quotaSortKey(month);
  const items: Item[] = [];
  let start: Item | undefined;
  do {
    const out = await client.send(
      new QueryCommand({
        TableName: table,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :sk)',
        ExpressionAttributeValues: { ':pk': s(pk), ':sk': s(key) },
        ConsistentRead: true,
        ...(start === undefined ? {} : { ExclusiveStartKey: start }),
      }),
    );
    items.push(...(out.Items ?? []));
    start = out.LastEvaluatedKey;
  } while (start !== undefined);
  return {
    quota: items.find((item) => item.sk?.S === key),
    settles: items.filter((item) => item.sk?.S?.startsWith(`${key}#SETTLE#`) === true),
  };
}

/** What a sub-item's month has used (settled usage + open reservations), and what its quota item alone holds. */
export interface QuotaUsage {
  readonly tokens: number;
  readonly micros: number;
  readonly days: ReadonlyMap<string, number>;
  /** What the settle items add to the quota item's own totals (the condition of a reservation subtracts it). */
  readonly extra: { readonly tokens: number; readonly micros: number; readonly days: ReadonlyMap<string, number> };
  /** The quota item's release count when read (undefined: none yet). */
  readonly releases: number | undefined;
}

const num = (item: Item | undefined, name: string): number => (item === undefined ? 0 : (readNumber(item, name) ?? 0));
const add = (map: Map<string, number>, key: string, value: number): void => {
  if (value !== 0) map.set(key, (map.get(key) ?? 0) + value);
};
const DAY = /^d(\d\d)$/;

export function usageOf({ quota, settles }: QuotaItems): QuotaUsage {
  const open = new Set(bucketsOf(Object.keys(quota ?? {})));
  let tokens = 0;
  let micros = 0;
  const days = new Map<string, number>();
  for (const settle of settles) {
    tokens += num(settle, QUOTA_ATTR.tokens);
    micros += num(settle, QUOTA_ATTR.micros);
    for (const name of Object.keys(settle)) {
      const day = DAY.exec(name)?.[1];
      if (day !== undefined) add(days, day, num(settle, name));
    }
    // Draws settled from a bucket still open are in the quota item's totals too: count them once.
    for (const bucket of bucketsOf(Object.keys(settle))) {
      if (!open.has(bucket)) continue;
      const drawn = num(settle, bucketTokensAttr(bucket));
      tokens -= drawn;
      micros -= num(settle, bucketMicrosAttr(bucket));
      add(days, bucketDay(bucket), -drawn);
    }
  }
  const allDays = new Map(days);
  for (const name of Object.keys(quota ?? {})) {
    const day = DAY.exec(name)?.[1];
    if (day !== undefined) add(allDays, day, num(quota, name));
  }
  return {
    tokens: num(quota, QUOTA_ATTR.tokens) + tokens,
    micros: num(quota, QUOTA_ATTR.micros) + micros,
    days: allDays,
    extra: { tokens, micros, days },
    releases: quota === undefined ? undefined : readNumber(quota, QUOTA_ATTR.releases),
  };
}

/** A scope's month summed over its sub-items (the item of before included), and its buckets not yet settled. */
export async function readScopeUsage(
  client: DynamoDBClient,
  table: string,
  pk: string,
  month: string,
): Promise<{ tokens: number; micros: number; days: Map<string, number>; unsettled: string[] }> {
  const all = await Promise.all(allSubItemPks(pk).map((sub) => readQuotaItems(client, table, sub, month)));
  const sum = { tokens: 0, micros: 0, days: new Map<string, number>(), unsettled: [] as string[] };
  for (const items of all) {
    const usage = usageOf(items);
    sum.tokens += usage.tokens;
    sum.micros += usage.micros;
    for (const [day, tokens] of usage.days) add(sum.days, day, tokens);
    // Buckets still holding reservations neither settled nor given back (an instance's lease, a running request).
    for (const bucket of bucketsOf(Object.keys(items.quota ?? {}))) {
      const drawn = items.settles.reduce((total, settle) => total + num(settle, bucketTokensAttr(bucket)), 0);
      if (num(items.quota, bucketTokensAttr(bucket)) > drawn) sum.unsettled.push(bucket);
    }
  }
  return sum;
}
