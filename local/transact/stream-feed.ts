import { setTimeout as sleep } from 'node:timers/promises';
import { DynamoDBClient } from '../../lambdas/aws-http/dynamodb.js';
import { isRequestRecord } from '../../lambdas/ledger/aggregator-records.js';
import { LedgerAggregator } from '../../lambdas/ledger/aggregator.js';
import type { DynaliteEngine } from '../engine/dynalite-engine.js';
import { toSdkItem, type WireItem } from './attribute-values.js';
import type { LoggedInsert, StreamLog } from './stream-log.js';

/** The one shard of the local stream (the aggregator's marker `AGG#local`). */
export const LOCAL_SHARD = 'local';
/** The local sequence number on a request record: tells a replayed log line whose put it was (stream-log.ts). */
export const SEQ_ATTR = '_seq';
const MAX_BATCH = 1_000;
const MAX_TRIES = 5;

interface Waiting extends LoggedInsert {
  readonly resolve: () => void;
  readonly reject: (err: unknown) => void;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * What DynamoDB Streams and the aggregator's event source do in AWS, for the local store: every request record
 * inserted (a conditional PutItem of `REQ#<id>` / `REQ`) becomes a stream record with a sequence number in write
 * order, and goes to the same aggregator (lambdas/ledger/aggregator.ts) in batches — the records that queue while
 * one batch is applied form the next. The front answers the PutItem once its record is aggregated, so the usage a
 * client reads right after a booking includes it. Durable across a kill through the stream log (stream-log.ts).
 */
export class StreamFeed {
  private last: bigint;
  private inFlight = 0;
  private queue: Waiting[] = [];
  private running = false;
  /** An aggregation failed: the log is kept for the next start to replay. */
  private stuck = false;
  private readonly aggregators = new Map<string, LedgerAggregator>();
  private client: DynamoDBClient | undefined;

  constructor(private readonly log: StreamLog) {
    this.last = log.left.reduce((max, insert) => (BigInt(insert.seq) > max ? BigInt(insert.seq) : max), 0n);
  }

  /** The front's own endpoint, where the aggregator writes (once it serves). */
  connect(endpoint: string): void {
    this.client = new DynamoDBClient({
      endpoint,
      region: 'local',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      maxAttempts: 3,
    });
  }

  /** Whether a PutItem's input inserts a request record (the stream carries those only). */
  static carries(input: Record<string, unknown>): boolean {
    const item = input.Item;
    if (!isRecord(item) || typeof input.TableName !== 'string') return false;
    const condition = typeof input.ConditionExpression === 'string' ? input.ConditionExpression : '';
    const image = { pk: item.pk, sk: item.sk } as Parameters<typeof isRequestRecord>[0];
    return condition.includes('attribute_not_exists') && isRequestRecord(image);
  }

  /** Under the front's lock, before the put: logs the record; answers the input to put (the item with its `_seq`). */
  begin(input: Record<string, unknown>): { seq: string; input: Record<string, unknown> } {
    const now = BigInt(Date.now()) * 1_000_000n;
    this.last = now > this.last ? now : this.last + 1n;
    const seq = String(this.last);
    const item = { ...(input.Item as WireItem), [SEQ_ATTR]: { S: seq } };
    this.inFlight += 1;
    this.log.write({ seq, table: input.TableName as string, item });
    return { seq, input: { ...input, Item: item } };
  }

  /** Under the lock, after the put: the put is done (inserted, or not); resolves once an insert is aggregated. */
  end(seq: string, input: Record<string, unknown>, inserted: boolean): Promise<void> {
    this.inFlight -= 1;
    if (!inserted) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ seq, table: input.TableName as string, item: input.Item as WireItem, resolve, reject });
      void this.run();
    });
  }

  /** At start, before serving: aggregates what a previous run logged and may not have (its marker skips the rest). */
  async replay(engine: DynaliteEngine): Promise<void> {
    const inserted: LoggedInsert[] = [];
    for (const insert of this.log.left) {
      const out = (await engine.call('GetItem', {
        TableName: insert.table,
        Key: { pk: insert.item.pk, sk: insert.item.sk },
        ConsistentRead: true,
      })) as { Item?: Record<string, { S?: string }> };
      if (out.Item?.[SEQ_ATTR]?.S === insert.seq) inserted.push(insert);
    }
    for (const table of new Set(inserted.map((i) => i.table)))
      await this.aggregate(
        table,
        inserted.filter((i) => i.table === table),
      );
    this.log.clear();
  }

  close(): void {
    this.client?.destroy();
    this.log.close();
  }

  private async run(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      while (this.queue.length > 0) {
        const table = this.queue[0]!.table;
        let size = 0;
        while (size < this.queue.length && size < MAX_BATCH && this.queue[size]!.table === table) size += 1;
        const batch = this.queue.splice(0, size);
        try {
          await this.aggregate(table, batch);
          batch.forEach((w) => w.resolve());
        } catch (err) {
          this.stuck = true;
          batch.forEach((w) => w.reject(err));
        }
      }
      if (this.inFlight === 0 && this.queue.length === 0 && !this.stuck) this.log.clear();
    } finally {
      this.running = false;
    }
  }

  private async aggregate(table: string, inserts: readonly LoggedInsert[]): Promise<void> {
    let aggregator = this.aggregators.get(table);
    if (aggregator === undefined) {
      if (this.client === undefined) throw new Error('the local stream is not connected');
      aggregator = new LedgerAggregator(this.client, table);
      this.aggregators.set(table, aggregator);
    }
    const records = inserts.map((i) => ({ seq: i.seq, image: toSdkItem(i.item) }));
    for (let attempt = 1; ; attempt++) {
      try {
        await aggregator.apply(LOCAL_SHARD, records);
        return;
      } catch (err) {
        // Applied records are marked; a retry applies the rest.
        if (attempt >= MAX_TRIES) throw err;
        await sleep(20 * 2 ** attempt);
      }
    }
  }
}
