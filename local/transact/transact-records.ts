import type { WireItem } from './attribute-values.js';
import { StreamFeed } from './stream-feed.js';
import type { TransactOp } from './transact-request.js';

/** A transaction's ops with its request-record puts logged to the stream, and how to end them. */
export interface FedRecords {
  /** The ops to apply: each request-record put's item carries its stream sequence number. */
  readonly ops: readonly TransactOp[];
  /** After the transaction (applied or not): the puts are done; resolves once the applied ones are aggregated. */
  end(applied: boolean): Promise<void>;
}

/**
 * Under the front's lock, before a transaction: its puts of request records (`REQ#<id>`, conditional on absence) go
 * to the stream as a PutItem's do (stream-feed.ts), so the ledger can write a batch of records as one transaction.
 */
export function feedRecords(stream: StreamFeed, ops: readonly TransactOp[]): FedRecords {
  const begun: { seq: string; input: Record<string, unknown> }[] = [];
  const fedOps = ops.map((op): TransactOp => {
    if (op.kind !== 'Put') return op;
    const input: Record<string, unknown> = {
      TableName: op.table,
      Item: op.item,
      ConditionExpression: op.condition.ConditionExpression,
    };
    if (!StreamFeed.carries(input)) return op;
    const started = stream.begin(input);
    begun.push(started);
    return { ...op, item: started.input.Item as WireItem };
  });
  return {
    ops: fedOps,
    end: (applied) => Promise.all(begun.map((b) => stream.end(b.seq, b.input, applied))).then(() => undefined),
  };
}
