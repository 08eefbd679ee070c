import type { PutItemCommandInput, TransactWriteItem } from '@aws-sdk/client-dynamodb';
import { recordedSettle, type RecordedSettle, type Settle } from '../quota/quota-settle.js';
import { n, s, strings, type Item } from '../store/attributes.js';
import { dayOf, type LedgerEntry } from './ledger-entry.js';
import { ledgerGsiKey, shardedCounterSk } from './ledger-shards.js';

/**
 * At most this many bytes of a key's labels (as JSON) go into a request record, labels taken in name order until the
 * next would pass it: the record stays under 1 KB (one write unit). Ten labels of 128 characters would not fit.
 */
export const RECORD_LABEL_BYTES = 256;

/** The labels a record carries as a JSON string, capped at RECORD_LABEL_BYTES; undefined when none. */
export function recordLabels(labels: Readonly<Record<string, string>> | undefined): string | undefined {
  const kept: Record<string, string> = {};
  for (const [name, value] of Object.entries(labels ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (Buffer.byteLength(JSON.stringify({ ...kept, [name]: value })) > RECORD_LABEL_BYTES) break;
    kept[name] = value;
  }
  return Object.keys(kept).length === 0 ? undefined : JSON.stringify(kept);
}

/** How long request records are kept (the aggregates stay). */
export const LEDGER_RETENTION_DAYS = 400;

/**
 * The request record `REQ#<id>`, written once with one conditional PutItem (a second write of the same entry fails).
 * It carries what the aggregator derives from it (aggregator-records.ts): the counters' fields and, under a quota,
 * the reservation to settle (`q*`: scopes, month, bucket, reserved and actual amounts, lease). Under 1 KB: 1 write
 * unit, plus 1 for its gsi1 copy.
 */
export function recordPut(table: string, entry: LedgerEntry, quota?: Settle, gsiShards?: number): PutItemCommandInput {
  return {
    TableName: table,
    ConditionExpression: 'attribute_not_exists(pk)',
    Item: recordItem(entry, quota === undefined ? undefined : recordedSettle(quota), gsiShards),
  };
}

/**
 * `gsiShards`: the gsi1 shards of a tenant's day (ledger-shards.ts; 1 only for the bench's unsharded control). Built
 * attribute by attribute, optional ones only when set (absent, not null, in the store), rather than through
 * `compact`: one object per record instead of a literal with every name and its copy (~5 % of the local gateway's
 * allocation at saturation, every booking).
 */
export function recordItem(entry: LedgerEntry, quota?: RecordedSettle, gsiShards?: number): Item {
  const usage = entry.usage;
  const day = dayOf(entry);
  const labels = recordLabels(entry.labels);
  const item: Item = {
    pk: s(`REQ#${entry.id}`),
    sk: s('REQ'),
    gsi1pk: s(ledgerGsiKey(entry.tenant, day, entry.id, gsiShards)),
    gsi1sk: s(`${entry.createdAt}#${entry.id}`),
    requestId: s(entry.requestId),
    tenant: s(entry.tenant),
    keyId: s(entry.keyId),
    plan: s(entry.plan),
    alias: s(entry.alias),
  };
  if (entry.provider !== undefined) item.provider = s(entry.provider);
  if (entry.model !== undefined) item.model = s(entry.model);
  item.status = n(entry.status);
  item.stream = { BOOL: entry.stream };
  if (usage !== undefined) {
    item.inputTokens = n(usage.inputTokens);
    item.outputTokens = n(usage.outputTokens);
    item.cachedTokens = n(usage.cachedInputTokens);
    item.cacheWriteTokens = n(usage.cacheWriteTokens);
    if (usage.cacheWrite1hTokens !== undefined && usage.cacheWrite1hTokens !== 0)
      item.cacheWrite1hTokens = n(usage.cacheWrite1hTokens);
  }
  item.estimated = { BOOL: entry.estimated };
  if (entry.costMicros !== undefined) item.costMicros = n(entry.costMicros);
  item.attempts = n(entry.attempts);
  if (entry.cache !== undefined) item.cache = s(entry.cache);
  if (entry.savedMicros !== undefined) item.savedMicros = n(entry.savedMicros);
  if (labels !== undefined) item.labels = s(labels);
  item.createdAt = s(entry.createdAt);
  item.expiresAt = n(Math.floor(Date.parse(entry.createdAt) / 1000) + LEDGER_RETENTION_DAYS * 86_400);
  if (quota !== undefined) {
    item.qScopes = strings(quota.pks);
    item.qMonth = s(quota.period.month);
    item.qBucket = s(quota.period.bucket);
    item.qTokens = n(quota.amount.tokens);
    item.qMicros = n(quota.amount.micros);
    item.qUsedTokens = n(quota.actual.tokens);
    item.qUsedMicros = n(quota.actual.micros);
    item.qLease = { BOOL: quota.lease };
  }
  return item;
}

/** One counter item: a tenant's usage of one day, alias, key and upstream model. */
export interface Counter {
  readonly tenant: string;
  readonly day: string;
  readonly alias: string;
  readonly keyId: string;
  /** The upstream model that answered (the record's `model`); undefined when none did (and on storage notes). */
  readonly model?: string | undefined;
  /** The key's plan (the latest booking's, should the key change plan within a day). */
  readonly plan: string;
  readonly counts: Record<string, number>;
}

export const counterId = (c: Pick<Counter, 'tenant' | 'day' | 'alias' | 'keyId' | 'model'>): string =>
  `${c.tenant}\u0000${c.day}\u0000${c.alias}\u0000${c.keyId}\u0000${c.model ?? ''}`;

/**
 * A counter's sort key: `DAY#<day>#MODEL#<alias>#KEY#<keyId>`, then `#UP#<model>` when an upstream model answered
 * (so one alias's fallback targets count apart; counters without a model keep the key they always had).
 */
export const counterSortKey = (c: Pick<Counter, 'day' | 'alias' | 'keyId' | 'model'>): string =>
  `DAY#${c.day}#MODEL#${c.alias}#KEY#${c.keyId}${c.model === undefined ? '' : `#UP#${c.model}`}`;

/** What one entry adds to its counter item. */
export function counterOf(entry: LedgerEntry): Counter {
  const usage = entry.usage;
  return {
    tenant: entry.tenant,
    day: dayOf(entry),
    alias: entry.alias,
    keyId: entry.keyId,
    model: entry.model,
    plan: entry.plan,
    counts: {
      requests: 1,
      inputTokens: usage?.inputTokens ?? 0,
      outputTokens: usage?.outputTokens ?? 0,
      cachedTokens: usage?.cachedInputTokens ?? 0,
      cacheWriteTokens: usage?.cacheWriteTokens ?? 0,
      costMicros: entry.costMicros ?? 0,
      estimatedRequests: entry.estimated ? 1 : 0,
      unpricedRequests: entry.costMicros === undefined && usage !== undefined ? 1 : 0,
      errors: entry.status >= 500 ? 1 : 0,
      ...(entry.cache === undefined
        ? {}
        : {
            cacheHits: entry.cache === 'hit' ? 1 : 0,
            cacheMisses: entry.cache === 'miss' ? 1 : 0,
            savedMicros: entry.savedMicros ?? 0,
          }),
    },
  };
}

/** Counters of several entries, one per counter item (a transaction may touch an item once). */
export function mergeCounters(counters: readonly Counter[]): Counter[] {
  const merged = new Map<string, Counter>();
  for (const counter of counters) {
    const id = counterId(counter);
    const into = merged.get(id);
    if (into === undefined) merged.set(id, { ...counter, counts: { ...counter.counts } });
    else
      for (const [name, value] of Object.entries(counter.counts)) into.counts[name] = (into.counts[name] ?? 0) + value;
  }
  return [...merged.values()];
}

/**
 * ADDs a counter's counts to `USAGE#<tenant>` / counterSortKey (and sets its `model` when it has one), or to that
 * item of one stream shard's aggregator (`…#SHARD#<shard>`, ledger-shards.ts): readers sum them.
 */
export function counterUpdate(table: string, counter: Counter, shard?: string): TransactWriteItem {
  const names = Object.keys(counter.counts);
  const model = counter.model === undefined ? '' : ', #model = :model';
  return {
    Update: {
      TableName: table,
      Key: { pk: s(`USAGE#${counter.tenant}`), sk: s(shardedCounterSk(counterSortKey(counter), shard)) },
      UpdateExpression: `SET #day = :day, #alias = :alias, #keyId = :keyId, #plan = :plan${model} ADD ${names.map((_, i) => `#c${i} :c${i}`).join(', ')}`,
      ExpressionAttributeNames: {
        '#day': 'day',
        '#alias': 'alias',
        '#keyId': 'keyId',
        '#plan': 'plan',
        ...(counter.model === undefined ? {} : { '#model': 'model' }),
        ...Object.fromEntries(names.map((name, i) => [`#c${i}`, name])),
      },
      ExpressionAttributeValues: {
        ':day': s(counter.day),
        ':alias': s(counter.alias),
        ':keyId': s(counter.keyId),
        ':plan': s(counter.plan),
        ...(counter.model === undefined ? {} : { ':model': s(counter.model) }),
        ...Object.fromEntries(names.map((name, i) => [`:c${i}`, n(counter.counts[name] ?? 0)])),
      },
    },
  };
}
