import { Duration } from 'aws-cdk-lib';
import type { ITable, Table } from 'aws-cdk-lib/aws-dynamodb';
import { FilterCriteria, FilterRule, type IFunction, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';

/** How many records one invocation of the aggregator takes at most, and how long Lambda gathers them. */
export const AGGREGATOR_BATCH_SIZE = 1_000;
export const AGGREGATOR_BATCH_WINDOW = Duration.seconds(1);
/**
 * A tumbling window only so that Lambda names each batch's shard (`shardId`), which the aggregator's exactly-once
 * marker is keyed by; batches are still delivered as they come (each applied on its own, the window's state unused).
 */
export const AGGREGATOR_TUMBLING_WINDOW = Duration.seconds(60);

/**
 * The gateway table's stream → the ledger's aggregator: only request records inserted (filtered at the source, so
 * counter, quota and marker writes never invoke it), from the oldest record kept, one batch per shard at a time
 * (parallelization 1: the marker needs a shard's records in order), no bisection (a retried batch starts where it
 * failed: ReportBatchItemFailures names the first record not applied), retried until the records expire (24 h).
 */
export function feedLedgerAggregator(fn: IFunction, table: Table): void {
  fn.addEventSource(
    // Table declares `tableStreamArn: string | undefined`, ITable `tableStreamArn?: string`: the same under
    // exactOptionalPropertyTypes' eyes once the table has its stream (dynamo-tables.ts).
    new DynamoEventSource(table as ITable, {
      startingPosition: StartingPosition.TRIM_HORIZON,
      batchSize: AGGREGATOR_BATCH_SIZE,
      maxBatchingWindow: AGGREGATOR_BATCH_WINDOW,
      tumblingWindow: AGGREGATOR_TUMBLING_WINDOW,
      parallelizationFactor: 1,
      bisectBatchOnError: false,
      reportBatchItemFailures: true,
      retryAttempts: -1,
      filters: [
        FilterCriteria.filter({
          eventName: FilterRule.isEqual('INSERT'),
          dynamodb: { Keys: { sk: { S: FilterRule.isEqual('REQ') } } },
        }),
      ],
    }),
  );
}
