import { setTimeout as sleep } from 'node:timers/promises';
import {
  GetItemCommand,
  TransactionCanceledException,
  TransactWriteItemsCommand,
  type DynamoDBClient,
  type TransactWriteItem,
} from '../aws-http/dynamodb.js';
import { SettlePruner } from '../quota/settle-prune.js';
import { settleSlot } from '../quota/quota-items.js';
import { settleUpdates, type RecordedSettle } from '../quota/quota-settle.js';
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
 * failure, is applied once. Settles go to the shard's own settle items (quota-items.ts), never to an item the request
 * path writes, so no request's quota write meets an aggregator's transaction.
 */
export class LedgerAggregator {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly table: string,
    private readonly options: AggregatorOptions = {},
  ) {
    this.pruner = new SettlePruner(client, table, options.now ?? Date.now);
  }

  private readonly pruner: SettlePruner;

  async apply(shard: string, records: readonly StreamInsert[]): Promise<AggregateResult> {
    let marker = await this.readMarker(shard);
    const parsed = records.filter((r) => isRequestRecord(r.image)).map(parse);
    let pending = parsed.filter((r) => seqKey(r.seq) > marker);
    const skipped = records.length - pending.length;
    let applied = 0;
    let transactions = 0;
    while (pending.length > 0) {
      const chunk = takeChunk(pending);
      const first = chunk[0]!.seq;
      let outcome: Outcome;
      try {
        transactions += 1;
        outcome = await this.applyChunk(shard, chunk);
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

  private async applyChunk(shard: string, chunk: readonly Parsed[]): Promise<Outcome> {
    const counters = mergeCounters(chunk.flatMap((r) => (r.counter === undefined ? [] : [r.counter])));
    const settles = chunk.flatMap((r) => (r.settle === undefined ? [] : [r.settle]));
    const slot = settleSlot(shard);
    const targets = settleUpdates(this.table, settles, slot).targets;
    await this.pruner.learn(slot, targets);
    const settle = settleUpdates(this.table, settles, slot, (target) => this.pruner.stale(slot, target));
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
    for (let attempt = 0; ; attempt++) {
      try {
        await this.client.send(new TransactWriteItemsCommand({ TransactItems: items }));
        this.pruner.applied(slot, settle.targets);
        return 'applied';
      } catch (err) {
        if (!(err instanceof TransactionCanceledException)) throw err;
        const reasons = err.CancellationReasons ?? [];
        if (reasons[0]?.Code === 'ConditionalCheckFailed') return 'marker';
        if (!reasons.some((r) => TRANSIENT.has(r.Code ?? '')) || attempt >= MAX_TRANSIENT_RETRIES) throw err;
        await (this.options.wait ?? sleep)(Math.random() * Math.min(500, 10 * 2 ** attempt));
      }
    }
  }
}

type Outcome = 'applied' | 'marker';

export interface AggregatorOptions {
  /** Counter items per stream shard (default true; false: the one item per counter, as before the shards). */
  readonly shardCounters?: boolean;
  /** The clock that ages settle items' buckets (the bench's simulated one). */
  readonly now?: () => number;
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
