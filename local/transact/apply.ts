import { EngineError, isConditionFailure, type DynaliteEngine } from '../engine/dynalite-engine.js';
import type { WireItem } from './attribute-values.js';
import { internalError, transactionCanceled, type CancellationReason, DynamoError } from './errors.js';
import { existingItems, isFreshPut, writeItems } from './fresh-puts.js';
import type { KeyedOp } from './keys.js';
import type { Condition } from './transact-request.js';

/** What an applied item overwrote: restored (or deleted, if it did not exist) when the transaction is cancelled. */
interface Applied {
  readonly table: string;
  readonly key: WireItem;
  readonly old: WireItem | undefined;
}

/** DynamoDB's error answer for a failed item call (a bad expression, a missing table…). */
export function fromEngineError(err: unknown): DynamoError {
  if (err instanceof DynamoError) return err;
  if (err instanceof EngineError) {
    const type = String(err.body.__type ?? '');
    const messageMember = 'Message' in err.body ? 'Message' : 'message';
    return new DynamoError(err.status, type, err.message, {}, messageMember);
  }
  return internalError(err instanceof Error ? err.message : String(err));
}

const conditionOf = (condition: Condition): Record<string, unknown> => ({
  ...(condition.ConditionExpression === undefined ? {} : { ConditionExpression: condition.ConditionExpression }),
  ...(condition.ExpressionAttributeNames === undefined
    ? {}
    : { ExpressionAttributeNames: { ...condition.ExpressionAttributeNames } }),
  ...(condition.ExpressionAttributeValues === undefined
    ? {}
    : { ExpressionAttributeValues: { ...condition.ExpressionAttributeValues } }),
});

async function readItem(engine: DynaliteEngine, table: string, key: WireItem): Promise<WireItem | undefined> {
  const out = await engine.call('GetItem', { TableName: table, Key: key, ConsistentRead: true });
  return out.Item as WireItem | undefined;
}

/**
 * Applies one item as its own conditional operation, answering whether it changed data (to be undone on cancel) and
 * the item as it was before (writes return it with ReturnValues ALL_OLD: no read before each write).
 *
 * ConditionCheck has no write of its own. Instead the condition goes to the engine on a write that leaves the item as
 * it is: if the item exists, a conditional PutItem of its own old image (read just before, under the lock, so it is
 * current); if it does not, a conditional DeleteItem, which on a missing item evaluates the condition against "no
 * attributes" and deletes nothing.
 */
async function applyOne(
  engine: DynaliteEngine,
  { op, key }: KeyedOp,
): Promise<{ changed: boolean; old: WireItem | undefined }> {
  const TableName = op.table;
  // Copies of the op's own maps: engine.call consumes its input.
  const Key = { ...key };
  const condition = conditionOf(op.condition);
  const old = (out: Record<string, unknown>): WireItem | undefined => out.Attributes as WireItem | undefined;
  switch (op.kind) {
    case 'Put':
      return {
        changed: true,
        old: old(
          await engine.call('PutItem', { TableName, Item: { ...op.item }, ...condition, ReturnValues: 'ALL_OLD' }),
        ),
      };
    case 'Update':
      return {
        changed: true,
        old: old(
          await engine.call('UpdateItem', {
            TableName,
            Key,
            UpdateExpression: op.updateExpression,
            ...condition,
            ReturnValues: 'ALL_OLD',
          }),
        ),
      };
    case 'Delete':
      return {
        changed: true,
        old: old(await engine.call('DeleteItem', { TableName, Key, ...condition, ReturnValues: 'ALL_OLD' })),
      };
    case 'ConditionCheck': {
      const current = await readItem(engine, TableName, Key);
      if (current) await engine.call('PutItem', { TableName, Item: current, ...condition });
      else await engine.call('DeleteItem', { TableName, Key, ...condition });
      return { changed: false, old: current };
    }
  }
}

/** Undoes applied items, last first, with unconditional writes of their old images. */
async function rollback(engine: DynaliteEngine, applied: readonly Applied[]): Promise<void> {
  for (const { table, key, old } of [...applied].reverse()) {
    try {
      if (old) await engine.call('PutItem', { TableName: table, Item: old });
      else await engine.call('DeleteItem', { TableName: table, Key: key });
    } catch (err) {
      throw internalError(
        `The local transaction front could not undo a cancelled transaction (${err instanceof Error ? err.message : String(err)}); ` +
          'its items may be partly applied',
      );
    }
  }
}

/** The before-images of the fresh puts, by their position among `fresh` (as existingItems answers). */
function freshImages(
  items: readonly KeyedOp[],
  fresh: readonly KeyedOp[],
  before: ReadonlyMap<number, WireItem>,
): Map<number, WireItem> {
  const position = new Map(items.map((item, i) => [item, i]));
  const images = new Map<number, WireItem>();
  fresh.forEach((item, i) => {
    const old = before.get(position.get(item) ?? -1);
    if (old !== undefined) images.set(i, old);
  });
  return images;
}

/**
 * Applies every item, even after a failed condition (then undoes them), to learn each condition's outcome: keys are
 * distinct and a condition only reads its own item, so every condition sees the state from before the transaction, as
 * in DynamoDB, and the cancellation reasons list every failing item. Any failure undoes every applied item. The
 * caller holds the write lock throughout, so the item a failed condition saw is still the one read after it. Fresh
 * puts (fresh-puts.ts) are checked together first and written together last. `before` (optional): every item's
 * current image by position, as the caller read it under the lock.
 */
export async function applyTransaction(
  engine: DynaliteEngine,
  items: readonly KeyedOp[],
  before?: ReadonlyMap<number, WireItem>,
): Promise<void> {
  const fresh = items.filter(isFreshPut);
  // The items' before-images, when the caller read them already (the undo log's), serve the fresh puts' check too.
  const existing =
    fresh.length <= 1
      ? undefined
      : before !== undefined
        ? freshImages(items, fresh, before)
        : await existingItems(engine, fresh).catch((err: unknown) => Promise.reject(fromEngineError(err)));
  const freshIndex = new Map(fresh.map((item, i) => [item, i]));
  const applied: Applied[] = [];
  let failure: unknown;
  // The items' keys are distinct and each condition reads only its own item, so they are applied concurrently (under
  // the caller's lock nothing else writes meanwhile): a transaction takes about as long as its slowest item.
  const reasons = await Promise.all(
    items.map(async (item): Promise<CancellationReason> => {
      const position = existing === undefined ? undefined : freshIndex.get(item);
      if (position !== undefined && existing !== undefined) {
        const old = existing.get(position);
        if (old === undefined) return { Code: 'None' };
        return {
          Code: 'ConditionalCheckFailed',
          Message: 'The conditional request failed',
          ...(item.op.returnOldOnFailure ? { Item: old } : {}),
        };
      }
      try {
        const { changed, old } = await applyOne(engine, item);
        if (changed) applied.push({ table: item.op.table, key: item.key, old });
        return { Code: 'None' };
      } catch (err) {
        if (!isConditionFailure(err)) {
          failure ??= err;
          return { Code: 'None' };
        }
        const old = item.op.returnOldOnFailure
          ? await readItem(engine, item.op.table, { ...item.key }).catch(() => undefined)
          : undefined;
        return {
          Code: 'ConditionalCheckFailed',
          Message: 'The conditional request failed',
          ...(old ? { Item: old } : {}),
        };
      }
    }),
  );
  if (failure !== undefined) {
    await rollback(engine, applied);
    throw fromEngineError(failure);
  }
  const cancelled = reasons.some((reason) => reason.Code !== 'None');
  if (cancelled) {
    await rollback(engine, applied);
    throw transactionCanceled(reasons);
  }
  if (existing !== undefined) {
    try {
      await writeItems(engine, fresh);
    } catch (err) {
      // Undo what may have been written (the fresh items did not exist) and the rest.
      await rollback(engine, [
        ...fresh.map((item) => ({ table: item.op.table, key: item.key, old: undefined })),
        ...applied,
      ]);
      throw fromEngineError(err);
    }
  }
}
