import type { DynaliteEngine } from '../engine/dynalite-engine.js';
import { toWireItem, type WireItem } from './attribute-values.js';
import type { KeyedOp } from './keys.js';

/**
 * "Fresh" puts: Puts whose only condition is that their item does not exist (`attribute_not_exists(<key attribute>)`),
 * such as the ledger's request records. Under the write lock their conditions can all be checked with one
 * BatchGetItem and the items written with BatchWriteItem (25 per call), instead of one conditional PutItem each:
 * what makes a batch of ledger records cheap on the embedded store. The outcome is the same as item by item.
 */
export function isFreshPut({ op, key }: KeyedOp): boolean {
  if (op.kind !== 'Put' || op.condition.ExpressionAttributeValues !== undefined) return false;
  const match = /^\s*attribute_not_exists\s*\(\s*(#?[A-Za-z0-9_]+)\s*\)\s*$/.exec(
    op.condition.ConditionExpression ?? '',
  );
  if (match === null) return false;
  const token = match[1] ?? '';
  const attribute = token.startsWith('#') ? op.condition.ExpressionAttributeNames?.[token] : token;
  return attribute !== undefined && Object.hasOwn(key, attribute);
}

const keyText = (table: string, key: WireItem): string =>
  JSON.stringify([
    table,
    Object.keys(key)
      .sort()
      .map((name) => [name, key[name]]),
  ]);

type Requests<T> = Record<string, T>;

/** Which of the puts' items exist already (their old images), by position: one BatchGetItem per 100 keys. */
export async function existingItems(engine: DynaliteEngine, puts: readonly KeyedOp[]): Promise<Map<number, WireItem>> {
  const positions = new Map(puts.map((put, i) => [keyText(put.op.table, toWireItem(put.key)), i]));
  const keyNames = new Map(puts.map((put) => [put.op.table, Object.keys(put.key)]));
  const found = new Map<number, WireItem>();
  for (let start = 0; start < puts.length; start += 100) {
    let request: Requests<{ Keys: WireItem[]; ConsistentRead: boolean }> | undefined = {};
    for (const put of puts.slice(start, start + 100))
      (request[put.op.table] ??= { Keys: [], ConsistentRead: true }).Keys.push(toWireItem(put.key));
    while (request !== undefined && Object.keys(request).length > 0) {
      const out = await engine.call('BatchGetItem', { RequestItems: request });
      for (const [table, items] of Object.entries((out.Responses ?? {}) as Requests<WireItem[]>)) {
        for (const item of items) {
          const key: WireItem = {};
          for (const name of keyNames.get(table) ?? []) key[name] = item[name];
          const position = positions.get(keyText(table, key));
          if (position !== undefined) found.set(position, item);
        }
      }
      const unprocessed = out.UnprocessedKeys as typeof request | undefined;
      request = unprocessed;
    }
  }
  return found;
}

/** Writes the puts' items, 25 per BatchWriteItem, until none is left unprocessed. */
export async function writeItems(engine: DynaliteEngine, puts: readonly KeyedOp[]): Promise<void> {
  for (let start = 0; start < puts.length; start += 25) {
    let request: Requests<{ PutRequest: { Item: WireItem } }[]> | undefined = {};
    for (const put of puts.slice(start, start + 25)) {
      if (put.op.kind === 'Put') (request[put.op.table] ??= []).push({ PutRequest: { Item: toWireItem(put.op.item) } });
    }
    while (request !== undefined && Object.keys(request).length > 0) {
      const out = await engine.call('BatchWriteItem', { RequestItems: request });
      request = out.UnprocessedItems as typeof request | undefined;
    }
  }
}
