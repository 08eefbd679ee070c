import middy from '@middy/core';
import type { Context, DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { requestLog } from '../core/request-log.js';
import { AggregationFailed, LedgerAggregator } from '../ledger/aggregator.js';
import { streamInserts } from '../ledger/stream-image.js';
import { onClient } from '../store/client.js';

/** A stream batch under a tumbling window (lib/ledger-stream.ts): Lambda then names the batch's shard. */
interface WindowedStreamEvent extends DynamoDBStreamEvent {
  readonly shardId?: string;
}

/** The answer under a tumbling window: its state (unused: every batch is applied as it comes) and the failures. */
type WindowedResponse = DynamoDBBatchResponse & { readonly state: Record<string, string> };

const aggregator = onClient((client, table) => new LedgerAggregator(client, table));

/**
 * Fed by the gateway table's stream (request records inserted, `REQ#<id>` / `REQ`, filtered at the event source):
 * derives the usage counters and quota settles from them, exactly once per record (lambdas/ledger/aggregator.ts, a
 * marker per shard). A batch that fails part way reports the first record not applied, so Lambda retries from there
 * (the records before it are applied and marked; the marker skips any it sees again).
 */
export const handler = middy<WindowedStreamEvent, WindowedResponse, Error, Context>().handler(
  async (event, context) => {
    const log = requestLog(context.awsRequestId, context.awsRequestId);
    const records = streamInserts(event.Records);
    if (records.length === 0) return { state: {}, batchItemFailures: [] };
    // Without its shard a batch cannot be applied exactly once: fail it (Lambda retries) rather than guess.
    if (event.shardId === undefined) throw new Error('the stream batch does not name its shard (no tumbling window?)');
    try {
      const result = await aggregator().apply(event.shardId, records);
      log.debug('ledger aggregation', { shard: event.shardId, ...result });
      return { state: {}, batchItemFailures: [] };
    } catch (err) {
      if (!(err instanceof AggregationFailed)) throw err;
      log.error('ledger aggregation failed; Lambda retries from the first record not applied', {
        shard: event.shardId,
        seq: err.seq,
        error: err.cause instanceof Error ? err.cause.message : String(err.cause),
      });
      return { state: {}, batchItemFailures: [{ itemIdentifier: err.seq }] };
    }
  },
);
