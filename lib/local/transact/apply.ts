import {
  ConditionalCheckFailedException,
  DeleteItemCommand,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { toWireItem, type SdkItem } from './attribute-values.js';
import { fromSdkError, internalError, transactionCanceled, type CancellationReason } from './errors.js';
import type { KeyedOp } from './keys.js';

/** What an applied item overwrote: restored (or deleted, if it did not exist) when the transaction is cancelled. */
interface Applied {
  readonly table: string;
  readonly key: SdkItem;
  readonly old: SdkItem | undefined;
}

async function readItem(client: DynamoDBClient, table: string, key: SdkItem): Promise<SdkItem | undefined> {
  const out = await client.send(new GetItemCommand({ TableName: table, Key: key, ConsistentRead: true }));
  return out.Item;
}

/**
 * Applies one item as its own conditional operation; answers whether it changed data (and must be undone on cancel).
 *
 * ConditionCheck has no write of its own, and evaluating a condition expression here would mean reimplementing
 * DynamoDB's expression language. Instead the condition goes to dynalite on a write that leaves the item as it is:
 * if the item exists, a conditional PutItem of its own old image (read just before, under the lock, so it is
 * current); if it does not, a conditional DeleteItem, which on a missing item evaluates the condition against
 * "no attributes" and deletes nothing.
 */
async function applyOne(client: DynamoDBClient, { op, key }: KeyedOp, old: SdkItem | undefined): Promise<boolean> {
  const TableName = op.table;
  switch (op.kind) {
    case 'Put':
      await client.send(new PutItemCommand({ TableName, Item: op.item, ...op.condition }));
      return true;
    case 'Update':
      await client.send(new UpdateItemCommand({ TableName, Key: key, UpdateExpression: op.updateExpression, ...op.condition }));
      return true;
    case 'Delete':
      await client.send(new DeleteItemCommand({ TableName, Key: key, ...op.condition }));
      return true;
    case 'ConditionCheck':
      if (old) await client.send(new PutItemCommand({ TableName, Item: old, ...op.condition }));
      else await client.send(new DeleteItemCommand({ TableName, Key: key, ...op.condition }));
      return false;
  }
}

/** Undoes applied items, last first, with unconditional writes of their old images. */
async function rollback(client: DynamoDBClient, applied: readonly Applied[]): Promise<void> {
  for (const { table, key, old } of [...applied].reverse()) {
    try {
      if (old) await client.send(new PutItemCommand({ TableName: table, Item: old }));
      else await client.send(new DeleteItemCommand({ TableName: table, Key: key }));
    } catch (err) {
      throw internalError(
        `The local transaction front could not undo a cancelled transaction (${err instanceof Error ? err.message : String(err)}); ` +
          'its items may be partly applied',
      );
    }
  }
}

/**
 * Applies the items in order, each after reading its old image. Items after a failed condition are still applied
 * (then undone) to learn their own condition's outcome: keys are distinct and a condition only reads its own item,
 * so every condition sees the state from before the transaction, as in DynamoDB, and the cancellation reasons list
 * every failing item. Any failure undoes every applied item. The caller holds the write lock throughout.
 */
export async function applyTransaction(client: DynamoDBClient, items: readonly KeyedOp[]): Promise<void> {
  const applied: Applied[] = [];
  const reasons: CancellationReason[] = [];
  let cancelled = false;
  for (const item of items) {
    try {
      const old = await readItem(client, item.op.table, item.key);
      try {
        if (await applyOne(client, item, old)) applied.push({ table: item.op.table, key: item.key, old });
        reasons.push({ Code: 'None' });
      } catch (err) {
        if (!(err instanceof ConditionalCheckFailedException)) throw err;
        cancelled = true;
        reasons.push({
          Code: 'ConditionalCheckFailed',
          Message: 'The conditional request failed',
          ...(item.op.returnOldOnFailure && old ? { Item: toWireItem(old) } : {}),
        });
      }
    } catch (err) {
      await rollback(client, applied);
      throw fromSdkError(err);
    }
  }
  if (cancelled) {
    await rollback(client, applied);
    throw transactionCanceled(reasons);
  }
}
