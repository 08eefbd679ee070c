import type { DynaliteEngine } from '../engine/dynalite-engine.js';
import type { WireItem } from './attribute-values.js';
import { keyIdentity, type KeyedOp } from './keys.js';

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

type Requests<T> = Record<string, T>;

/**
 * Which of the puts' items exist already (their old images), by position: one BatchGetItem per 100 keys. The requests
 * hold the puts' own checked keys (engine.callBuilt: not validated again, not copied).
 */
export async function existingItems(engine: DynaliteEngine, puts: readonly KeyedOp[]): Promise<Map<number, WireItem>> {
  const positions = new Map(puts.map((put, i) => [put.identity, i]));
  // Key attribute names in key-schema order (KeyedOp.key's order), so a found item's identity is its put's.
  const keyNames = new Map(puts.map((put) => [put.op.table, Object.keys(put.key)]));
  const found = new Map<number, WireItem>();
  for (let start = 0; start < puts.length; start += 100) {
    let request: Requests<{ Keys: WireItem[]; ConsistentRead: boolean }> | undefined = {};
    for (let i = start; i < Math.min(start + 100, puts.length); i++) {
      const put = puts[i]!;
      (request[put.op.table] ??= { Keys: [], ConsistentRead: true }).Keys.push(put.key);
    }
    while (request !== undefined && Object.keys(request).length > 0) {
      const out = await engine.callBuilt('BatchGetItem', { RequestItems: request });
      for (const [table, items] of Object.entries((out.Responses ?? {}) as Requests<WireItem[]>)) {
        const names = keyNames.get(table) ?? [];
        for (const item of items) {
          const key: WireItem = {};
          for (const name of names) key[name] = item[name];
          const position = positions.get(keyIdentity(table, key));
          if (position !== undefined) found.set(position, item);
        }
      }
      const unprocessed = out.UnprocessedKeys as typeof request | undefined;
      request = unprocessed;
    }
  }
  return found;
}

/**
 * Writes the puts' items, 25 per call, as BatchWriteItem would: engine.writeAbsent, the checked items as they are and
 * without a read of each (existingItems found none of them, under the same lock).
 */
export async function writeItems(engine: DynaliteEngine, puts: readonly KeyedOp[]): Promise<void> {
  for (let start = 0; start < puts.length; start += 25) {
    const request: Requests<{ PutRequest: { Item: WireItem } }[]> = {};
    for (let i = start; i < Math.min(start + 25, puts.length); i++) {
      const { op } = puts[i]!;
      if (op.kind === 'Put') (request[op.table] ??= []).push({ PutRequest: { Item: op.item } });
    }
    if (Object.keys(request).length > 0) await engine.writeAbsent(request);
  }
}
