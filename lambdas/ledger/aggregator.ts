import { setTimeout as sleep } from 'node:timers/promises';
import {
  GetItemCommand,
  TransactionCanceledException,
  TransactWriteItemsCommand,
  type DynamoDBClient,
  type TransactWriteItem,
} from '@aws-sdk/client-dynamodb';
import { bucketTokensAttr } from '../quota/quota-periods.js';
import { bucketId, settleUpdates, type RecordedSettle } from '../quota/quota-settle.js';
import { quotaSortKey } from '../quota/quota-scopes.js';
import { s, type Item } from '../store/attributes.js';
import { entryOfRecord, isRequestRecord, seqKey, settleOfRecord, type StreamInsert } from './aggregator-records.js';
import { counterId, counterOf, counterUpdate, mergeCounters, type Counter } from './ledger-items.js';

/** DynamoDB's limit of items in one transaction (the marker, counters and quota items of a chunk). */
export const MAX_TRANSACTION_ITEMS = 100;
const MAX_TRANSIENT_RETRIES = 8;
const TRANSIENT = new Set(['TransactionConflict', 'ThrottlingError', 'ProvisionedThroughputExceeded']);

/** The per-shard marker item: the sequence number of the last record applied. */
export const markerKey = (shard: string): Item => ({ pk: s(`AGG#${shard}`), sk: s('MARK') });

interface Parsed {
  readonly seq: string;
  readonly counter: Counter | undefined;
  readonly settle: RecordedSettle | undefined;
}

export interface AggregateResult {
  /** Records applied now. */
  readonly applied: number;
  /** Records at or below the shard's marker (applied before) or not request records. */
  readonly skipped: number;
  readonly transactions: number;
}

/** Raised when a chunk cannot be applied: the records from `seq` on are not (the earlier ones are, and marked). */
export class AggregationFailed extends Error {
  constructor(
    readonly seq: string,
    options: { cause: unknown },
  ) {
    super(`aggregation failed at sequence number ${seq}`, options);
  }
}

/**
 * Derives the usage counters and the quota settles from request records (the table's stream of `REQ#` inserts, in
 * order per shard), exactly once. Per batch it merges counters per counter item and settles per quota item
 * (quota-settle.ts) and writes them in transactions of at most 100 items, each with the shard's marker
 * `AGG#<shard>` / `MARK`: put with `attribute_not_exists OR lastSeq < :first` and set to the chunk's last sequence
 * number. Records at or below the marker are skipped first, so a batch delivered twice, or retried after a partial
 * failure, is applied once. A settle whose reservation bucket is gone (released after its expiry) adds its whole
 * actual instead (the bucket is read to tell which).
 */
export class LedgerAggregator {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly table: string,
    private readonly options: AggregatorOptions = {},
  ) {}

  async apply(shard: string, records: readonly StreamInsert[]): Promise<AggregateResult> {
    let marker = await this.readMarker(shard);
    const parsed = records.filter((r) => isRequestRecord(r.image)).map(parse);
    let pending = parsed.filter((r) => seqKey(r.seq) > marker);
    const skipped = records.length - pending.length;
    const released = new Set<string>();
    let applied = 0;
    let transactions = 0;
    while (pending.length > 0) {
      const chunk = takeChunk(pending);
      const first = chunk[0]!.seq;
      let outcome: Outcome;
      try {
        transactions += 1;
        outcome = await this.applyChunk(shard, chunk, released);
      } catch (err) {
        throw new AggregationFailed(first, { cause: err });
      }
      if (outcome === 'applied') {
        applied += chunk.length;
        pending = pending.slice(chunk.length);
      } else if (outcome === 'marker') {
        // Applied meanwhile (a concurrent or earlier delivery): skip what the marker now covers.
        marker = await this.readMarker(shard);
        pending = pending.filter((r) => seqKey(r.seq) > marker);
      }
    }
    return { applied, skipped, transactions };
  }

  private async readMarker(shard: string): Promise<string> {
    const out = await this.client.send(
      new GetItemCommand({ TableName: this.table, Key: markerKey(shard), ConsistentRead: true }),
    );
    return out.Item?.lastSeq?.S ?? '';
  }

  private async applyChunk(shard: string, chunk: readonly Parsed[], released: Set<string>): Promise<Outcome> {
    const counters = mergeCounters(chunk.flatMap((r) => (r.counter === undefined ? [] : [r.counter])));
    const settles = chunk.flatMap((r) => (r.settle === undefined ? [] : [r.settle]));
    const settle = settleUpdates(this.table, settles, released);
    const items: TransactWriteItem[] = [
      {
        Put: {
          TableName: this.table,
          Item: { ...markerKey(shard), lastSeq: s(seqKey(chunk[chunk.length - 1]!.seq)) },
          ConditionExpression: 'attribute_not_exists(pk) OR lastSeq < :first',
          ExpressionAttributeValues: { ':first': s(seqKey(chunk[0]!.seq)) },
        },
      },
      ...counters.map((counter) =>
        counterUpdate(this.table, counter, this.options.shardCounters === false ? undefined : shard),
      ),
      ...settle.items,
    ];
    const quotaAt = 1 + counters.length;
    for (let attempt = 0; ; attempt++) {
      try {
        await this.client.send(new TransactWriteItemsCommand({ TransactItems: items }));
        return 'applied';
      } catch (err) {
        if (!(err instanceof TransactionCanceledException)) throw err;
        const reasons = err.CancellationReasons ?? [];
        if (reasons[0]?.Code === 'ConditionalCheckFailed') return 'marker';
        const refused = settle.keys.filter((_, i) => reasons[quotaAt + i]?.Code === 'ConditionalCheckFailed');
        if (refused.length > 0) {
          const gone = await this.goneBuckets(refused);
          if (gone.length === 0) throw err;
          gone.forEach((id) => released.add(id));
          return 'released';
        }
        if (!reasons.some((r) => TRANSIENT.has(r.Code ?? '')) || attempt >= MAX_TRANSIENT_RETRIES) throw err;
        await (this.options.wait ?? sleep)(Math.random() * Math.min(500, 10 * 2 ** attempt));
      }
    }
  }

  /** The buckets (bucketId) of these quota items that are no longer there. */
  private async goneBuckets(keys: readonly { pk: string; month: string; buckets: string[] }[]): Promise<string[]> {
    const gone: string[] = [];
    for (const key of keys) {
      const out = await this.client.send(
        new GetItemCommand({
          TableName: this.table,
          Key: { pk: s(key.pk), sk: s(quotaSortKey(key.month)) },
          ConsistentRead: true,
        }),
      );
      const item = out.Item ?? {};
      for (const bucket of key.buckets)
        if (item[bucketTokensAttr(bucket)] === undefined) gone.push(bucketId(key.pk, key.month, bucket));
    }
    return gone;
  }
}

type Outcome = 'applied' | 'marker' | 'released';

export interface AggregatorOptions {
  /** Counter items per stream shard (default true; false: the one item per counter, as before the shards). */
  readonly shardCounters?: boolean;
  /** How a retry waits (the bench's simulated clock). */
  readonly wait?: (ms: number) => Promise<void>;
}

function parse(record: StreamInsert): Parsed {
  return { seq: record.seq, counter: counterOf(entryOfRecord(record.image)), settle: settleOfRecord(record.image) };
}

/** The first records whose marker, distinct counters and distinct quota items fit one transaction. */
function takeChunk(pending: readonly Parsed[]): Parsed[] {
  const counters = new Set<string>();
  const quotas = new Set<string>();
  let size = 0;
  for (const record of pending) {
    const counter = record.counter === undefined ? [] : [counterId(record.counter)];
    const quota =
      record.settle === undefined ? [] : record.settle.pks.map((pk) => `${pk}|${record.settle!.period.month}`);
    const more = counter.filter((id) => !counters.has(id)).length + quota.filter((id) => !quotas.has(id)).length;
    if (size > 0 && 1 + counters.size + quotas.size + more > MAX_TRANSACTION_ITEMS) break;
    counter.forEach((id) => counters.add(id));
    quota.forEach((id) => quotas.add(id));
    size += 1;
  }
  return pending.slice(0, size);
}
