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
import { existingItems, isFreshPut, writeItems } from './fresh-puts.js';
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
 * Applies one item as its own conditional operation, answering whether it changed data (to be undone on cancel) and
 * the item as it was before (writes return it with ReturnValues ALL_OLD: no read before each write).
 *
 * ConditionCheck has no write of its own, and evaluating a condition expression here would mean reimplementing
 * DynamoDB's expression language. Instead the condition goes to dynalite on a write that leaves the item as it is:
 * if the item exists, a conditional PutItem of its own old image (read just before, under the lock, so it is
 * current); if it does not, a conditional DeleteItem, which on a missing item evaluates the condition against
 * "no attributes" and deletes nothing.
 */
async function applyOne(client: DynamoDBClient, { op, key }: KeyedOp): Promise<{ changed: boolean; old: SdkItem | undefined }> {
  const TableName = op.table;
  switch (op.kind) {
    case 'Put': {
      const out = await client.send(new PutItemCommand({ TableName, Item: op.item, ...op.condition, ReturnValues: 'ALL_OLD' }));
      return { changed: true, old: out.Attributes };
    }
    case 'Update': {
      const out = await client.send(
        new UpdateItemCommand({ TableName, Key: key, UpdateExpression: op.updateExpression, ...op.condition, ReturnValues: 'ALL_OLD' }),
      );
      return { changed: true, old: out.Attributes };
    }
    case 'Delete': {
      const out = await client.send(new DeleteItemCommand({ TableName, Key: key, ...op.condition, ReturnValues: 'ALL_OLD' }));
      return { changed: true, old: out.Attributes };
    }
    case 'ConditionCheck': {
      const old = await readItem(client, TableName, key);
      if (old) await client.send(new PutItemCommand({ TableName, Item: old, ...op.condition }));
      else await client.send(new DeleteItemCommand({ TableName, Key: key, ...op.condition }));
      return { changed: false, old };
    }
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
 * Applies the items in order. Items after a failed condition are still applied (then undone) to learn their own
 * condition's outcome: keys are distinct and a condition only reads its own item, so every condition sees the state
 * from before the transaction, as in DynamoDB, and the cancellation reasons list every failing item. Any failure
 * undoes every applied item. The caller holds the write lock throughout, so the item a failed condition saw is still
 * the one read after it. Fresh puts (fresh-puts.ts) are checked together first and written together last.
 */
export async function applyTransaction(client: DynamoDBClient, items: readonly KeyedOp[]): Promise<void> {
  const fresh = items.filter(isFreshPut);
  const existing = fresh.length > 1 ? await existingItems(client, fresh).catch((err: unknown) => Promise.reject(fromSdkError(err))) : undefined;
  const freshIndex = new Map(fresh.map((item, i) => [item, i]));
  const applied: Applied[] = [];
  const reasons: CancellationReason[] = [];
  let cancelled = false;
  for (const item of items) {
    const position = existing === undefined ? undefined : freshIndex.get(item);
    if (position !== undefined && existing !== undefined) {
      const old = existing.get(position);
      if (old === undefined) reasons.push({ Code: 'None' });
      else {
        cancelled = true;
        reasons.push({ Code: 'ConditionalCheckFailed', Message: 'The conditional request failed', ...(item.op.returnOldOnFailure ? { Item: toWireItem(old) } : {}) });
      }
      continue;
    }
    try {
      try {
        const { changed, old } = await applyOne(client, item);
        if (changed) applied.push({ table: item.op.table, key: item.key, old });
        reasons.push({ Code: 'None' });
      } catch (err) {
        if (!(err instanceof ConditionalCheckFailedException)) throw err;
        cancelled = true;
        const old = item.op.returnOldOnFailure ? await readItem(client, item.op.table, item.key) : undefined;
        reasons.push({
          Code: 'ConditionalCheckFailed',
          Message: 'The conditional request failed',
          ...(old ? { Item: toWireItem(old) } : {}),
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
  if (existing !== undefined) {
    try {
      await writeItems(client, fresh);
    } catch (err) {
      // Undo what may have been written (the fresh items did not exist) and the rest.
      await rollback(client, [...fresh.map((item) => ({ table: item.op.table, key: item.key, old: undefined })), ...applied]);
      throw fromSdkError(err);
    }
  }
}
